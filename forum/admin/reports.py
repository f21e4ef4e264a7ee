"""The reports queue (open reports, one row per post) and single reports in the admin."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin import DateFieldListFilter
from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import BooleanField, Case, Count, Min, Q, Value, When
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from forum import moderation
from forum.admin.actions import NoteForm, ReadOnlyDetail, asks, each
from forum.admin.posts import PostActions
from forum.models import Post, Report, ReportedPost
from forum.text import excerpt


class ReportActions:
    """Resolving and dismissing reports; each list says which posts a selection means (posts_of)."""

    @admin.action(description=_("Resolve the reports, with a note"), permissions=["change"])
    @asks(NoteForm, title=_("Resolve reports"), submit=_("Resolve"))
    def resolve_reports(self, request, queryset, data):
        each(
            request,
            self.posts_of(queryset),
            lambda post: moderation.resolve_report(post, by=request.user, note=data["note"]),
            lambda n: (
                ngettext(
                    "Reports on %(count)d post resolved.", "Reports on %(count)d posts resolved.", n
                )
                % {"count": n}
            ),
        )

    @admin.action(
        description=_("Dismiss the reports, with a note (hidden posts show again)"),
        permissions=["change"],
    )
    @asks(NoteForm, title=_("Dismiss reports"), submit=_("Dismiss"))
    def dismiss_reports(self, request, queryset, data):
        each(
            request,
            self.posts_of(queryset),
            lambda post: moderation.dismiss_report(post, by=request.user, note=data["note"]),
            lambda n: (
                ngettext(
                    "Reports on %(count)d post dismissed.",
                    "Reports on %(count)d posts dismissed.",
                    n,
                )
                % {"count": n}
            ),
        )


@admin.register(ReportedPost)
class ReportQueueAdmin(ReportActions, PostActions, ReadOnlyDetail, admin.ModelAdmin):
    """Open reports, one row per post: risk of harm first, then the most reported, then oldest."""

    list_display = (
        "risk",
        "post_link",
        "board",
        "text",
        "reasons_list",
        "open_reports",
        "first_reported",
        "status",
        "in_context",
    )
    list_display_links = None
    list_filter = ("is_risk_flagged", "status", "thread__board")
    search_fields = ("body", "=daily_id")
    list_select_related = ("thread__board",)
    list_per_page = 50
    show_full_result_count = False
    actions = ("resolve_reports", "dismiss_reports", "delete_posts", "restore_posts", "ban_posters")

    def get_queryset(self, request):
        # Filtering on the open reports before annotating makes every aggregate count only them.
        # (Not super(): it orders by `get_ordering` before these annotations exist.)
        queryset = (
            self.model._default_manager.get_queryset()
            .defer("body_html", "search_vector", "delete_key_hash")
            .filter(reports__status=Report.Status.OPEN)
            .annotate(
                open_reports=Count("reports"),
                risk_reports=Count("reports", filter=Q(reports__reason=Report.Reason.RISK_OF_HARM)),
                first_reported=Min("reports__created_at"),
                reasons=ArrayAgg("reports__reason", distinct=True),
            )
            .annotate(
                is_risk=Case(
                    When(Q(is_risk_flagged=True) | Q(risk_reports__gt=0), then=Value(True)),
                    default=Value(False),
                    output_field=BooleanField(),
                )
            )
        )
        return queryset.order_by(*self.get_ordering(request))

    def get_ordering(self, request):
        # Annotations, so not in `ordering` (the admin's checks only know model fields).
        return ("-is_risk", "-open_reports", "first_reported")

    def posts_of(self, queryset):
        return queryset.select_related("thread__board")

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "title": _(
                "Reports queue: risk of harm first, then the most reported, then the oldest"
            ),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def has_view_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_view_permission(request)

    @admin.display(description=_("risk"), ordering="is_risk")
    def risk(self, post):
        # Marked only when there is a risk: a red "no" on every other row would alarm for nothing.
        if not post.is_risk:
            return ""
        return format_html('<strong class="risk-marker">⚠ {}</strong>', _("risk of harm"))

    @admin.display(description=_("post"))
    def post_link(self, post):
        url = reverse("admin:forum_post_change", args=[post.pk])
        return format_html('<a href="{}">{}</a>', url, moderation.post_label(post))

    @admin.display(description=_("reasons"))
    def reasons_list(self, post):
        names = dict(Report.Reason.choices)
        return ", ".join(str(names.get(reason, reason)) for reason in post.reasons)

    @admin.display(description=_("reports"), ordering="open_reports")
    def open_reports(self, post):
        return post.open_reports

    @admin.display(description=_("first reported"), ordering="first_reported")
    def first_reported(self, post):
        return post.first_reported


@admin.register(Report)
class ReportAdmin(ReportActions, ReadOnlyDetail, admin.ModelAdmin):
    """Every single report, for history; the queue groups the open ones per post."""

    list_display = ("created_at", "reason", "post_link", "detail_text", "status", "moderator_note")
    list_filter = ("status", "reason", ("created_at", DateFieldListFilter))
    list_select_related = ("post__thread__board",)
    search_fields = ("detail", "moderator_note")
    list_per_page = 100
    show_full_result_count = False
    ordering = ("-created_at",)
    actions = ("resolve_reports", "dismiss_reports")
    fields = ("post_link", "reason", "detail", "created_at", "status", "moderator_note")
    readonly_fields = fields

    def posts_of(self, queryset):
        post_ids = set(queryset.values_list("post_id", flat=True))
        return Post.objects.filter(pk__in=post_ids).select_related("thread__board")

    @admin.display(description=_("post"))
    def post_link(self, report):
        url = reverse("admin:forum_post_change", args=[report.post_id])
        return format_html('<a href="{}">{}</a>', url, moderation.post_label(report.post))

    @admin.display(description=_("details"))
    def detail_text(self, report):
        return excerpt(report.detail, 60)
