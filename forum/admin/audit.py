"""The audit log in the admin: readable by moderators, changeable by nobody."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin import DateFieldListFilter
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from forum.models import AuditLog

# --- Audit log ----------------------------------------------------------------------------------


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    """Read-only for everyone: the log is written only by forum.moderation."""

    list_display = ("created_at", "actor_name", "action", "object_link", "reason")
    list_filter = ("action", "object_type", ("created_at", DateFieldListFilter))
    search_fields = ("actor_name", "object_repr", "reason")
    list_per_page = 100
    show_full_result_count = False
    actions = None
    fields = ("created_at", "actor_name", "action", "object_link", "reason", "details")
    readonly_fields = fields

    ADMIN_URLS = {
        "post": "admin:forum_post_change",
        "reportedpost": "admin:forum_post_change",
        "thread": "admin:forum_thread_change",
        "ban": "admin:forum_ban_change",
        "wordfilter": "admin:forum_wordfilter_change",
        "message": "admin:chat_message_change",
    }

    @admin.display(description=_("object"), ordering="object_repr")
    def object_link(self, entry):
        name = self.ADMIN_URLS.get(entry.object_type)
        if name and entry.object_id is not None:
            try:
                url = reverse(name, args=[entry.object_id])
            except NoReverseMatch:
                return entry.object_repr
            return format_html('<a href="{}">{}</a>', url, entry.object_repr)
        return entry.object_repr

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
