"""A bound on how many HTTP requests each server process works on at once, with a lane of its
own for browsers the site already trusts.

Django's ASGI handler runs every synchronous request on a thread of its own, and each thread
opens a database connection of its own. Unbounded, a burst of requests (a raid, a crowd after a
link) opens more connections than PostgreSQL allows, and then every reader gets the "resting"
page. Bounded, the rest wait their turn in the event loop, which costs nothing but the wait:
WEB_REQUESTS_AT_ONCE per process, times WEB_WORKERS processes, stays well under PostgreSQL's
max_connections (100 by default) with room for the sockets and management commands.

Four is enough to keep a core busy while the others wait on PostgreSQL or Redis, and more only
costs: the threads take turns at the GIL, and a reply that lost its turn waited for every other
(bench/posting.py, 32 posters on 2 cores: p99 about 430 ms with 16 at once, about 250 with 4, at
the same posts per second).

In a raid that queue is the raid's; a request carrying a standing pass (forum.standing_pass)
takes one of WEB_TRUSTED_AT_ONCE slots kept for such requests instead, so regulars do not wait
behind a flood of newcomers.
"""

from __future__ import annotations

import asyncio
import os

from django.http import parse_cookie

from forum.standing_pass import has_pass


class BoundedHTTP:
    def __init__(self, app, limit: int | None = None, trusted: int | None = None):
        self.app = app
        self.limit = limit or int(os.environ.get("WEB_REQUESTS_AT_ONCE", "4"))
        self.trusted = trusted or int(os.environ.get("WEB_TRUSTED_AT_ONCE", "4"))
        self._slots: asyncio.Semaphore | None = None
        self._trusted_slots: asyncio.Semaphore | None = None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if self._slots is None:  # made on the server's own event loop
            self._slots = asyncio.Semaphore(self.limit)
            self._trusted_slots = asyncio.Semaphore(self.trusted)
        slots = self._trusted_slots if _has_pass(scope) else self._slots
        async with slots:
            return await self.app(scope, receive, send)


def _has_pass(scope) -> bool:
    cookie = next((value for name, value in scope["headers"] if name == b"cookie"), b"")
    return bool(cookie) and has_pass(parse_cookie(cookie.decode("latin-1")))
