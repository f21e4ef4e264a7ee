"""Putting posts and chat messages in front of moderators: the one way a signal enters the queue.

forum.posting, chat.rooms and forum.moderation call these inside their own transactions, so a
risk post and its review item commit together or not at all; moderators hear of a new item only
after that commit (review.notify).
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from forum.models import Report
from review import notify
from review.models import ReviewItem, Signal


def target_filter(target) -> dict:
    """The item field for a post or a chat message (chat is named, not imported: STYLE.md)."""
    field = {"forum.post": "post", "chat.message": "message"}.get(target._meta.label_lower)
    if field is None:
        raise TypeError(f"cannot review {type(target).__name__}")
    return {field: target}


def flag(
    target,
    source: str,
    *,
    detail: str = "",
    report: Report | None = None,
    now: datetime | None = None,
) -> Signal:
    """Add a signal about `target` (a Post or chat Message) to its unresolved item, opening one
    if there is none. Risk language, and reports of risk of harm, put the item first."""
    now = now or timezone.now()
    is_risk = source == Signal.Source.RISK_LANGUAGE or (
        report is not None and report.reason == Report.Reason.RISK_OF_HARM
    )
    where = target_filter(target)
    with transaction.atomic():
        item = ReviewItem.objects.unresolved().select_for_update().filter(**where).first()
        created = item is None
        if created:
            try:
                # A savepoint: two first signals at once meet the one-open-item constraint.
                with transaction.atomic():
                    item = ReviewItem.objects.create(is_risk=is_risk, opened_at=now, **where)
            except IntegrityError:
                created = False
                item = ReviewItem.objects.unresolved().select_for_update().get(**where)
        if not created and is_risk and not item.is_risk:
            item.is_risk = True
            item.save(update_fields=["is_risk"])
        signal = Signal.objects.create(
            item=item, source=source, detail=detail[:200], report=report, created_at=now
        )
        if created or is_risk:
            transaction.on_commit(lambda: notify.item_opened(item, newly_risky=is_risk))
    return signal


def settle(target, *, outcome: str, by, now: datetime | None = None) -> int:
    """Resolve the unresolved item about `target`, if any, because a moderator acted on the post
    elsewhere (the post list, the reports list, chat's remove button). Returns how many."""
    now = now or timezone.now()
    resolved = (
        ReviewItem.objects.unresolved()
        .filter(**target_filter(target))
        .update(
            state=ReviewItem.State.RESOLVED,
            outcome=outcome,
            resolved_by=by if getattr(by, "pk", None) else None,
            resolved_at=now,
        )
    )
    if resolved:
        transaction.on_commit(notify.queue_changed)
    return resolved


def open_risk_count() -> int:
    """Unresolved items with a risk of harm: the number in every admin page's header."""
    return ReviewItem.objects.unresolved().filter(is_risk=True).count()


def latest_signal() -> int:
    """The newest signal's number: an open queue page that has seen less is out of date."""
    return Signal.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
