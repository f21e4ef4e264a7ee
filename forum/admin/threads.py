"""Threads (lock, pin, archive, move, retitle) and boards in the admin."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from forum import moderation
from forum.admin.actions import MoveForm, ReadOnlyDetail, RetitleForm, asks, each, site_link
from forum.admin.surge import SurgeAdminMixin
from forum.models import Board, Thread

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
            lambda n: (
                ngettext("%(count)d thread locked.", "%(count)d threads locked.", n) % {"count": n}
            ),
        )

    @admin.action(description=_("Unlock"), permissions=["change"])
    def unlock_threads(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda t: moderation.lock_thread(t, by=request.user, locked=False),
            lambda n: (
                ngettext("%(count)d thread unlocked.", "%(count)d threads unlocked.", n)
                % {"count": n}
            ),
        )

    @admin.action(description=_("Pin to the top of the board"), permissions=["change"])
    def pin_threads(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda t: moderation.pin_thread(t, by=request.user),
            lambda n: (
                ngettext("%(count)d thread pinned.", "%(count)d threads pinned.", n) % {"count": n}
            ),
        )

    @admin.action(description=_("Unpin"), permissions=["change"])
    def unpin_threads(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda t: moderation.pin_thread(t, by=request.user, pinned=False),
            lambda n: (
                ngettext("%(count)d thread unpinned.", "%(count)d threads unpinned.", n)
                % {"count": n}
            ),
        )

    @admin.action(description=_("Move to the archive"), permissions=["change"])
    def archive_threads(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda t: moderation.archive_thread(t, by=request.user),
            lambda n: (
                ngettext("%(count)d thread archived.", "%(count)d threads archived.", n)
                % {"count": n}
            ),
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
            lambda n: (
                ngettext("%(count)d thread moved.", "%(count)d threads moved.", n) % {"count": n}
            ),
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


# --- Boards (site administrators) ---------------------------------------------------------------


@admin.register(Board)
class BoardAdmin(SurgeAdminMixin, admin.ModelAdmin):
    list_display = (
        "slug",
        "title_en",
        "title_ja",
        "capacity",
        "post_limit",
        "position",
        "surge_state",
    )
    ordering = ("position", "slug")
