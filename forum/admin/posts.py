"""Posts, the reports queue and single reports in the admin."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin import DateFieldListFilter
from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import BooleanField, Case, Count, Min, OuterRef, Q, Subquery, Value, When
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from forum import moderation
from forum.admin.actions import (
    HASH_PREFIX,
    BanForm,
    NoteForm,
    ReadOnlyDetail,
    ReasonForm,
    asks,
    each,
    excerpt,
    expiry_of,
    site_link,
)
from forum.models import Post, Report, ReportedPost

# --- Posts --------------------------------------------------------------------------------------


class PostActions:
    """Actions on posts, shared by the post list and the reports queue."""

    def has_ban_permission(self, request) -> bool:
        return request.user.has_perm("forum.add_ban")

    @admin.action(
        description=_("Delete with a reason (the moderator placeholder keeps the number)"),
        permissions=["change"],
    )
    @asks(ReasonForm, title=_("Delete posts"), submit=_("Delete these posts"))
    def delete_posts(self, request, queryset, data):
        each(
            request,
            queryset.select_related("thread__board"),
            lambda post: moderation.delete_post_as_moderator(
                post, by=request.user, reason=data["reason"]
            ),
            lambda n: (
                ngettext("%(count)d post deleted.", "%(count)d posts deleted.", n) % {"count": n}
            ),
        )

    @admin.action(
        description=_("Restore (deleted by a moderator or hidden by reports)"),
        permissions=["change"],
    )
    def restore_posts(self, request, queryset):
        each(
            request,
            queryset.select_related("thread__board"),
            lambda post: moderation.restore_post(post, by=request.user),
            lambda n: (
                ngettext("%(count)d post restored.", "%(count)d posts restored.", n) % {"count": n}
            ),
        )

    @admin.action(description=_("Ban the poster"), permissions=["ban"])
    @asks(BanForm, title=_("Ban the posters of these posts"), submit=_("Ban"))
    def ban_posters(self, request, queryset, data):
        expires_at = expiry_of(data["duration"])
        banned: set[str] = set()

        def ban(post):
            target = moderation.poster_hash(post, data["kind"])
            if target and target in banned:
                return  # several posts by one poster: one ban
            moderation.ban_poster(
                post,
                by=request.user,
                kind=data["kind"],
                scope=data["scope"],
                expires_at=expires_at,
                reason=data["reason"],
            )
            banned.add(target)

        each(
            request,
            queryset.select_related("thread__board"),
            ban,
            lambda n: (
                ngettext(
                    "The poster of %(count)d post is banned.",
                    "The posters of %(count)d posts are banned.",
                    n,
                )
                % {"count": n}
            ),
        )

    # Columns

    @admin.display(description=_("post"), ordering="thread__key")
    def label(self, post):
        return moderation.post_label(post)

    @admin.display(description=_("board"), ordering="thread__board__slug")
    def board(self, post):
        return post.thread.board.slug

    @admin.display(description=_("thread"))
    def thread_title(self, post):
        return excerpt(post.thread.title, 40)

    @admin.display(description=_("name"))
    def poster(self, post):
        if post.is_capcode:
            return _("Moderator ★")
        name = post.name or post.thread.board.default_name
        return f"{name} ◆{post.tripcode}" if post.tripcode else name

    @admin.display(description=_("ID"), ordering="daily_id")
    def id_link(self, post):
        query = urlencode({"q": post.daily_id})
        url = reverse("admin:forum_post_changelist")
        return format_html('<a href="{}?{}">{}</a>', url, query, post.daily_id)

    @admin.display(description=_("address hash"))
    def address(self, post):
        if not post.address_hash:
            return "—"
        query = urlencode({"q": post.address_hash[:HASH_PREFIX]})
        url = reverse("admin:forum_post_changelist")
        return format_html(
            '<a href="{}?{}"><code>{}</code></a>', url, query, post.address_hash[:HASH_PREFIX]
        )

    @admin.display(description=_("text"))
    def text(self, post):
        return excerpt(post.body)

    @admin.display(description=_("risk"), boolean=True, ordering="is_risk_flagged")
    def risk_flag(self, post):
        return post.is_risk_flagged

    @admin.display(description=_("read"))
    def in_context(self, post):
        return site_link(post.get_absolute_url())


@admin.register(Post)
class PostAdmin(PostActions, ReadOnlyDetail, admin.ModelAdmin):
    list_display = (
        "label",
        "board",
        "thread_title",
        "poster",
        "id_link",
        "address",
        "text",
        "created_at",
        "status",
        "risk_flag",
        "open_reports",
        "in_context",
    )
    list_display_links = ("label",)
    list_filter = (
        "status",
        "is_risk_flagged",
        "is_filter_flagged",
        "is_capcode",
        "thread__board",
        ("created_at", DateFieldListFilter),
    )
    search_fields = ("body", "name", "=tripcode", "=daily_id", "^address_hash")
    search_help_text = _(
        "Words of a post, a name, a tripcode, a daily ID, or the first characters of an "
        "address hash."
    )
    list_select_related = ("thread__board",)
    raw_id_fields = ("thread",)
    list_per_page = 100
    show_full_result_count = False
    ordering = ("-created_at", "-id")
    actions = ("delete_posts", "restore_posts", "ban_posters")
    fields = (
        "thread",
        "number",
        "poster",
        "mail",
        "body",
        "created_at",
        "daily_id",
        "address",
        "status",
        "status_reason",
        "is_risk_flagged",
        "is_filter_flagged",
        "reports_list",
        "in_context",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .defer("body_html", "search_vector", "delete_key_hash")
            # A subquery, not a join: the page's COUNT(*) then leaves it out entirely.
            .annotate(
                open_report_count=Subquery(
                    Report.objects.filter(post=OuterRef("pk"), status=Report.Status.OPEN)
                    .values("post")
                    .annotate(n=Count("id"))
                    .values("n")
                )
            )
        )

    @admin.display(description=_("open reports"), ordering="open_report_count")
    def open_reports(self, post):
        return post.open_report_count or ""

    @admin.display(description=_("reports"))
    def reports_list(self, post):
        reports = post.reports.order_by("created_at")
        if not reports:
            return "—"
        return format_html_join(
            "\n",
            "<p>{} · {} · {}{}</p>",
            (
                (
                    report.created_at.strftime("%Y-%m-%d %H:%M"),
                    report.get_reason_display(),
                    report.get_status_display(),
                    f" · {report.detail}" if report.detail else "",
                )
                for report in reports
            ),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if super().has_change_permission(request):
            post = self.get_object(request, object_id)
            extra_context["moderation_buttons"] = self._buttons(request, post)
        return super().change_view(request, object_id, form_url, extra_context)

    def _buttons(self, request, post) -> list[tuple[str, str, str]]:
        """(changelist URL, action, label) for the forms under the post."""
        if post is None:
            return []
        posts = reverse("admin:forum_post_changelist")
        buttons = []
        if post.status in (Post.Status.VISIBLE, Post.Status.HIDDEN_PENDING_REVIEW):
            buttons.append((posts, "delete_posts", _("Delete with a reason")))
        if post.status in (Post.Status.DELETED_BY_MODERATOR, Post.Status.HIDDEN_PENDING_REVIEW):
            buttons.append((posts, "restore_posts", _("Restore")))
        if self.has_ban_permission(request) and post.address_hash:
            buttons.append((posts, "ban_posters", _("Ban the poster")))
        if post.open_report_count and request.user.has_perm("forum.change_reportedpost"):
            queue = reverse("admin:forum_reportedpost_changelist")
            buttons.append((queue, "resolve_reports", _("Resolve the reports")))
            buttons.append((queue, "dismiss_reports", _("Dismiss the reports")))
        return buttons


# --- Reports ------------------------------------------------------------------------------------


class ReportActions:
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
