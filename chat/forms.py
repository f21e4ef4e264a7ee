"""The room's plain form: it renders the fields and keeps what was typed (chat.rooms rules)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chat.models import MESSAGE_MAX
from chat.rooms import HANDLE_MAX


class MessageForm(forms.Form):
    # No browser-side maxlength: chat.rooms counts after cleaning and says so, never cuts.
    handle = forms.CharField(
        label=_("Handle"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-max": HANDLE_MAX}),
        help_text=_("Leave empty to stay anonymous. name#key makes a tripcode."),
    )
    body = forms.CharField(
        label=_("Message"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 2, "data-max": MESSAGE_MAX}),
    )


class RemoveForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=200)
