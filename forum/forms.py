"""Forms render the fields and keep what was typed; the rules themselves live in forum.posting."""

from django import forms
from django.utils.translation import gettext_lazy as _

from forum.composing import BODY_MAX, BODY_MAX_LINES, MAIL_MAX, NAME_MAX, TITLE_MAX
from forum.models import Report


class ReplyForm(forms.Form):
    # Lengths are checked by forum.posting after cleaning, so the browser limits stay generous
    # and nothing typed is ever cut off silently.
    name = forms.CharField(
        label=_("Name"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-max": NAME_MAX}),
        help_text=_("Leave empty to stay anonymous. name#key makes a tripcode."),
    )
    mail = forms.CharField(
        label=_("Mail"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-max": MAIL_MAX}),
        help_text=_("“sage” posts without moving the thread up."),
    )
    body = forms.CharField(
        label=_("Message"),
        required=False,
        strip=False,
        widget=forms.Textarea(
            attrs={"rows": 6, "data-max": BODY_MAX, "data-max-lines": BODY_MAX_LINES}
        ),
    )
    as_moderator = forms.BooleanField(label=_("Post as Moderator ★"), required=False)


class ThreadForm(ReplyForm):
    title = forms.CharField(
        label=_("Title"),
        required=False,
        widget=forms.TextInput(attrs={"data-max": TITLE_MAX}),
    )
    field_order = ["title", "name", "mail", "body"]


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why are you reporting this post?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
    )
    detail = forms.CharField(
        label=_("Anything the moderators should know (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
