"""Bans and word filters in the admin: what keeps a poster out, and which words are not posted."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from forum import moderation
from forum.admin.actions import CONFIRM_TEMPLATE, DailyIdBanForm, each, expiry_of, hash_prefix
from forum.models import Ban, WordFilter

# --- Bans ---------------------------------------------------------------------------------------


class ActiveBanFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("active", _("in force")), ("ended", _("ended"))]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.active()
        if self.value() == "ended":
            return queryset.exclude(pk__in=Ban.objects.active().values("pk"))
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
    fields = (
        "kind",
        "target",
        "scope",
        "board",
        "expires_at",
        "reason",
        "created_at",
        "created_by",
    )
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
            lambda n: ngettext("%(count)d ban lifted.", "%(count)d bans lifted.", n) % {"count": n},
        )


# --- Word filters -------------------------------------------------------------------------------


class WordFilterForm(forms.ModelForm):
    class Meta:
        model = WordFilter
        fields = (
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
