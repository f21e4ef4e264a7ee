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
    return Thread.objects.select_related("board").filter(board__slug=board, key=key).first()


class ThreadConsumer(LiveConsumer):
    """/ws/thread/<board>/<key>/?last=N&lang=xx: posts after N, then every change as it happens.

    The reader is counted as present on the thread's board.
    """

    socket_kind = "thread"
    thread: Thread

    async def connect(self) -> None:
        route = self.scope["url_route"]["kwargs"]
        thread = await database_sync_to_async(_find_thread)(route["board"], int(route["key"]))
        if thread is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.thread = thread
        # Join before reading the database, so nothing committed in between is missed; what
        # arrives twice is dropped by number in `deliver`.
        await self.join(live.thread_group(thread.board.slug, thread.key))
        await self.accept()
        given = number_param(self.scope, "last", ceiling=MAX_POSTS_PER_THREAD)
        await self._replay(given if given is not None else thread.post_count)
        # "N reading now" under the thread's title, counted as people (realtime.presence).
        reading = thread_place(thread)
        await self.start_presence(here=[f"board:{thread.board.slug}", reading], watched=[reading])

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
