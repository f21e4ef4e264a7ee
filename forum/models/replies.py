"""Replies to you: which posts anchor a post its reader wrote, known by the poster cookie alone.

A `Reply` is written in the same transaction as the post that anchors (>>N) someone else's post,
keyed by the keyed hash of the cookie the anchored post was written with (its
`delete_key_hash`). No account is needed; a signed-in reader's browsers are joined by
`PosterLink`, so their replies follow them to every device they sign in on.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum.models.boards import Post


class Reply(models.Model):
    # The delete_key_hash of the post replied to: whose reply this is.
    recipient_key = models.CharField(max_length=64)
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    to_post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reply to a poster")
        verbose_name_plural = _("replies to posters")
        constraints = [
            models.UniqueConstraint(fields=["post", "to_post"], name="reply_once"),
        ]
        indexes = [
            models.Index(fields=["recipient_key", "-created_at"], name="reply_by_recipient"),
        ]

    def __str__(self) -> str:
        return f"{self.post_id} → {self.to_post_id}"


class RepliesSeen(models.Model):
    """Until when a poster cookie's replies have been seen (its Replies page was opened)."""

    key_hash = models.CharField(max_length=64, primary_key=True)
    seen_at = models.DateTimeField()

    class Meta:
        verbose_name = _("replies seen")
        verbose_name_plural = _("replies seen")

    def __str__(self) -> str:
        return self.key_hash[:8]


class PosterLink(models.Model):
    """A browser a signed-in reader used: its poster cookie's hash, joined to the account so that
    replies reach them on each of their devices. Deleted with the account."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="poster_links"
    )
    key_hash = models.CharField(max_length=64)
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("signed-in browser")
        verbose_name_plural = _("signed-in browsers")
        constraints = [
            models.UniqueConstraint(fields=["user", "key_hash"], name="poster_link_once"),
        ]
        indexes = [models.Index(fields=["key_hash"], name="poster_link_by_key")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key_hash[:8]}"
