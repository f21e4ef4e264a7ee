"""The chat room socket: history on joining, replay after a reconnect, sending, live deletions.

/ws/chat/<room>/?last=N&lang=xx&tz=Area/City
    without `last`: the last 50 messages; with it: everything after N (and the placeholders of
    messages removed meanwhile). Then every message and removal as it happens.
Client frames: {"type": "send", "handle": "…", "body": "…", "nonce": "…"}; the answer is
{"type": "sent", "nonce": …, "number": …}, with a "notice" when personal information was masked.
A message with risk language is held: {"type": "help", "held": true, "nonce": …, "html": …}
shows the sender help lines first, and the same send with "confirm_risk": true posts it.
Every refusal answers {"type": "error", "code": …, "message": …, "nonce": …} (see error_code).
"""

from __future__ import annotations

import json

from channels.db import database_sync_to_async
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from chat import live, rooms
from chat.models import Room
from forum.addresses import scope_hashes
from forum.errors import Banned, FloodControlled, InvalidInput, PostingRefused, RiskLanguage
from forum.personal_info import masked_notice
from forum.poster import scope_delete_key
from realtime.consumers import CLOSE_NOT_FOUND, LiveConsumer
from realtime.scope import number_param
from support.helplines import help_lines_for

HELP_LINES = 3


def error_code(refusal: PostingRefused) -> str:
    """banned, too_long, invalid, rate_limited, slow_mode, unavailable, or refused (filters)."""
    if isinstance(refusal, Banned):
        return "banned"
    if getattr(refusal, "code", None):
        return refusal.code
    if isinstance(refusal, InvalidInput):
        return "invalid"
    if isinstance(refusal, FloodControlled):
        return "rate_limited"
    return "refused"


def _find_room(slug: str) -> Room | None:
    return Room.objects.filter(slug=slug).first()


class RoomConsumer(LiveConsumer):
    socket_kind = "chat"
    room: Room

    async def connect(self) -> None:
        slug = self.scope["url_route"]["kwargs"]["room"]
        # Join before reading history, so nothing committed in between is missed.
        await self.join(live.room_group(slug))
        last = number_param(self.scope, "last", ceiling=2**31 - 1)
        opened = await database_sync_to_async(self._open)(slug, last)
        if opened is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.hashes = scope_hashes(self.scope)
        await self.accept()
        frames, highest = opened
        for frame in frames:
            await self.send(text_data=frame)
        self.last = max(self.last, highest)
        place = self.room.presence_place
        await self.start_presence(here=[place], watched=[place])

    # --- history ------------------------------------------------------------------------------

    def _open(self, slug: str, last: int | None) -> tuple[list[str], int] | None:
        """The room and its history for a joining reader, in one trip to the database thread
        (with CONN_MAX_AGE 0 each trip opens a connection, and every socket waits in line)."""
        room = _find_room(slug)
        if room is None:
            return None
        self.room = room
        return self._history(last)

    def _history(self, last: int | None, upto: int | None = None) -> tuple[list[str], int]:
        messages = rooms.history_since(self.room, last, upto=upto)
        if len(messages) > rooms.REPLAY_LIMIT:
            return [json.dumps({"type": "reload"})], last or 0
        highest = max([last or 0, *(m.number for m in messages)])
        if upto is None and last:
            messages = rooms.removed_before(self.room, last) + messages
        if not messages:
            return [], highest
        return [live.messages_frame(live.render_messages(messages, self.language))], highest

    async def _replay(self, last: int | None) -> None:
        frames, highest = await database_sync_to_async(self._history)(last)
        for frame in frames:
            await self.send(text_data=frame)
        self.last = max(self.last, highest)

    async def _fill(self, after: int, upto: int) -> list[str]:
        frames, _highest = await database_sync_to_async(self._history)(after, upto)
        return frames

    async def recovered(self) -> None:
        await self._replay(self.last)

    async def chat_message(self, event: dict) -> None:
        await self.deliver(event["number"], event["frames"][self.language], self._fill)

    async def chat_changed(self, event: dict) -> None:
        await self.send(text_data=event["frames"][self.language])

    # --- sending ------------------------------------------------------------------------------

    def _send(self, handle: str, body: str, *, confirm_risk: bool) -> rooms.Sent:
        with translation.override(self.language):
            # Fresh, so a slow mode set in the admin applies to people already in the room.
            room = Room.objects.get(pk=self.room.pk)
            return rooms.send_message(
                room,
                sender=self.hashes,
                handle=handle,
                body=body,
                cookie_key=scope_delete_key(self.scope),
                confirm_risk=confirm_risk,
            )

    def _help(self) -> str:
        with translation.override(self.language):
            return render_to_string(
                "chat/_held.html",
                {
                    "room": self.room,
                    "help_lines": help_lines_for(self.scope, limit=HELP_LINES),
                    "help_heading": _("You are not alone. If you want to talk to someone now:"),
                    "help_return": self.room.get_absolute_url(),
                },
            )

    async def receive_json(self, content: dict) -> None:
        nonce = str(content.get("nonce", ""))[:40]
        handle, body = content.get("handle", ""), content.get("body", "")
        if (
            content.get("type") != "send"
            or not isinstance(handle, str)
            or not isinstance(body, str)
        ):
            await self.refuse("malformed", _("That message could not be read."), nonce=nonce)
            return
        try:
            sent = await database_sync_to_async(self._send)(
                handle, body, confirm_risk=content.get("confirm_risk") is True
            )
        except RiskLanguage:
            # Held: help first, for the sender's eyes only; nothing reaches the room yet.
            html = await database_sync_to_async(self._help)()
            await self.send_json({"type": "help", "held": True, "nonce": nonce, "html": html})
            return
        except PostingRefused as refusal:
            field = refusal.field
            if isinstance(refusal, InvalidInput):
                field = next(iter(refusal.errors))
            extra = {"nonce": nonce, "field": field}
            if getattr(refusal, "wait", None):  # flood control, slow mode, a surge's hold
                extra["wait"] = refusal.wait
            await self.refuse(error_code(refusal), refusal.message, **extra)
            return
        frame = {"type": "sent", "nonce": nonce, "number": sent.message.number}
        if sent.masked:
            with translation.override(self.language):
                frame["notice"] = masked_notice()
        await self.send_json(frame)
