"""Readers reporting a post: the report reaches the review queue, and enough readers hide it."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from forum.addresses import AddressHashes
from forum.errors import InvalidInput
from forum.models import Post, Report
from forum.posting import set_post_status
from forum.text import clean_line
from review import queue as review_queue
from review.models import Signal


def report_post(post: Post, *, reporter: AddressHashes, reason: str, detail: str = "") -> Report:
    """Record a report. Reported by enough different readers, the post hides until reviewed."""
    if reason not in Report.Reason.values:
        raise InvalidInput({"reason": [_("Please choose a reason for the report.")]})
    detail = clean_line(detail)[:500]
    with transaction.atomic():
        report, _created = Report.objects.get_or_create(
            post=post,
            reporter_hash=reporter.poster,  # one /64 is one reader
            status=Report.Status.OPEN,
            defaults={"reason": reason, "detail": detail},
        )
        if _created:
            review_queue.flag(post, Signal.Source.REPORT, detail=reason, report=report)
        reporters = Report.objects.filter(post=post, status=Report.Status.OPEN).aggregate(
            n=Count("reporter_hash", distinct=True)
        )["n"]
        if post.is_visible and reporters >= settings.YOAKE_REPORT_HIDE_THRESHOLD:
            set_post_status(
                post, Post.Status.HIDDEN_PENDING_REVIEW, _("reported by several readers")
            )
    return report
