"""What every Yoake WebSocket shares, the boards' and chat's alike, and the sockets that need
nothing else: "people here now" counts (`PresenceConsumer`) and the refusal of unknown paths.

`LiveConsumer` holds the reader's language, the 4 KB frame limit, presence, numbered delivery
without loss or repeats, and surviving a Redis outage without an error page or a traceback per
reconnect attempt. forum.consumers and chat.consumers build their sockets on it.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
from collections.abc import Awaitable, Callable

from channels.consumer import get_handler_name
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from config import metrics
from config.outages import DATABASE_DOWN
from realtime import presence
from realtime.frames import MAX_FRAME_BYTES, frame_size, parse_frame
from realtime.scope import query_params, reader_language

logger = logging.getLogger(__name__)

# Close codes: 1008 policy, 1009 too big, 1013 try again later, 4404 no such thread or room,
# 4503 database down.
CLOSE_TOO_BIG = 1009
CLOSE_TRY_LATER = 1013
CLOSE_NOT_FOUND = 4404
# PostgreSQL does not answer; static/js/socket.js waits longer before reconnecting.
CLOSE_DATABASE_DOWN = 4503
# What a PostgreSQL that does not answer raises: refused, lost, or gone mid-query.


async def dispatch_one_at_a_time(sources: list[Callable[[], Awaitable[dict]]], dispatch) -> None:
    """Hand every message of every source to `dispatch`, one at a time and each source's in
    order, until a source or `dispatch` raises, as channels' await_many_dispatch does, but with
    one long-lived task per source: await_many_dispatch makes a task and an asyncio.wait for
    every message, a third of a process's CPU when a post goes out to 1000 readers."""
    one_at_a_time = asyncio.Lock()

    async def read(source) -> None:
        while True:
            message = await source()
            async with one_at_a_time:
                await dispatch(message)

    readers = [asyncio.ensure_future(read(source)) for source in sources]
    try:
        done, _pending = await asyncio.wait(readers, return_when=asyncio.FIRST_COMPLETED)
        for reader in done:
            reader.result()  # raises what ended it (StopConsumer when the socket closed)
    finally:
        for reader in readers:
            reader.cancel()
        await asyncio.gather(*readers, return_exceptions=True)


class CountedSocket(AsyncWebsocketConsumer):
    """Counted in /metrics' open sockets (config.metrics) of its `socket_kind` from its accept
    until the consumer ends, however it ends: closed by either side, or the server stopping.

    Runs as channels' AsyncConsumer does, dispatching with `dispatch_one_at_a_time`."""

    socket_kind: str = ""
    _counted = False

    async def __call__(self, scope, receive, send):
        try:
            # AsyncConsumer.__call__ (channels 4.3), but for the dispatching.
            self.scope = scope
            self.channel_layer = get_channel_layer(self.channel_layer_alias)
            sources = [receive]
            if self.channel_layer is not None:
                self.channel_name = await self.channel_layer.new_channel()
                self.channel_receive = functools.partial(
                    self.channel_layer.receive, self.channel_name
                )
                sources.append(self.channel_receive)
            self.base_send = send
            with contextlib.suppress(StopConsumer):
                await dispatch_one_at_a_time(sources, self.dispatch)
        finally:
            if self._counted:
                self._counted = False
                metrics.socket_closed(self.socket_kind)

    async def accept(self, subprotocol=None, headers=None):
        await super().accept(subprotocol, headers)
        if self.socket_kind and not self._counted:
            self._counted = True
            metrics.socket_opened(self.socket_kind)


class LiveConsumer(CountedSocket):
    """A socket with a language, presence, and numbered delivery (see `deliver`)."""

    language: str = settings.LANGUAGE_CODE
    last: int = 0
    _presence: presence.Presence | None = None
    _joined: tuple[str, ...] = ()
    _redis_lost = False
    _accepted = False

    async def __call__(self, scope, receive, send):
        self.language = reader_language(scope)
        try:
            await super().__call__(scope, receive, send)
        except presence.FAILED as error:
            # The channel layer (Redis) is unreachable: refuse politely, the page retries later.
            logger.info("socket refused, Redis unavailable: %s", error)
            with contextlib.suppress(Exception):  # the client may be gone already
                await send({"type": "websocket.close", "code": CLOSE_TRY_LATER})

    async def dispatch(self, message):
        # Channels closes stale database connections before every handler, one thread hop per
        # message; at hundreds of readers that dominates. Database work here goes through
        # database_sync_to_async, which closes stale connections itself.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        try:
            await handler(message)
        except DATABASE_DOWN as error:
            await self.close_database_down(error)

    async def accept(self, subprotocol=None, headers=None):
        await super().accept(subprotocol, headers)
        self._accepted = True

    async def close_database_down(self, error: Exception) -> None:
        """PostgreSQL does not answer: say so in the reader's language and close with 4503, so
        the page waits a while before it tries again. The HTTP side logs the outage once;
        database_sync_to_async has already closed the broken connection, so the next socket
        connects afresh."""
        logger.info("socket closed, database unavailable: %s", type(error).__name__)
        with contextlib.suppress(Exception):  # the client may be gone already
            if not self._accepted:
                await self.accept()
            with translation.override(self.language):
                await self.refuse(
                    "database_unavailable",
                    _("Yoake is resting for a moment. Trying again soon…"),
                )
            await self.close(code=CLOSE_DATABASE_DOWN)

    # --- groups and presence ------------------------------------------------------------------

    async def join(self, *groups: str) -> None:
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)
        self._joined += groups

    async def start_presence(self, *, here: list[str], watched: list[str] = ()) -> None:
        self._presence = presence.Presence(
            here=here,
            watched=watched,
            report=self._presence_seen,
            mark=query_params(self.scope).get("here"),
        )
        await self._presence.start()

    async def _presence_seen(self, counts: presence.Counts | None) -> None:
        if counts is None:
            self._redis_lost = True
        elif self._redis_lost:
            # Redis is back: whatever was broadcast while it was away never arrived.
            self._redis_lost = False
            await self.recovered()
        if self._presence and self._presence.watched:
            await self.send_json({"type": "presence", "places": self.describe_counts(counts)})

    def describe_counts(self, counts: presence.Counts | None) -> dict | None:
        if counts is None:
            return None
        with translation.override(self.language):
            return {
                place: {"count": count, "text": presence.describe(count, place)}
                for place, count in counts.items()
            }

    async def recovered(self) -> None:
        """Called when Redis answers again after an outage; catch the client up here."""

    async def websocket_disconnect(self, message):
        if self._presence is not None:
            await self._presence.stop()
        for group in self._joined:
            with contextlib.suppress(presence.FAILED):
                await self.channel_layer.group_discard(group, self.channel_name)
        raise StopConsumer()

    # --- frames -------------------------------------------------------------------------------

    async def send_json(self, content: dict) -> None:
        await self.send(text_data=json.dumps(content, ensure_ascii=False))

    async def refuse(self, code: str, message: str, **extra) -> None:
        """A clear error event for the client; the socket stays open unless told otherwise."""
        await self.send_json({"type": "error", "code": code, "message": message, **extra})

    async def receive(self, text_data=None, bytes_data=None):
        with translation.override(self.language):
            if frame_size(text_data, bytes_data) > MAX_FRAME_BYTES:
                await self.refuse("too_large", _("That message is too large to send."))
                await self.close(code=CLOSE_TOO_BIG)
                return
            content = parse_frame(text_data)
            if content is None:
                await self.refuse("malformed", _("That message could not be read."))
                return
            await self.receive_json(content)

    async def receive_json(self, content: dict) -> None:
        """Sockets that only listen ignore what clients say."""

    async def deliver(
        self, number: int, frame: str, fill: Callable[[int, int], Awaitable[list[str]]]
    ) -> None:
        """Send item `number` once, in order: skip what the client has, fill gaps first.

        Broadcasts from different processes can overtake each other, and one sent while Redis
        was away never arrives; `fill(after, upto)` fetches the missing items from PostgreSQL.
        """
        if number <= self.last:
            return
        if number > self.last + 1:
            for missing in await fill(self.last, number - 1):
                await self.send(text_data=missing)
        await self.send(text_data=frame)
        self.last = number


class PresenceConsumer(LiveConsumer):
    """/ws/presence/?at=board:night&watch=site,board:night: counts only, no channel layer.

    Home and board pages are the most common sockets, and need nothing from other processes
    but the counts in Redis; an alias with no layer behind it keeps them off pub/sub.
    """

    channel_layer_alias = "yoake-presence-needs-no-layer"
    socket_kind = "presence"

    async def connect(self) -> None:
        params = query_params(self.scope)
        here = presence.valid_places([params.get("at", "")])
        watched = presence.valid_places(params.get("watch", "").split(","))
        await self.accept()
        await self.start_presence(here=here, watched=watched)


class NoSuchSocket(LiveConsumer):
    """Refuses any path without a consumer (with no channel layer, so even without Redis)."""

    channel_layer_alias = PresenceConsumer.channel_layer_alias

    async def connect(self) -> None:
        await self.close(code=CLOSE_NOT_FOUND)
