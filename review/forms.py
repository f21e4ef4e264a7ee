"""The forms on a review item's page: one per outcome, each resolving the item when sent."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forum.admin.actions import BanForm
from forum.composing import BODY_MAX
from forum.moderation import NOTE_MAX, REASON_MAX
from support.helplines import display_phone


class LooksFineForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note (optional)"), max_length=NOTE_MAX, required=False
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (optional)"), max_length=REASON_MAX, required=False
    )


class DeleteForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=REASON_MAX,
        help_text=gettext_lazy("Kept in the audit log with your name."),
    )


class DeleteAndBanForm(BanForm):
    """Delete and ban in one form: the reason is the deletion's and the one the poster sees."""


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your reply as Moderator ★"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "Edit it as you like: it is posted in the thread under the capcode."
        ),
    )


class StaffNoteForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Note for other moderators"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def caring_reply(lines) -> str:
    """The short, editable message a "reply with care" starts from, with the region's help
    lines (support.helplines decides which)."""
    text = [
        _(
            "Thank you for writing this here. It sounds very hard right now, and you do not "
            "have to carry it alone."
        ),
        _("If you might act on these thoughts, please call one of these now:"),
    ]
    for line in lines:
        phone = display_phone(line)
        hours = _("open now") if getattr(line, "open_now", False) else ""
        text.append(f"・{line.name} {phone} {hours}".rstrip())
    text.append(_("We are reading, and people here care what happens to you."))
    return "\n".join(text)
