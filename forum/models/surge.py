"""A board's or chat room's surge state (forum.surge has the rules that set and read it).

Kept in PostgreSQL with the place itself, so moderators see it, a switch by hand holds, and
losing Redis does not end a surge.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SurgeState(models.Model):
    class Switch(models.TextChoices):
        AUTOMATIC = "auto", _("automatic")
        ON = "on", _("on (switched by a moderator)")
        OFF = "off", _("off (switched by a moderator)")

    surge_switch = models.CharField(
        _("surge mode"),
        max_length=4,
        choices=Switch.choices,
        default=Switch.AUTOMATIC,
        help_text=_(
            "In a surge, browsers new to Yoake pass a short automatic check (or wait a short "
            "hold) before starting threads or posting for the first time."
        ),
    )
    # Set by automatic detection: the surge lasts until then unless the flood goes on.
    surge_started_at = models.DateTimeField(_("surge started"), null=True, blank=True)
    surge_until = models.DateTimeField(_("surge lasts until"), null=True, blank=True)
    surge_reason = models.CharField(_("surge reason"), max_length=200, blank=True)
    surge_level = models.PositiveSmallIntegerField(_("surge level"), default=0)

    class Meta:
        abstract = True

    def in_surge(self, now=None) -> bool:
        if self.surge_switch == self.Switch.ON:
            return True
        if self.surge_switch == self.Switch.OFF or not settings.YOAKE_SURGE:
            return False
        return self.surge_until is not None and self.surge_until > (now or timezone.now())

    def surge_strength(self, now=None) -> int:
        """1 (mild) to 4: how hard the check is and how long the hold; 0 outside a surge."""
        if not self.in_surge(now):
            return 0
        return max(1, self.surge_level)
