from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = _("Boards")

    def ready(self) -> None:
        # Signal receivers: word filters drop their cache, board edits refresh the 2ch files.
        from forum import safety  # noqa: F401
        from forum.twoch import cache  # noqa: F401
