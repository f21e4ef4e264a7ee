from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = _("Boards")

    def ready(self) -> None:
        # Signal receivers: word filters drop their cache, board edits refresh the 2ch files.
        from forum import bbscache, safety  # noqa: F401
