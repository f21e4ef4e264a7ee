"""The boards' WebSocket: a live thread, its posts as they arrive and change.

The socket itself (language, frame limit, presence, numbered delivery, Redis outages) is
realtime.consumers.LiveConsumer; what readers are sent is forum.live's.
"""

from __future__ import annotations

from channels.db import database_sync_to_async

from forum import live
from forum.models import MAX_POSTS_PER_THREAD, Thread
from forum.poster import scope_delete_key
from forum.replies import replies_group
from forum.standing import key_hash
from realtime.consumers import CLOSE_NOT_FOUND, LiveConsumer
from realtime.scope import number_param


def thread_place(thread: Thread) -> str:
    """The presence place of a thread page (the template's data-presence says the same)."""
    return f"thread:{thread.board.slug}-{thread.key}"


def _find_thread(board: str, key: int) -> Thread | None:
    return Thread.objects.at(board, key)


def _open_thread(
    board: str, key: int, given: int | None, language: str
) -> tuple[Thread, list[str], int] | None:
    """The thread, and what a reader who has posts up to `given` (None: as many as the thread
    has now) is missing: one trip to the database thread, one connection (with CONN_MAX_AGE 0
    each trip opens a connection of its own, and every socket of a process waits in line)."""
    thread = _find_thread(board, key)
    if thread is None:
        return None
    after = given if given is not None else thread.post_count
    frames, highest = live.catch_up(thread, after, language)
    return thread, frames, max(after, highest)


class ThreadConsumer(LiveConsumer):
    """/ws/thread/<board>/<key>/?last=N&lang=xx: posts after N, then every change as it happens.

    The reader is counted as present on the thread's board.
    """

    socket_kind = "thread"
    thread: Thread

    async def connect(self) -> None:
        route = self.scope["url_route"]["kwargs"]
        board, key = route["board"], int(route["key"])
        # Join before reading the database, so nothing committed in between is missed; what
        # arrives twice is dropped by number in `deliver`.
        await self.join(live.thread_group(board, key))
        given = number_param(self.scope, "last", ceiling=MAX_POSTS_PER_THREAD)
        opened = await database_sync_to_async(_open_thread)(board, key, given, self.language)
        if opened is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.thread, frames, highest = opened
        await self.accept()
        for frame in frames:
            await self.send(text_data=frame)
        self.last = max(self.last, highest)
        # "N reading now" under the thread's title, counted as people (realtime.presence).
        reading = thread_place(self.thread)
        await self.start_presence(
            here=[f"board:{self.thread.board.slug}", reading], watched=[reading]
        )

    async def _catch_up(self, after: int, upto: int | None = None) -> tuple[list[str], int]:
        return await database_sync_to_async(live.catch_up)(
            self.thread, after, self.language, upto=upto
        )

    async def _replay(self, after: int) -> None:
        frames, highest = await self._catch_up(after)
        for frame in frames:
            await self.send(text_data=frame)
        self.last = max(self.last, after, highest)

    async def _fill(self, after: int, upto: int) -> list[str]:
        frames, _highest = await self._catch_up(after, upto)
        return frames

    async def recovered(self) -> None:
        await self._replay(self.last)

    async def thread_post(self, event: dict) -> None:
        await self.deliver(event["number"], event["frames"][self.language], self._fill)

    async def thread_changed(self, event: dict) -> None:
        await self.send(text_data=event["frames"][self.language])


class RepliesConsumer(LiveConsumer):
    """/ws/replies/: told when someone replies to a post this browser wrote (forum.replies).

    Frames say only {"type": "replies"}; the page asks /replies/count/ for the number, so a
    socket never carries anything about a post. A browser without a poster cookie is refused.
    """

    async def connect(self) -> None:
        key = key_hash(scope_delete_key(self.scope))
        if not key:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        await self.join(replies_group(key))
        await self.accept()

    async def replies_new(self, event: dict) -> None:
        await self.send_json({"type": "replies"})
