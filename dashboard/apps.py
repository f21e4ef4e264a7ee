from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """The moderators' dashboard: boards and chat side by side, so it depends on both."""

    name = "dashboard"
    verbose_name = _("Dashboard")
