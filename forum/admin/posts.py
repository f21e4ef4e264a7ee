"""Posts in the admin, and the post actions that the reports queue shares."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin import DateFieldListFilter
from django.db.models import Count, OuterRef, Subquery
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from forum import moderation
from forum.admin.actions import (
    BanForm,
    ReadOnlyDetail,
    ReasonForm,
    asks,
    each,
    excerpt,
    expiry_of,
    hash_prefix,
    site_link,
    suggested_ban_initial,
    suggested_ban_intro,
)
from forum.models import Post, Report


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
    @asks(
        BanForm,
        title=_("Ban the posters of these posts"),
        submit=_("Ban"),
        initial=suggested_ban_initial,
        intro=suggested_ban_intro,
    )
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
        prefix = hash_prefix(post.address_hash)
        url = reverse("admin:forum_post_changelist")
        query = urlencode({"q": prefix})
        return format_html('<a href="{}?{}"><code>{}</code></a>', url, query, prefix)

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
