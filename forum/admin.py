"""The moderators' admin: posts, the reports queue, threads, bans, word filters and the audit log.

Every change goes through forum.moderation (one transaction, one audit entry each); the admin's
own edit forms are read-only for posts, threads and reports. Moderators see an address only as
the first characters of its keyed hash, and daily IDs, which is enough to connect posts.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import DateFieldListFilter
from django.contrib.postgres.aggregates import ArrayAgg
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Case, Count, Min, OuterRef, Q, Subquery, Value, When
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from forum import moderation
from forum.admin_actions import (
    CONFIRM_TEMPLATE,
    BanForm,
    DailyIdBanForm,
    MoveForm,
    NoteForm,
    ReasonForm,
    RetitleForm,
    asks,
    each,
    expiry_of,
)
from forum.models import AuditLog, Ban, Board, Post, Report, ReportedPost, Thread, WordFilter

# How much of an address hash moderators see: enough to tell posters apart, nothing to reverse.
HASH_PREFIX = 10

admin.site.site_header = _("Yoake moderation")
admin.site.site_title = _("Yoake moderation")
admin.site.index_title = _("Moderation")
admin.site.index_template = "admin/forum/index.html"


def excerpt(text: str, length: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def hash_prefix(value: str) -> str:
    return value[:HASH_PREFIX] if value else "—"


def site_link(url: str):
    return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, _("in context"))


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
            lambda n: ngettext("%(count)d post deleted.", "%(count)d posts deleted.", n)
            % {"count": n},
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
            lambda n: ngettext("%(count)d post restored.", "%(count)d posts restored.", n)
            % {"count": n},
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
            lambda n: ngettext(
                "The poster of %(count)d post is banned.",
                "The posters of %(count)d posts are banned.",
                n,
            )
            % {"count": n},
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


class ReadOnlyDetail:
    """Lists allow actions; the page of one object only shows it (changes go through actions)."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


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
            lambda n: ngettext(
                "Reports on %(count)d post resolved.", "Reports on %(count)d posts resolved.", n
            )
            % {"count": n},
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
            lambda n: ngettext(
                "Reports on %(count)d post dismissed.", "Reports on %(count)d posts dismissed.", n
            )
            % {"count": n},
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

    def has_view_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_view_permission(request)

    @admin.display(description=_("risk"), boolean=True, ordering="is_risk")
    def risk(self, post):
        return post.is_risk

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


# --- Threads ------------------------------------------------------------------------------------


@admin.register(Thread)
class ThreadAdmin(ReadOnlyDetail, admin.ModelAdmin):
    list_display = (
        "title",
        "board_slug",
        "key",
        "post_count",
        "bumped_at",
        "is_pinned",
        "is_locked",
        "is_archived",
        "in_context",
    )
    list_filter = ("board", "is_archived", "is_locked", "is_pinned")
    search_fields = ("title", "=key")
    list_select_related = ("board",)
    list_per_page = 100
    show_full_result_count = False
    ordering = ("-bumped_at",)
    actions = (
        "lock_threads",
        "unlock_threads",
        "pin_threads",
        "unpin_threads",
        "archive_threads",
        "move_threads",
        "retitle_thread",
    )
    fields = (
        "board",
        "key",
        "title",
        "post_count",
        "created_at",
        "bumped_at",
        "is_pinned",
        "is_locked",
        "is_archived",
        "archived_at",
        "in_context",
    )
    readonly_fields = fields

    @admin.display(description=_("board"), ordering="board__slug")
    def board_slug(self, thread):
        return thread.board.slug

    @admin.display(description=_("read"))
    def in_context(self, thread):
        return site_link(thread.get_absolute_url())

    def _each(self, request, queryset, do, done):
        each(request, queryset.select_related("board"), do, done)

    @admin.action(description=_("Lock (no more posts)"), permissions=["change"])
    def lock_threads(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda t: moderation.lock_thread(t, by=request.user),
            lambda n: ngettext("%(count)d thread locked.", "%(count)d threads locked.", n)
            % {"count": n},
        )

    @admin.action(description=_("Unlock"), permissions=["change"])
    def unlock_threads(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda t: moderation.lock_thread(t, by=request.user, locked=False),
            lambda n: ngettext("%(count)d thread unlocked.", "%(count)d threads unlocked.", n)
            % {"count": n},
        )

    @admin.action(description=_("Pin to the top of the board"), permissions=["change"])
    def pin_threads(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda t: moderation.pin_thread(t, by=request.user),
            lambda n: ngettext("%(count)d thread pinned.", "%(count)d threads pinned.", n)
            % {"count": n},
        )

    @admin.action(description=_("Unpin"), permissions=["change"])
    def unpin_threads(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda t: moderation.pin_thread(t, by=request.user, pinned=False),
            lambda n: ngettext("%(count)d thread unpinned.", "%(count)d threads unpinned.", n)
            % {"count": n},
        )

    @admin.action(description=_("Move to the archive"), permissions=["change"])
    def archive_threads(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda t: moderation.archive_thread(t, by=request.user),
            lambda n: ngettext("%(count)d thread archived.", "%(count)d threads archived.", n)
            % {"count": n},
        )

    @admin.action(description=_("Move to another board"), permissions=["change"])
    @asks(MoveForm, title=_("Move threads"), submit=_("Move"))
    def move_threads(self, request, queryset, data):
        self._each(
            request,
            queryset,
            lambda t: moderation.move_thread(
                t, to_board=data["board"], by=request.user, reason=data["reason"]
            ),
            lambda n: ngettext("%(count)d thread moved.", "%(count)d threads moved.", n)
            % {"count": n},
        )

    @admin.action(description=_("Retitle (one thread)"), permissions=["change"])
    @asks(
        RetitleForm,
        title=_("Retitle a thread"),
        submit=_("Retitle"),
        only_one=True,
        initial=lambda queryset: {"title": queryset.first().title},
    )
    def retitle_thread(self, request, queryset, data):
        self._each(
            request,
            queryset,
            lambda t: moderation.retitle_thread(
                t, title=data["title"], by=request.user, reason=data["reason"]
            ),
            lambda n: _("Thread retitled."),
        )


# --- Bans ---------------------------------------------------------------------------------------


class ActiveBanFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("active", _("in force")), ("ended", _("ended"))]

    def queryset(self, request, queryset):
        active = Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
        if self.value() == "active":
            return queryset.filter(active)
        if self.value() == "ended":
            return queryset.exclude(active)
        return queryset


class BanChangeForm(forms.ModelForm):
    class Meta:
        model = Ban
        fields = ("scope", "board", "expires_at", "reason")


@admin.register(Ban)
class BanAdmin(admin.ModelAdmin):
    list_display = (
        "number",
        "kind",
        "target",
        "scope",
        "board",
        "reason",
        "created_at",
        "expires_at",
        "in_force",
        "created_by",
    )
    list_filter = (ActiveBanFilter, "scope", "kind", "board")
    list_select_related = ("board", "created_by")
    search_fields = ("reason", "^target_hash")
    list_per_page = 100
    show_full_result_count = False
    ordering = ("-created_at",)
    actions = ("lift_bans",)
    form = BanChangeForm
    fields = ("kind", "target", "scope", "board", "expires_at", "reason", "created_at", "created_by")
    readonly_fields = ("kind", "target", "created_at", "created_by")

    @admin.display(description=_("ban"), ordering="pk")
    def number(self, ban):
        return f"#{ban.pk}"

    @admin.display(description=_("hash"))
    def target(self, ban):
        return format_html("<code>{}</code>", hash_prefix(ban.target_hash))

    @admin.display(description=_("in force"), boolean=True)
    def in_force(self, ban):
        return ban.is_active()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # lift a ban instead: the row is the history

    def add_view(self, request, form_url="", extra_context=None):
        """Bans by post are made from the post ("Ban the poster"); here, by daily ID."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = DailyIdBanForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                ban = moderation.ban_daily_id(
                    board=data["board"],
                    daily_id=data["daily_id"],
                    day=data["day"],
                    by=request.user,
                    kind=data["kind"],
                    scope=data["scope"],
                    expires_at=expiry_of(data["duration"]),
                    reason=data["reason"],
                )
            except moderation.ModerationError as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, _("Ban %(ban)s is in force.") % {"ban": f"#{ban.pk}"})
                return HttpResponseRedirect(reverse("admin:forum_ban_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Ban by daily ID"),
            "intro": _(
                "The ID is looked up among that board's posts of that day; the ban keeps their "
                "address hash. To ban the poster of one post, use “Ban the poster” on the post."
            ),
            "submit_label": _("Ban"),
            "form": form,
            "objects": [],
            "opts": self.model._meta,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, CONFIRM_TEMPLATE, context)

    def save_model(self, request, obj, form, change):
        if not change:  # bans are added through add_view above
            raise PermissionDenied
        moderation.change_ban(
            obj,
            by=request.user,
            scope=obj.scope,
            board=obj.board,
            expires_at=obj.expires_at,
            reason=obj.reason,
        )

    @admin.action(description=_("Lift now"), permissions=["change"])
    def lift_bans(self, request, queryset):
        each(
            request,
            queryset,
            lambda ban: moderation.lift_ban(ban, by=request.user),
            lambda n: ngettext("%(count)d ban lifted.", "%(count)d bans lifted.", n)
            % {"count": n},
        )


# --- Word filters -------------------------------------------------------------------------------


class WordFilterForm(forms.ModelForm):
    class Meta:
        model = WordFilter
        fields = "__all__"

    def clean(self):
        data = super().clean()
        if data.get("pattern"):
            try:
                moderation.check_pattern(data["pattern"], data.get("is_regex", False))
            except moderation.ModerationError as refusal:
                self.add_error("pattern", refusal.message)
        return data


@admin.register(WordFilter)
class WordFilterAdmin(admin.ModelAdmin):
    form = WordFilterForm
    list_display = (
        "pattern",
        "is_regex",
        "action",
        "replacement",
        "applies_to_names",
        "applies_to_titles",
        "applies_to_bodies",
        "applies_to_chat",
        "is_active",
        "note",
    )
    list_filter = ("action", "is_active", "is_regex")
    search_fields = ("pattern", "note")
    list_per_page = 100

    def save_model(self, request, obj, form, change):
        moderation.save_word_filter(obj, by=request.user, changed=list(form.changed_data))

    def delete_model(self, request, obj):
        moderation.delete_word_filter(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for word_filter in queryset:
            moderation.delete_word_filter(word_filter, by=request.user)


# --- Audit log ----------------------------------------------------------------------------------


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    """Read-only for everyone: the log is written only by forum.moderation."""

    list_display = ("created_at", "actor_name", "action", "object_link", "reason")
    list_filter = ("action", "object_type", ("created_at", DateFieldListFilter))
    search_fields = ("actor_name", "object_repr", "reason")
    list_per_page = 100
    show_full_result_count = False
    actions = None
    fields = ("created_at", "actor_name", "action", "object_link", "reason", "details")
    readonly_fields = fields

    ADMIN_URLS = {
        "post": "admin:forum_post_change",
        "reportedpost": "admin:forum_post_change",
        "thread": "admin:forum_thread_change",
        "ban": "admin:forum_ban_change",
        "wordfilter": "admin:forum_wordfilter_change",
        "message": "admin:chat_message_change",
    }

    @admin.display(description=_("object"), ordering="object_repr")
    def object_link(self, entry):
        name = self.ADMIN_URLS.get(entry.object_type)
        if name and entry.object_id is not None:
            try:
                url = reverse(name, args=[entry.object_id])
            except NoReverseMatch:
                return entry.object_repr
            return format_html('<a href="{}">{}</a>', url, entry.object_repr)
        return entry.object_repr

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# --- Boards (site administrators) ---------------------------------------------------------------


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ("slug", "title_en", "title_ja", "capacity", "post_limit", "position")
    ordering = ("position", "slug")
