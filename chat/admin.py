"""Rooms (titles, slow mode) and messages in the admin. Removing a message goes through
chat.rooms.delete_message, so the room sees it vanish at once."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from chat import rooms
from chat.models import Message, Room


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = [
        "slug",
        "title_en",
        "title_ja",
        "slow_mode_seconds",
        "message_count",
        "position",
    ]
    list_editable = ["slow_mode_seconds", "position"]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["room", "number", "created_at", "handle", "daily_id", "body", "status"]
    list_filter = ["room", "status", "is_risk_flagged", "is_filter_flagged"]
    search_fields = ["body", "daily_id"]
    ordering = ["-created_at"]
    date_hierarchy = "created_at"
    actions = ["remove_messages", "restore_messages"]
    # Messages change only through chat.rooms; the admin reads them and acts on them.
    readonly_fields = [f.name for f in Message._meta.fields if f.name != "id"]
    exclude = ["address_hash", "range_hash_narrow", "range_hash_wide"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Remove the selected messages (everyone sees a placeholder)"))
    def remove_messages(self, request, queryset):
        done = 0
        for message in queryset.select_related("room").filter(status=Message.Status.VISIBLE):
            rooms.delete_message(message, by=request.user)
            done += 1
        self.message_user(
            request,
            ngettext("%(count)d message removed.", "%(count)d messages removed.", done)
            % {"count": done},
            messages.SUCCESS,
        )

    @admin.action(description=_("Restore the selected messages"))
    def restore_messages(self, request, queryset):
        done = 0
        for message in queryset.select_related("room").exclude(status=Message.Status.VISIBLE):
            rooms.restore_message(message, by=request.user)
            done += 1
        self.message_user(
            request,
            ngettext("%(count)d message restored.", "%(count)d messages restored.", done)
            % {"count": done},
            messages.SUCCESS,
        )
