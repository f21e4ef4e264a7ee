"""Surge mode in the admin: each board's and chat room's state with its reason, the switches a
moderator may throw by hand (through forum.surge.switch, audited), and the header notice."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forum import surge
from forum.models import SurgeState

SURGE_FIELDS = ("surge_switch", "surge_started_at", "surge_until", "surge_reason", "surge_level")


def surge_state_text(place: SurgeState, now=None) -> str:
    """What a moderator reads about a place's surge, in words."""
    now = now or timezone.now()
    if place.surge_switch == SurgeState.Switch.OFF:
        return _("off (switched by a moderator)")
    if not place.in_surge(now):
        return _("no surge")
    if place.surge_switch == SurgeState.Switch.ON:
        return _("surge, switched on by a moderator")
    local = timezone.localtime(place.surge_until)
    return _("surge since %(start)s: %(reason)s (until at least %(end)s)") % {
        "start": timezone.localtime(place.surge_started_at).strftime("%H:%M"),
        "reason": place.surge_reason,
        "end": local.strftime("%H:%M"),
    }


class SurgeAdminMixin:
    """For BoardAdmin and RoomAdmin: the surge column and the three switches."""

    actions = ["surge_on", "surge_off", "surge_automatic"]

    def get_readonly_fields(self, request, obj=None):
        # Switched only through the actions, so every change is audited.
        return (*super().get_readonly_fields(request, obj), *SURGE_FIELDS)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or self.has_switch_surge_permission(
            request
        )

    def has_switch_surge_permission(self, request):
        meta = self.model._meta
        return request.user.has_perm(f"{meta.app_label}.switch_surge")

    @admin.display(description=gettext_lazy("surge"))
    def surge_state(self, obj):
        text = surge_state_text(obj)
        if obj.in_surge():
            return format_html('<strong class="surge-on">{}</strong>', text)
        return text

    def _switch(self, request, queryset, mode, done):
        for place in queryset:
            surge.switch(place, mode, by=request.user)
        self.message_user(request, done, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Switch surge on"), permissions=["switch_surge"])
    def surge_on(self, request, queryset):
        self._switch(request, queryset, SurgeState.Switch.ON, _("Surge switched on."))

    @admin.action(description=gettext_lazy("Switch surge off"), permissions=["switch_surge"])
    def surge_off(self, request, queryset):
        self._switch(request, queryset, SurgeState.Switch.OFF, _("Surge switched off."))

    @admin.action(
        description=gettext_lazy("Let surge be automatic again"), permissions=["switch_surge"]
    )
    def surge_automatic(self, request, queryset):
        self._switch(
            request, queryset, SurgeState.Switch.AUTOMATIC, _("Surge mode is automatic again.")
        )
