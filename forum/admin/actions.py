"""Moderator actions in the admin: the forms they ask for, the confirmation page around them,
and what every moderation list shares.

An action that needs a reason (delete, ban, move, retitle, resolve…) first shows a page with its
form and the objects it will touch; confirming posts back to the changelist, which runs it.
Each object goes through forum.moderation on its own, so one refusal does not stop the rest.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from forum.composing import TITLE_MAX
from forum.models import Ban, Board, Post, Thread
from forum.moderation import (
    BAN_MEMORY,
    NOTE_MAX,
    REASON_MAX,
    BanSuggestion,
    ModerationError,
    ban_suggestion,
    thread_label,
)
from forum.text import excerpt

CONFIRM_TEMPLATE = "admin/forum/moderation_form.html"

DURATIONS = {
    "1h": timedelta(hours=1),
    "1d": timedelta(days=1),
    "3d": timedelta(days=3),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
    "never": None,
}
DURATION_CHOICES = [
    ("1h", _("1 hour")),
    ("1d", _("1 day")),
    ("3d", _("3 days")),
    ("7d", _("1 week")),
    ("30d", _("30 days")),
    ("never", _("until lifted")),
]


def expiry_of(duration: str):
    length = DURATIONS[duration]
    return None if length is None else timezone.now() + length


def duration_choice(length: timedelta | None) -> str:
    """The form's choice for a length: the shortest that lasts at least as long (None: no end)."""
    if length is None:
        return "never"
    return next(
        (key for key, value in DURATIONS.items() if value is not None and value >= length), "never"
    )


# How many different posters a ban form looks up earlier bans for (one query each).
SUGGESTION_POSTERS = 50


def _strongest_suggestion(queryset) -> tuple[BanSuggestion, int]:
    """The suggestion for the most often banned sender among the selected posts or messages,
    and how many different senders there are."""
    senders = {}
    for source in queryset.select_related(None).only("address_hash", "range_hash_narrow"):
        senders.setdefault((source.address_hash, source.range_hash_narrow), source)
        if len(senders) >= SUGGESTION_POSTERS:
            break
    suggestions = [ban_suggestion(source) for source in senders.values()]
    first = BanSuggestion(0, DURATIONS["1d"])
    strongest = max(suggestions, key=lambda s: s.earlier_bans, default=first)
    return strongest, len(senders)


def suggested_ban(queryset) -> tuple[str, str]:
    """(duration choice, the line saying why) for a ban of the senders in `queryset`."""
    suggestion, senders = _strongest_suggestion(queryset)
    duration = duration_choice(suggestion.length)
    values = {"count": suggestion.earlier_bans, "days": BAN_MEMORY.days}
    if not suggestion.earlier_bans:
        why = (
            _("None of these posters was banned in the last %(days)d days.")
            if senders > 1
            else _("This poster was not banned in the last %(days)d days.")
        ) % values
    elif senders > 1:
        why = (
            ngettext(
                "One of these posters was banned %(count)d time in the last %(days)d days.",
                "One of these posters was banned %(count)d times in the last %(days)d days.",
                suggestion.earlier_bans,
            )
            % values
        )
    else:
        why = (
            ngettext(
                "This poster was banned %(count)d time in the last %(days)d days.",
                "This poster was banned %(count)d times in the last %(days)d days.",
                suggestion.earlier_bans,
            )
            % values
        )
    length = dict(DURATION_CHOICES)[duration]
    return duration, _("%(why)s Suggested length: %(length)s.") % {"why": why, "length": length}


def suggested_ban_initial(queryset) -> dict:
    """The ban form's starting duration: longer for a poster banned before (ban_suggestion)."""
    return {"duration": suggested_ban(queryset)[0]}


def suggested_ban_intro(queryset) -> str:
    """The line above the ban form that says why it suggests that duration."""
    return suggested_ban(queryset)[1]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        help_text=_("Kept in the audit log with your name."),
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the reports and in the audit log."),
    )


class BanForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Ban"),
        choices=Ban.Kind.choices,
        initial=Ban.Kind.ADDRESS,
        widget=forms.RadioSelect,
        help_text=_("A network ban also stops everyone else posting from it: use it sparingly."),
    )
    scope = forms.ChoiceField(
        label=_("Where"),
        choices=[
            (Ban.Scope.SITE, _("the whole site (boards and chat)")),
            (Ban.Scope.BOARD, _("only the board of the post")),
            (Ban.Scope.CHAT, _("chat only")),
        ],
        initial=Ban.Scope.SITE,
        widget=forms.RadioSelect,
    )
    duration = forms.ChoiceField(label=_("For"), choices=DURATION_CHOICES, initial="1d")
    reason = forms.CharField(
        label=_("Reason shown to the poster"),
        max_length=REASON_MAX,
        help_text=_("The banned poster sees this when they try to post or chat."),
    )


class DailyIdBanForm(BanForm):
    """A ban from the admin's "add ban" page: by the daily ID a poster had on a board that day."""

    daily_id = forms.CharField(label=_("Daily ID"), max_length=11, help_text=_("e.g. AbCd1234"))
    board = forms.ModelChoiceField(label=_("Board"), queryset=Board.objects.all())
    day = forms.DateField(
        label=_("Day"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("IDs change at midnight (site time), so give the day the ID was seen."),
    )
    field_order = ["daily_id", "board", "day", "kind", "scope", "duration", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = [
            (Ban.Scope.SITE, _("the whole site (boards and chat)")),
            (Ban.Scope.BOARD, _("only that board")),
            (Ban.Scope.CHAT, _("chat only")),
        ]
        self.fields["day"].initial = timezone.localdate


class MoveForm(forms.Form):
    board = forms.ModelChoiceField(label=_("Move to"), queryset=Board.objects.all())
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX, required=False)


class RetitleForm(forms.Form):
    title = forms.CharField(label=_("New title"), max_length=TITLE_MAX)
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX, required=False)


def listed(obj) -> dict:
    """How a confirmation page shows what it will touch: a post as itself, not as its ids."""
    if isinstance(obj, Post):
        return {
            "place": obj.place,
            "daily_id": obj.daily_id,
            "thread": excerpt(obj.thread.title, 60),
            "text": excerpt(obj.body, 140),
        }
    if isinstance(obj, Thread):
        return {"text": thread_label(obj)}
    return {"text": str(obj)}


def confirmation_page(
    modeladmin,
    request,
    queryset,
    *,
    form,
    title: str,
    submit: str,
    action: str,
    rows=None,
    intro: str = "",
):
    opts = modeladmin.model._meta
    objects = rows if rows is not None else list(queryset)
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "submit_label": submit,
        "form": form,
        "objects": objects,
        "listing": [listed(obj) for obj in objects],
        "opts": opts,
        "action_name": action,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media + form.media,
        "intro": intro,
    }
    return TemplateResponse(request, CONFIRM_TEMPLATE, context)


def asks(
    form_class: type[forms.Form],
    *,
    title,
    submit,
    only_one: bool = False,
    initial: Callable | None = None,
    intro: Callable | None = None,
):
    """Make an admin action show `form_class` first; the wrapped function gets cleaned data.

    `initial(queryset)` may give the form's starting values (the current title, say), and
    `intro(queryset)` a line above the form (why it suggests them).
    """

    def decorator(apply: Callable):
        @functools.wraps(apply)
        def action(modeladmin, request, queryset):
            if only_one and queryset.count() != 1:
                messages.warning(request, _("Please choose exactly one for this action."))
                return None
            if request.POST.get("confirm"):
                form = form_class(request.POST)
                if form.is_valid():
                    apply(modeladmin, request, queryset, form.cleaned_data)
                    return None
            else:
                form = form_class(initial=initial(queryset) if initial else None)
            return confirmation_page(
                modeladmin,
                request,
                queryset,
                form=form,
                title=title,
                submit=submit,
                action=apply.__name__,
                intro=intro(queryset) if intro else "",
            )

        return action

    return decorator


def each(request, objects: Iterable, do: Callable, done: Callable[[int], str]) -> int:
    """Run `do(obj)` for every object; report refusals one by one and successes as a count."""
    count = 0
    for obj in objects:
        try:
            do(obj)
        except ModerationError as refusal:
            messages.error(request, refusal.message)
        else:
            count += 1
    if count:
        messages.success(request, done(count))
    return count


# --- Shared by the lists ------------------------------------------------------------------------

# How much of an address hash moderators see: enough to tell posters apart, nothing to reverse.
HASH_PREFIX = 10


def hash_prefix(value: str) -> str:
    return value[:HASH_PREFIX] if value else "—"


def site_link(url: str):
    return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, _("in context"))


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
