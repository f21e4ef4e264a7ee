"""Rooms (titles, slow mode) and messages in the admin. Removing a message goes through
chat.rooms.delete_message, so the room sees it vanish at once and the audit log records it;
the forms and ban come from the boards' moderation (forum.admin_actions, forum.moderation)."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from chat import rooms
from chat.models import Message, Room
from forum import moderation
from forum.admin.actions import (
    BanForm,
    ReasonForm,
    asks,
    each,
    expiry_of,
    suggested_ban_initial,
    suggested_ban_intro,
)
from forum.admin.surge import SurgeAdminMixin
from forum.models import Ban

HASH_FIELDS = ("address_hash", "range_hash_narrow", "range_hash_wide")


@admin.register(Room)
class RoomAdmin(SurgeAdminMixin, admin.ModelAdmin):
    list_display = [
        "slug",
        "title_en",
        "title_ja",
        "slow_mode_seconds",
        "message_count",
        "position",
        "surge_state",
    ]
    list_editable = ["slow_mode_seconds", "position"]


class ChatBanForm(BanForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A message belongs to no board, so a ban from it is site-wide or chat only.
        self.fields["scope"].choices = [
            (Ban.Scope.CHAT, _("chat only")),
            (Ban.Scope.SITE, _("the whole site (boards and chat)")),
        ]
        self.fields["scope"].initial = Ban.Scope.CHAT


def message_label(message: Message) -> str:
    return f"{message.room.slug}#{message.number}"


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = [
        "room",
        "number",
        "created_at",
        "handle",
        "daily_id",
        "address",
        "body",
        "status",
        "is_risk_flagged",
    ]
    list_filter = ["room", "status", "is_risk_flagged", "is_filter_flagged"]
    search_fields = ["body", "=daily_id", "^address_hash"]
    list_select_related = ["room"]
    list_per_page = 100
    show_full_result_count = False
    ordering = ["-created_at"]
    date_hierarchy = "created_at"
    actions = ["remove_messages", "restore_messages", "ban_senders"]
    # Messages change only through chat.rooms; the admin reads them and acts on them.
    readonly_fields = [
        *(f.name for f in Message._meta.fields if f.name not in ("id", *HASH_FIELDS)),
        "address",
    ]
    exclude = list(HASH_FIELDS)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_ban_permission(self, request) -> bool:
        return request.user.has_perm("forum.add_ban")

    @admin.display(description=_("address hash"))
    def address(self, message):
        # Moderators see the start of the keyed hash, enough to connect messages; never more.
        return format_html("<code>{}</code>", message.address_hash[:10] or "—")

    @admin.action(
        description=_("Remove with a reason (everyone sees a placeholder)"),
        permissions=["change"],
    )
    @asks(ReasonForm, title=_("Remove chat messages"), submit=_("Remove"))
    def remove_messages(self, request, queryset, data):
        each(
            request,
            queryset.select_related("room").visible(),
            lambda message: rooms.delete_message(message, by=request.user, reason=data["reason"]),
            lambda n: (
                ngettext("%(count)d message removed.", "%(count)d messages removed.", n)
                % {"count": n}
            ),
        )

    @admin.action(description=_("Restore the selected messages"), permissions=["change"])
    def restore_messages(self, request, queryset):
        each(
            request,
            queryset.select_related("room").exclude(status=Message.Status.VISIBLE),
            lambda message: rooms.restore_message(message, by=request.user),
            lambda n: (
                ngettext("%(count)d message restored.", "%(count)d messages restored.", n)
                % {"count": n}
            ),
        )

    @admin.action(description=_("Ban the sender"), permissions=["ban"])
    @asks(
        ChatBanForm,
        title=_("Ban the senders of these messages"),
        submit=_("Ban"),
        initial=suggested_ban_initial,
        intro=suggested_ban_intro,
    )
    def ban_senders(self, request, queryset, data):
        expires_at = expiry_of(data["duration"])
        banned: set[str] = set()

        def ban(message):
            target = moderation.poster_hash(message, data["kind"])
            if target and target in banned:
                return  # several messages by one sender: one ban
            moderation.ban_sender(
                message,
                label=message_label(message),
                by=request.user,
                kind=data["kind"],
                scope=data["scope"],
                expires_at=expires_at,
                reason=data["reason"],
            )
            banned.add(target)

        each(
            request,
            queryset.select_related("room"),
            ban,
            lambda n: (
                ngettext(
                    "The sender of %(count)d message is banned.",
                    "The senders of %(count)d messages are banned.",
                    n,
                )
                % {"count": n}
            ),
        )
