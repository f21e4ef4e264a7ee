"""A bound on how many HTTP requests each server process works on at once.

Django's ASGI handler runs every synchronous request on a thread of its own, and each thread
opens a database connection of its own. Unbounded, a burst of requests (a raid, a crowd after a
link) opens more connections than PostgreSQL allows, and then every reader gets the "resting"
page. Bounded, the rest wait their turn in the event loop, which costs nothing but the wait:
WEB_REQUESTS_AT_ONCE per process, times WEB_WORKERS processes, stays well under PostgreSQL's
max_connections (100 by default) with room for the sockets and management commands.
"""

from __future__ import annotations

import asyncio
import os


class BoundedHTTP:
    def __init__(self, app, limit: int | None = None):
        self.app = app
        self.limit = limit or int(os.environ.get("WEB_REQUESTS_AT_ONCE", "16"))
        self._slots: asyncio.Semaphore | None = None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if self._slots is None:  # made on the server's own event loop
            self._slots = asyncio.Semaphore(self.limit)
        async with self._slots:
            return await self.app(scope, receive, send)
