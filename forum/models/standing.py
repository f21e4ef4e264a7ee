"""A poster cookie's standing, kept without accounts (forum.standing has the rules).

Keyed by the keyed hash of the cookie's key, the same hash a post keeps as `delete_key_hash`,
never by an address. The row is deleted once the cookie goes unused for the retention period.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Standing(models.Model):
    cookie_hash = models.CharField(max_length=64, unique=True)
    first_seen = models.DateTimeField(_("first seen"), default=timezone.now)
    last_seen = models.DateTimeField(_("last seen"), default=timezone.now, db_index=True)
    # A moderator's deletion or ban: age and kept posts count again from here.
    reset_at = models.DateTimeField(_("reset"), null=True, blank=True)

    class Meta:
        verbose_name = _("standing")
        verbose_name_plural = _("standings")

    def __str__(self) -> str:
        return f"standing {self.cookie_hash[:8]}"

    @property
    def counts_from(self):
        """Where age and kept posts start: the first sighting, or the last reset."""
        return max(self.first_seen, self.reset_at) if self.reset_at else self.first_seen
