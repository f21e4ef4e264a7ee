"""Readers reporting a post: the report reaches the review queue, and enough weight hides it.

Reports are weighed, not counted (forum.standing): a cookie minutes old weighs a quarter of a
reader, an established one two. One poster counts once, by their cookie and by their /64,
however many addresses they report from. A "risk of harm" report never hides a post: it puts
the post first in the moderators' queue (review.queue), where hiding it would only silence
someone who may need help.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.addresses import AddressHashes
from forum.errors import InvalidInput
from forum.models import Post, Report
from forum.poster import Poster
from forum.posting import set_post_status
from forum.standing import cookie_hash, level_of, note_seen
from forum.text import clean_line
from review import queue as review_queue
from review.models import Signal

# A report with no cookie (only a trusted caller, such as a script, sends one: the report view
# refuses them) counts as one reader, as every report did before standing.
NO_COOKIE_WEIGHT = 1.0


def report_weight(post: Post, now: datetime) -> float:
    """The weight of the post's open reports towards hiding it; risk-of-harm ones weigh nothing."""
    weight = 0.0
    reports = post.reports.filter(status=Report.Status.OPEN).exclude(
        reason=Report.Reason.RISK_OF_HARM
    )
    for key in reports.values_list("reporter_cookie_hash", flat=True):
        weight += level_of(key, now).report_weight if key else NO_COOKIE_WEIGHT
    return weight


def report_post(
    post: Post,
    *,
    reporter: Poster | AddressHashes,
    reason: str,
    detail: str = "",
    now: datetime | None = None,
) -> Report:
    """Record a report. Reported with enough weight, the post hides until reviewed."""
    if reason not in Report.Reason.values:
        raise InvalidInput({"reason": [_("Please choose a reason for the report.")]})
    detail = clean_line(detail)[:500]
    now = now or timezone.now()
    hashes = reporter.hashes if isinstance(reporter, Poster) else reporter
    key = cookie_hash(reporter) if isinstance(reporter, Poster) else ""
    with transaction.atomic():
        # One report at a time per post, so one reader is matched by cookie or by /64.
        status = Post.objects.select_for_update().values_list("status", flat=True).get(pk=post.pk)
        same_reader = Q(reporter_hash=hashes.poster)  # one /64 is one reader
        if key:
            same_reader |= Q(reporter_cookie_hash=key)  # one cookie is one reader
        report = post.reports.filter(same_reader, status=Report.Status.OPEN).first()
        if report is not None:
            return report
        note_seen(key, now)
        report = Report.objects.create(
            post=post,
            reporter_hash=hashes.poster,
            reporter_cookie_hash=key,
            reason=reason,
            detail=detail,
            created_at=now,
        )
        review_queue.flag(post, Signal.Source.REPORT, detail=reason, report=report, now=now)
        visible = status == Post.Status.VISIBLE
        if visible and report_weight(post, now) >= settings.YOAKE_REPORT_HIDE_THRESHOLD:
            set_post_status(
                post, Post.Status.HIDDEN_PENDING_REVIEW, _("reported by several readers"), now=now
            )
    return report
