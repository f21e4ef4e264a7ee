"""Chat rooms and their messages.

Messages are numbered 1..N per room under the room's row lock (see chat.rooms.send_message), so
the numbers follow commit order and a client that says "I saw up to 41" can be given exactly
what came after. (room, number) is unique and bodies are capped by the database too.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from forum.models import Bilingual, SealedAddressBase, SurgeState

# Longest message, in characters after cleaning (the WebSocket frame limit is 4 KB on top).
MESSAGE_MAX = 500

# A room's short name as URLs and sockets match it.
ROOM_SLUG = r"[a-z0-9_-]{1,32}"
# How `manage.py unseal` names a message: /chat/room/number, or room#number as the audit log does.
MESSAGE_PATH = re.compile(rf"/chat/({ROOM_SLUG})/(\d+)/?")
MESSAGE_LABEL = re.compile(rf"({ROOM_SLUG})#(\d+)")


class Room(Bilingual, SurgeState):
    slug = models.CharField(
        _("short name"),
        max_length=32,
        unique=True,
        validators=[
            RegexValidator(rf"^{ROOM_SLUG}$", _("Lower-case ASCII letters, digits, - and _."))
        ],
    )
    title_en = models.CharField(_("title (English)"), max_length=64)
    title_ja = models.CharField(_("title (Japanese)"), max_length=64)
    description_en = models.CharField(_("description (English)"), max_length=300, blank=True)
    description_ja = models.CharField(_("description (Japanese)"), max_length=300, blank=True)
    slow_mode_seconds = models.PositiveIntegerField(
        _("slow mode (seconds)"),
        default=0,
        help_text=_("Each person may send one message per this many seconds here (0: off)."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    # The last number given to a message; the row is the lock that orders messages.
    message_count = models.PositiveIntegerField(_("messages"), default=0, editable=False)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("chat room")
        verbose_name_plural = _("chat rooms")
        permissions = [("switch_surge", _("Can switch surge mode"))]

    def __str__(self) -> str:
        return f"{self.slug}: {self.title_en}"

    def recent_activity(self, since) -> tuple[int, int]:
        """Chat has no threads: (0, messages here since then), for forum.surge's usual rate."""
        return 0, self.messages.filter(created_at__gte=since).count()

    def get_absolute_url(self) -> str:
        return f"/chat/{self.slug}/"

    @property
    def title(self) -> str:
        return self._localised("title")

    @property
    def description(self) -> str:
        return self._localised("description")

    @property
    def presence_place(self) -> str:
        return f"room:{self.slug}"


class MessageQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(status=Message.Status.VISIBLE)


class Message(models.Model):
    class Status(models.TextChoices):
        VISIBLE = "visible", _("visible")
        DELETED_BY_MODERATOR = "deleted_by_moderator", _("deleted by a moderator")

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="messages")
    number = models.PositiveIntegerField(_("number"))
    # The handle as shown, without the tripcode key; empty means "Anonymous".
    handle = models.CharField(_("handle"), max_length=32, blank=True)
    tripcode = models.CharField(_("tripcode"), max_length=12, blank=True)
    daily_id = models.CharField(pgettext_lazy("post header", "ID"), max_length=8)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    # HMACs of the sender's address and networks (for bans); emptied after the retention period.
    address_hash = models.CharField(_("address hash"), max_length=64, blank=True, db_index=True)
    range_hash_narrow = models.CharField(_("network hash (/24, /64)"), max_length=64, blank=True)
    range_hash_wide = models.CharField(_("network hash (/16, /48)"), max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.VISIBLE
    )
    status_reason = models.CharField(_("reason"), max_length=200, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True, editable=False)
    is_risk_flagged = models.BooleanField(_("risk language"), default=False, db_index=True)
    is_filter_flagged = models.BooleanField(_("flagged by a word filter"), default=False)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("chat message")
        verbose_name_plural = _("chat messages")
        ordering = ["room", "number"]
        constraints = [
            models.UniqueConstraint(fields=["room", "number"], name="chat_message_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="chat_message_number_positive"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("body"), MESSAGE_MAX),
                name="chat_message_body_length",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.room.slug}#{self.number}"

    def get_absolute_url(self) -> str:
        return f"{self.room.get_absolute_url()}#m{self.number}"

    @property
    def is_visible(self) -> bool:
        return self.status == self.Status.VISIBLE


class SealedMessageAddress(SealedAddressBase):
    """The sealed address of a chat message with risk language (see forum.models.sealed)."""

    source_field = "message"
    message = models.OneToOneField(Message, on_delete=models.CASCADE, related_name="sealed_address")

    class Meta:
        verbose_name = _("sealed address of a chat message")
        verbose_name_plural = _("sealed addresses of chat messages")

    @classmethod
    def find(cls, target: str):
        """`/chat/room/number`, or `room#number` as the audit log names a message."""
        match = MESSAGE_PATH.fullmatch(target) or MESSAGE_LABEL.fullmatch(target)
        if match is None:
            return None
        room, number = match.groups()
        return (
            cls.objects.select_related("message__room")
            .filter(message__room__slug=room, message__number=int(number))
            .first()
        )
