from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = _("Boards")

    def ready(self) -> None:
        # Signal receivers: word filters drop their cache, a saved board reaches
        # events.board_changed (cached pages and the 2channel files).
        from forum import events, safety  # noqa: F401
