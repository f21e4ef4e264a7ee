from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import MUTE_WORD_LENGTH_MAX, MUTE_WORDS_MAX, Preferences


class PreferencesForm(forms.Form):
    theme = forms.ChoiceField(
        label=_("Theme"), choices=Preferences.Theme.choices, widget=forms.RadioSelect
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("Follow my browser")), *settings.LANGUAGES],
        required=False,
    )
    mute_words = forms.CharField(
        label=_("Mute words"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6, "data-local-mute-words": ""}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Filled in per request: `%` on a lazy string would translate it once, at import, in
        # the default language.
        self.fields["mute_words"].help_text = gettext(
            "One word or phrase per line (at most %(count)d, %(length)d characters each). Posts "
            "containing one are folded away for you only; you can still open them."
        ) % {"count": MUTE_WORDS_MAX, "length": MUTE_WORD_LENGTH_MAX}
