"""Help lines and risk phrases in the admin: every save and delete goes through forum.moderation,
so each edit leaves its audit row (support/ itself imports no other app)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from forum import moderation
from support.models import HelpLine, RiskPhrase


class WithReason(forms.ModelForm):
    """An optional reason, kept only in the audit row."""

    audit_reason = forms.CharField(
        label=_("reason (kept in the audit log)"),
        required=False,
        max_length=moderation.REASON_MAX,
    )


class ListedAdmin(admin.ModelAdmin):
    """Saves and deletes through the domain functions `save_function` and `delete_function`."""

    form = WithReason  # the admin builds the model form on it from `fields` / `fieldsets`
    save_function = delete_function = None

    def save_model(self, request, obj, form, change):
        self.save_function(obj, by=request.user, reason=form.cleaned_data.get("audit_reason", ""))

    def delete_model(self, request, obj):
        self.delete_function(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_function(obj, by=request.user)


@admin.register(HelpLine)
class HelpLineAdmin(ListedAdmin):
    save_function = staticmethod(moderation.save_help_line)
    delete_function = staticmethod(moderation.delete_help_line)
    list_display = [
        "name_en",
        "country",
        "kind",
        "phone",
        "last_verified",
        "unconfirmed",
        "active",
    ]
    list_filter = ["country", "kind", "unconfirmed", "active"]
    search_fields = ["name_en", "name_ja", "phone", "source"]
    # Oldest checks first: numbers and hours go out of date, and a wrong number at 3 a.m. is
    # worse than none.
    ordering = ["last_verified", "country", "order"]
    date_hierarchy = "last_verified"
    fieldsets = [
        (None, {"fields": ["country", "kind", "name_en", "name_ja", "phone", "text_only", "url"]}),
        (
            _("Hours"),
            {"fields": ["timezone", "hours", "hours_note_en", "hours_note_ja", "languages"]},
        ),
        (_("Description"), {"fields": ["description_en", "description_ja"]}),
        (
            _("Checking"),
            {"fields": ["source", "last_verified", "unconfirmed", "active", "order"]},
        ),
        (None, {"fields": ["audit_reason"]}),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # A web address typed without a scheme is taken as https://, as help lines' sites are.
        if isinstance(db_field, models.URLField):
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(RiskPhrase)
class RiskPhraseAdmin(ListedAdmin):
    save_function = staticmethod(moderation.save_risk_phrase)
    delete_function = staticmethod(moderation.delete_risk_phrase)
    fields = ["phrase", "language", "active", "audit_reason"]
    list_display = ["phrase", "language", "active"]
    list_editable = ["active"]
    list_filter = ["language", "active"]
    search_fields = ["phrase"]
