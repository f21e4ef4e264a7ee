"""How many people are here now: approximate counts per place, kept in Redis with expiry.

A place is "site" or "<kind>:<name>" (the boards count "board:<slug>", chat "room:<slug>"; this
module knows no kinds). Every open WebSocket adds a random token to a sorted set per place it is
at, scored with the moment it expires, and removes it on close; every YOAKE_PRESENCE_SECONDS each
process refreshes all its connections' tokens in one round trip. A process that dies leaves
tokens that expire on their own. Counts fail soft: None when Redis is away.

People, not tabs: a page may send a mark its browser keeps for the day (static/js/socket.js: a
random value in localStorage, new each day, sent nowhere else). The token is a keyed hash of it,
so two tabs of one browser are one token, and a token leaves only with the last of them in this
process (another process's tab puts it back on its next beat). Without a mark, each connection
has a random token of its own. Neither says anything about who is connected.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import re
import secrets
import time
import weakref
from collections.abc import Awaitable, Callable, Iterable

from django.conf import settings
from django.utils.translation import ngettext
from redis import asyncio as aioredis
from redis.exceptions import RedisError

from config.cache import UNAVAILABLE, counters_alias, counters_client

logger = logging.getLogger(__name__)

SITE = "site"
# Any kind of place, with a name short and plain enough to be a Redis key as it is.
PLACE = re.compile(r"^(?:site|[a-z]{1,16}:[a-z0-9_-]{1,64})$")
# A page watches few places (the home page: the site and each board).
MAX_WATCHED = 32
FAILED = (*UNAVAILABLE, RedisError, asyncio.TimeoutError)

Counts = dict[str, int]


def interval() -> float:
    """Seconds between a connection's refreshes; counts on screen are at most this old.

    YOAKE_PRESENCE_SECONDS (default 10). A token lives three intervals without a refresh.
    """
    return float(settings.YOAKE_PRESENCE_SECONDS)


def _key(place: str) -> str:
    return f"yoake:presence:{place}"


def valid_places(places: Iterable[str]) -> list[str]:
    """The well-formed places among `places`, without repeats, at most MAX_WATCHED."""
    seen: list[str] = []
    for place in places:
        if PLACE.match(place) and place not in seen:
            seen.append(place)
    return seen[:MAX_WATCHED]


# A browser's daily mark, as socket.js makes it.
MARK = re.compile(r"^[0-9a-f]{32}$")
# How many of this process's connections hold each token (two tabs, one person).
_holders: dict[str, int] = {}


def token_for(mark: str | None) -> str:
    if mark and MARK.match(mark):
        from forum.addresses import keyed_digest  # the site's one keyed hash

        return keyed_digest("presence", mark)[:24]
    return secrets.token_hex(12)


def describe(count: int, place: str = SITE) -> str:
    if place.startswith("thread:"):
        return ngettext("%(count)d reading now", "%(count)d reading now", count) % {"count": count}
    return ngettext("%(count)d person here now", "%(count)d people here now", count) % {
        "count": count
    }


# --- async side, for consumers -------------------------------------------------------------------
# redis.asyncio connections belong to the event loop that made them, so each loop gets its own
# client; the URL is read from the counters' cache settings (config.cache.counters_alias), so a
# test that moves Redis moves presence too.
_clients: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _redis_url() -> str:
    location = settings.CACHES[counters_alias()]["LOCATION"]
    if isinstance(location, list | tuple):
        location = location[0]
    return location.split(",")[0]


def _client() -> aioredis.Redis:
    loop = asyncio.get_running_loop()
    url = _redis_url()
    per_loop = _clients.setdefault(loop, {})
    if url not in per_loop:
        per_loop[url] = aioredis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=1.0)
    return per_loop[url]


async def refresh(token: str, here: Iterable[str], watched: Iterable[str]) -> Counts | None:
    """Mark `token` present at `here` and return the counts of `watched` (None: Redis is away)."""
    return await refresh_all({place: [token] for place in here}, watched)


async def refresh_all(present: dict[str, Iterable[str]], watched: Iterable[str]) -> Counts | None:
    """Mark every token of `present` ({place: tokens}) present there, in one round trip, and
    return the counts of `watched` (None: Redis is away)."""
    now = time.time()
    lifetime = 3 * interval()
    watched = list(watched)
    try:
        pipe = _client().pipeline(transaction=False)
        for place, tokens in present.items():
            pipe.zadd(_key(place), dict.fromkeys(tokens, now + lifetime))
            pipe.expire(_key(place), math.ceil(lifetime) + 1)
        for place in watched:
            pipe.zremrangebyscore(_key(place), "-inf", now)
            pipe.zcard(_key(place))
        results = await pipe.execute()
    except FAILED as error:
        logger.info("presence unavailable: %s", error)
        return None
    # After the refresh replies come (removed, count) pairs, one pair per watched place.
    cards = results[len(results) - 2 * len(watched) :][1::2]
    return dict(zip(watched, (int(c) for c in cards), strict=True))


async def leave(token: str, here: Iterable[str]) -> None:
    try:
        pipe = _client().pipeline(transaction=False)
        for place in here:
            pipe.zrem(_key(place), token)
        await pipe.execute()
    except FAILED:
        pass  # the token expires by itself


class Presence:
    """One connection's presence: counted at `here`, reporting the counts of `watched`.

    `report(counts)` is awaited with the first counts, then whenever they change, and with None
    while Redis is unreachable (so a consumer can notice the outage and catch up afterwards).
    After the first refresh, the connection is refreshed with every other one of its process
    (`_ProcessBeat`).
    """

    def __init__(
        self,
        *,
        here: Iterable[str],
        watched: Iterable[str] = (),
        report: Callable[[Counts | None], Awaitable[None]],
        mark: str | None = None,
    ):
        self.token = token_for(mark)
        _holders[self.token] = _holders.get(self.token, 0) + 1
        self.here = valid_places([*here, SITE])
        self.watched = valid_places(watched)
        self.report = report
        self._beat: _ProcessBeat | None = None
        self._reporting: asyncio.Task | None = None
        self._last: Counts | bool | None = False  # False: nothing reported yet

    async def start(self) -> None:
        counts = await refresh(self.token, self.here, self.watched)
        self._last = counts
        await self.report(counts)
        self._beat = _process_beat()
        self._beat.add(self)

    def seen(self, counts: Counts | None) -> None:
        """The process's beat read `counts` (of every place watched there, or None)."""
        if counts is not None:
            counts = {place: counts[place] for place in self.watched}
        if counts == self._last:
            return
        self._last = counts
        # Reported in a task of its own: a reader slow to take frames holds up only itself.
        if self._reporting is None or self._reporting.done():
            self._reporting = asyncio.ensure_future(self._report())

    async def _report(self) -> None:
        while True:
            counts = self._last
            try:
                await self.report(counts)
            except Exception as error:  # mostly a socket closing between two beats
                logger.info("presence report failed: %r", error)
                return
            if self._last == counts:
                return  # else the counts moved on while this report was sent

    async def stop(self) -> None:
        if self._beat is not None:
            self._beat.discard(self)
            self._beat = None
        if self._reporting is not None:
            self._reporting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reporting
            self._reporting = None
        _holders[self.token] = _holders.get(self.token, 1) - 1
        if _holders[self.token] > 0:
            return  # another tab of the same browser is still here
        del _holders[self.token]
        await leave(self.token, self.here)


class _ProcessBeat:
    """Every connection of this process's event loop, refreshed together every interval(): one
    round trip to Redis however many sockets are open (one per socket would take a core at
    10 000 sockets), then each connection told its counts."""

    def __init__(self) -> None:
        self.members: dict[Presence, None] = {}  # an ordered set
        self._task: asyncio.Task | None = None

    def add(self, member: Presence) -> None:
        self.members[member] = None
        if self._task is None:
            self._task = asyncio.ensure_future(self._run())

    def discard(self, member: Presence) -> None:
        self.members.pop(member, None)
        if not self.members and self._task is not None:
            self._task.cancel()
            self._task = None

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(interval())
            try:
                await self.beat()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # never let one beat's failure stop the next
                logger.info("presence beat failed: %r", error)

    async def beat(self) -> None:
        members = list(self.members)
        present: dict[str, dict[str, None]] = {}
        watched: dict[str, None] = {}
        for member in members:
            for place in member.here:
                present.setdefault(place, {})[member.token] = None
            watched.update(dict.fromkeys(member.watched))
        counts = await refresh_all(present, watched)
        for member in members:
            if member in self.members:  # not gone while Redis answered
                member.seen(counts)


_beats: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _process_beat() -> _ProcessBeat:
    loop = asyncio.get_running_loop()
    if loop not in _beats:
        _beats[loop] = _ProcessBeat()
    return _beats[loop]


# --- sync side, for pages that are rendered per request (chat) ----------------------------------


def counts_now(places: Iterable[str]) -> Counts | None:
    places = valid_places(places)
    now = time.time()
    try:
        pipe = counters_client().pipeline(transaction=False)
        for place in places:
            pipe.zremrangebyscore(_key(place), "-inf", now)
            pipe.zcard(_key(place))
        results = pipe.execute()
    except FAILED:
        return None
    return dict(zip(places, (int(c) for c in results[1::2]), strict=True))
