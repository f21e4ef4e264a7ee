"""The moderators' dashboard: what needs a look now, and the last week of activity per hour."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncHour
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from chat.models import Message
from forum.charts import Chart, hourly_bars
from forum.models import Ban, Post, Report

DAYS = 7
BAR_WIDTH = 4
CHART_HEIGHT = 120


def hourly_chart(queryset: QuerySet, *, now: datetime) -> Chart:
    """Rows per hour over the last week, from any queryset with a `created_at`."""
    counts = {
        row["hour"]: row["n"]
        for row in queryset.filter(created_at__gte=now - timedelta(days=DAYS, hours=1))
        .annotate(hour=TruncHour("created_at"))
        .values("hour")
        .annotate(n=Count("id"))
    }
    hours = DAYS * 24
    return hourly_bars(counts, now=now, hours=hours, width=hours * BAR_WIDTH, height=CHART_HEIGHT)


def dashboard(request: HttpRequest) -> TemplateResponse:
    now = timezone.now()
    open_reports = Report.objects.filter(status=Report.Status.OPEN).aggregate(
        reports=Count("id"), posts=Count("post", distinct=True)
    )
    risk = Q(is_risk_flagged=True) & ~Q(status=Post.Status.DELETED_BY_MODERATOR)
    context = {
        **admin.site.each_context(request),
        "title": _("Dashboard"),
        "open_reports": open_reports["reports"],
        "reported_posts": open_reports["posts"],
        "risk_posts": Post.objects.filter(risk, created_at__gte=now - timedelta(days=DAYS)).count(),
        "hidden_posts": Post.objects.filter(status=Post.Status.HIDDEN_PENDING_REVIEW).count(),
        "active_bans": Ban.objects.active(now).count(),
        "charts": [
            (_("Posts per hour"), hourly_chart(Post.objects.all(), now=now)),
            (_("Chat messages per hour"), hourly_chart(Message.objects.all(), now=now)),
        ],
        "days": DAYS,
    }
    return TemplateResponse(request, "dashboard/dashboard.html", context)
