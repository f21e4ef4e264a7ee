"""The review queue in the admin: the list (risk first, then oldest), an item's page with every
signal, the poster's history and one form per outcome, and bulk outcomes for spam waves."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from forum.admin.actions import (
    ReasonForm,
    asks,
    each,
    excerpt,
    expiry_of,
    suggested_ban,
)
from forum.errors import PostingRefused
from forum.moderation import ModerationError
from forum.poster import poster_from
from review import outcomes
from review.forms import (
    DeleteAndBanForm,
    DeleteForm,
    HideForm,
    LooksFineForm,
    ReplyForm,
    StaffNoteForm,
    caring_reply,
)
from review.history import poster_history
from review.models import ReviewItem
from review.queue import latest_signal
from support.helplines import help_lines_for

ITEM_TEMPLATE = "admin/review/item.html"


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("waiting", _("waiting (open or claimed)")),
            ("open", _("open")),
            ("claimed", _("claimed")),
            ("resolved", _("resolved")),
            ("all", _("all")),
        ]

    def choices(self, changelist):
        # "waiting" is the default, so the plain URL shows what needs a moderator.
        for value, label in self.lookup_choices:
            yield {
                "selected": (self.value() or "waiting") == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        value = self.value() or "waiting"
        if value == "waiting":
            return queryset.unresolved()
        if value == "all":
            return queryset
        return queryset.filter(state=value)


@admin.register(ReviewItem)
class ReviewItemAdmin(admin.ModelAdmin):
    list_display = ("risk", "item_link", "where", "text", "signal_list", "opened_at", "state_now")
    list_display_links = None
    list_filter = (StateFilter, "is_risk")
    list_per_page = 50
    show_full_result_count = False
    actions = ("bulk_looks_fine", "bulk_delete", "bulk_delete_and_ban")
    change_list_template = "admin/review/change_list.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("post__thread__board", "message__room", "claimed_by", "resolved_by")
            .defer("post__body_html", "post__search_vector")
            .annotate(signal_count=Count("signals"))
            .prefetch_related("signals")
            .in_queue_order()
        )

    def get_ordering(self, request):
        return ("-is_risk", "opened_at", "pk")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    # --- the list -------------------------------------------------------------------------------

    @admin.display(description=_("risk"), ordering="is_risk")
    def risk(self, item):
        if not item.is_risk:
            return ""
        return format_html('<strong class="risk-marker">⚠ {}</strong>', _("risk of harm"))

    @admin.display(description=_("item"))
    def item_link(self, item):
        url = reverse("admin:review_reviewitem_change", args=[item.pk])
        return format_html('<a href="{}">{}</a>', url, item.target_label)

    @admin.display(description=_("where"))
    def where(self, item):
        if item.post_id:
            return f"/{item.post.thread.board.slug}/"
        return _("chat: %(room)s") % {"room": item.message.room.slug}

    @admin.display(description=_("text"))
    def text(self, item):
        return excerpt(item.target.body, 80)

    @admin.display(description=_("signals"))
    def signal_list(self, item):
        counts: dict[str, int] = {}
        for signal in item.signals.all():
            label = str(signal)
            counts[label] = counts.get(label, 0) + 1
        return ", ".join(f"{label} ×{n}" if n > 1 else label for label, n in counts.items())

    @admin.display(description=_("state"))
    def state_now(self, item):
        if item.state == ReviewItem.State.CLAIMED and item.claimed_by is not None:
            return _("claimed by %(who)s") % {"who": item.claimed_by.get_username()}
        if item.is_resolved:
            return f"{item.get_outcome_display()} · {item.resolved_by or ''}".rstrip(" ·")
        return item.get_state_display()

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "title": _("Review queue: risk of harm first, then the oldest"),
            "latest_signal": latest_signal(),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    # --- bulk outcomes, for spam waves ----------------------------------------------------------

    def _each_item(self, request, queryset, do, done):
        return each(request, queryset.unresolved(), do, done)

    @admin.action(description=_("Looks fine: resolve the selected items"), permissions=["change"])
    def bulk_looks_fine(self, request, queryset):
        self._each_item(
            request,
            queryset,
            lambda item: outcomes.looks_fine(item, by=request.user),
            lambda n: (
                ngettext("%(count)d item resolved.", "%(count)d items resolved.", n) % {"count": n}
            ),
        )

    @admin.action(description=_("Delete the selected posts, with a reason"), permissions=["change"])
    @asks(ReasonForm, title=_("Delete and resolve"), submit=_("Delete"))
    def bulk_delete(self, request, queryset, data):
        self._each_item(
            request,
            queryset,
            lambda item: outcomes.delete(item, by=request.user, reason=data["reason"]),
            lambda n: (
                ngettext("%(count)d item deleted.", "%(count)d items deleted.", n) % {"count": n}
            ),
        )

    @admin.action(description=_("Delete and ban the posters"), permissions=["change"])
    @asks(DeleteAndBanForm, title=_("Delete, ban and resolve"), submit=_("Delete and ban"))
    def bulk_delete_and_ban(self, request, queryset, data):
        self._each_item(
            request,
            queryset,
            lambda item: outcomes.delete_and_ban(
                item,
                by=request.user,
                reason=data["reason"],
                kind=data["kind"],
                scope=data["scope"],
                expires_at=expiry_of(data["duration"]),
            ),
            lambda n: (
                ngettext(
                    "%(count)d item deleted and its poster banned.",
                    "%(count)d items deleted and their posters banned.",
                    n,
                )
                % {"count": n}
            ),
        )

    # --- one item -------------------------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        item = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_view_permission(request, item):
            return HttpResponseRedirect(reverse("admin:index"))
        # A poster banned before gets a longer ban suggested (forum.moderation.ban_suggestion).
        sender = type(item.target)._default_manager.filter(pk=item.target.pk)
        duration, why = suggested_ban(sender)
        forms = self._forms(request, item, ban_duration=duration)
        if request.method == "POST" and self.has_change_permission(request, item):
            done = self._act(request, item, forms)
            if done is not None:
                return done
        history = poster_history(item)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Review %(item)s") % {"item": item.target_label},
            "opts": self.model._meta,
            "item": item,
            "target": item.target,
            "signals": list(item.signals.select_related("report")),
            "notes": list(item.notes.all()),
            "history": history,
            "forms": forms,
            "ban_suggestion": why,
            "can_act": self.has_change_permission(request, item) and not item.is_resolved,
            **(extra_context or {}),
        }
        return TemplateResponse(request, ITEM_TEMPLATE, context)

    def _forms(self, request, item, *, ban_duration: str) -> dict:
        posted = request.POST if request.method == "POST" else None
        chosen = posted.get("outcome") if posted else None
        lines = help_lines_for(request)

        def bound(name, form_class, **kwargs):
            return form_class(posted if chosen == name else None, prefix=name, **kwargs)

        return {
            "looks_fine": bound("looks_fine", LooksFineForm),
            "hide": bound("hide", HideForm),
            "delete": bound("delete", DeleteForm),
            "delete_and_ban": bound(
                "delete_and_ban", DeleteAndBanForm, initial={"duration": ban_duration}
            ),
            "reply": bound("reply", ReplyForm, initial={"body": caring_reply(lines)}),
            "note": bound("note", StaffNoteForm),
        }

    def _act(self, request, item, forms):
        chosen = request.POST.get("outcome", "")
        user = request.user
        here = reverse("admin:review_reviewitem_change", args=[item.pk])
        queue = reverse("admin:review_reviewitem_changelist")
        try:
            if chosen == "claim":
                outcomes.claim(item, by=user)
                messages.success(request, _("You have claimed %(item)s.") % _named(item))
                return HttpResponseRedirect(here)
            form = forms.get(chosen)
            if form is None or not form.is_valid():
                return None
            data = form.cleaned_data
            if chosen == "note":
                outcomes.add_note(item, by=user, text=data["text"])
                return HttpResponseRedirect(here)
            if chosen == "looks_fine":
                outcomes.looks_fine(item, by=user, note=data["note"])
            elif chosen == "hide":
                outcomes.hide(item, by=user, reason=data["reason"])
            elif chosen == "delete":
                outcomes.delete(item, by=user, reason=data["reason"])
            elif chosen == "delete_and_ban":
                outcomes.delete_and_ban(
                    item,
                    by=user,
                    reason=data["reason"],
                    kind=data["kind"],
                    scope=data["scope"],
                    expires_at=expiry_of(data["duration"]),
                )
            elif chosen == "reply":
                reply = outcomes.reply_with_care(
                    item, by=user, poster=poster_from(request), body=data["body"]
                )
                messages.success(
                    request, _("Your reply is post %(number)d.") % {"number": reply.number}
                )
        except (ModerationError, PostingRefused) as refusal:
            messages.error(request, getattr(refusal, "message", None) or str(refusal))
            return None
        messages.success(request, _("%(item)s is resolved.") % _named(item))
        return HttpResponseRedirect(queue)


def _named(item) -> dict:
    return {"item": item.target_label}
