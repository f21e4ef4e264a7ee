"""Review items: one per post or chat message while it waits for a moderator, with its signals.

An item is open, then perhaps claimed, then resolved with an outcome. A signal that arrives after
an item was resolved opens a new item for the same post, so the history of each stays readable.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum.models import Report


class ReviewItemQuerySet(models.QuerySet):
    def unresolved(self):
        return self.exclude(state=ReviewItem.State.RESOLVED)

    def in_queue_order(self):
        """Risk first, then the oldest: the order a moderator should read them in."""
        return self.order_by("-is_risk", "opened_at", "pk")


class ReviewItem(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("open")
        CLAIMED = "claimed", _("claimed")
        RESOLVED = "resolved", _("resolved")

    class Outcome(models.TextChoices):
        LOOKS_FINE = "looks_fine", _("looks fine")
        HIDDEN = "hidden", _("hidden pending a second look")
        DELETED = "deleted", _("deleted")
        DELETED_AND_BANNED = "deleted_and_banned", _("deleted and banned")
        REPLIED = "replied", _("replied with care")

    # By name: forum posts into this queue and must not import chat (STYLE.md).
    post = models.ForeignKey(
        "forum.Post",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="review_items",
        verbose_name=_("post"),
    )
    message = models.ForeignKey(
        "chat.Message",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="review_items",
        verbose_name=_("chat message"),
    )
    is_risk = models.BooleanField(_("risk of harm"), default=False)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    opened_at = models.DateTimeField(_("first signal"), default=timezone.now)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("claimed by"),
    )
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    objects = ReviewItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("review item")
        verbose_name_plural = _("review queue")
        constraints = [
            models.CheckConstraint(
                condition=Q(post__isnull=False, message__isnull=True)
                | Q(post__isnull=True, message__isnull=False),
                name="review_item_is_about_one_thing",
            ),
            # However many signals arrive, one unresolved item per post or message.
            models.UniqueConstraint(
                fields=["post"], condition=~Q(state="resolved"), name="review_one_open_per_post"
            ),
            models.UniqueConstraint(
                fields=["message"],
                condition=~Q(state="resolved"),
                name="review_one_open_per_message",
            ),
            models.CheckConstraint(
                condition=~Q(state="resolved") | ~Q(outcome=""),
                name="review_resolved_has_outcome",
            ),
        ]
        indexes = [models.Index(fields=["state", "-is_risk", "opened_at"], name="review_queue")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.target_label}"

    @property
    def target(self):
        return self.post if self.post_id else self.message

    @property
    def target_label(self) -> str:
        # The names the log already uses: Post.place ("/board/key/5"), chat's "room#12".
        return self.post.place if self.post_id else str(self.message)

    @property
    def is_resolved(self) -> bool:
        return self.state == self.State.RESOLVED


class Signal(models.Model):
    """One reason an item is in the queue, with where it came from and when."""

    class Source(models.TextChoices):
        REPORT = "report", _("reader report")
        RISK_LANGUAGE = "risk_language", _("risk language, posted anyway")
        WORD_FILTER = "word_filter", _("word filter flag")
        HELD = "held", _("held for review")

    item = models.ForeignKey(ReviewItem, on_delete=models.CASCADE, related_name="signals")
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    # The report's reason, the way in ("web", "bbs.cgi", "chat"), or why a post was held.
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    report = models.ForeignKey(
        Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return (
            f"{self.get_source_display()}: {self.detail_label}"
            if self.detail
            else (str(self.get_source_display()))
        )

    @property
    def detail_label(self) -> str:
        """A report's reason in the reader's words ("risk of harm"), else the detail as kept."""
        if self.source == self.Source.REPORT and self.detail in Report.Reason.values:
            return str(Report.Reason(self.detail).label)
        return self.detail


class StaffNote(models.Model):
    """What moderators tell each other about an item; never shown to readers."""

    item = models.ForeignKey(ReviewItem, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_name = models.CharField(_("moderator"), max_length=150)
    text = models.CharField(_("note"), max_length=500)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("staff note")
        verbose_name_plural = _("staff notes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.text[:40]}"
