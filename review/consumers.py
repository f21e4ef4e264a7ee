"""The staff-only socket of the review queue: an open queue page hears of every change at once."""

from __future__ import annotations

import json

from channels.db import database_sync_to_async

from forum.moderation.staff import is_staff_with_mfa
from realtime.consumers import CountedSocket
from review.notify import STAFF_GROUP
from review.queue import latest_signal

CLOSE_FORBIDDEN = 4403


class ReviewQueueConsumer(CountedSocket):
    socket_kind = "review"

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not await database_sync_to_async(is_staff_with_mfa)(user):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self.channel_layer.group_add(STAFF_GROUP, self.channel_name)
        await self.accept()
        # What arrived while the page was loading, before this socket joined the group: the page
        # compares it with the newest signal it was rendered with.
        await self.send(
            text_data=json.dumps({"latest": await database_sync_to_async(latest_signal)()})
        )

    async def disconnect(self, code):
        await self.channel_layer.group_discard(STAFF_GROUP, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        """Nothing to say to the server: the page only listens."""

    async def review_changed(self, event):
        await self.send(text_data=json.dumps({"risk": bool(event.get("risk"))}))
