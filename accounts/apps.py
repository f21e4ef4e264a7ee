from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Connects the sign-in signal that brings an account's theme and language to this device.
        from accounts import preferences  # noqa: F401
