"""What an optional account keeps across devices: theme, language, mute words, hidden and
watched threads. Nothing here is ever linked to a post: posting stays anonymous when signed in.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MUTE_WORDS_MAX = 50
MUTE_WORD_LENGTH_MAX = 40
HIDDEN_THREADS_MAX = 500
WATCHED_THREADS_MAX = 200


class Preferences(models.Model):
    class Theme(models.TextChoices):
        NIGHT = "night", _("Night")
        DAY = "day", _("Day")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="yoake_preferences",
    )
    theme = models.CharField(_("theme"), max_length=8, choices=Theme.choices, default=Theme.NIGHT)
    # Empty: follow the browser, as a visitor's page does.
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, blank=True)
    # One word or phrase per line; posts containing one are collapsed for this reader only.
    mute_words = models.TextField(_("mute words"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("preferences")
        verbose_name_plural = _("preferences")

    def __str__(self) -> str:
        return str(self.user_id)

    def mute_word_list(self) -> list[str]:
        return [line.strip() for line in self.mute_words.splitlines() if line.strip()]


class HiddenThread(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hidden_threads"
    )
    thread = models.ForeignKey("forum.Thread", on_delete=models.CASCADE, related_name="+")
    hidden_at = models.DateTimeField(_("hidden"), default=timezone.now)

    class Meta:
        verbose_name = _("hidden thread")
        verbose_name_plural = _("hidden threads")
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="hidden_thread_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.thread_id}"


class WatchedThread(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watched_threads"
    )
    thread = models.ForeignKey("forum.Thread", on_delete=models.CASCADE, related_name="+")
    # The thread's post count when this reader last looked; newer numbers are "new".
    seen_count = models.PositiveIntegerField(_("posts seen"), default=0)
    seen_at = models.DateTimeField(_("last visit"), default=timezone.now)

    class Meta:
        verbose_name = _("watched thread")
        verbose_name_plural = _("watched threads")
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="watched_thread_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.thread_id}"
