"""Flood control in Redis, per poster (an IPv6 /64 is one): post interval, threads per hour,
repeated bodies.

If Redis is unreachable the checks step aside: posting must keep working without it.
"""

from __future__ import annotations

import hashlib
from contextlib import suppress

from django.conf import settings
from django.utils.translation import ngettext

from config.cache import UNAVAILABLE, redis_client
from forum.errors import DuplicateBody, FloodControlled, ThreadQuotaReached

DUPLICATE_MEMORY_SECONDS = 24 * 3600


def _key(*parts: str) -> str:
    return "yoake:flood:" + ":".join(parts)


def post_interval(board) -> int:
    if board.flood_interval is not None:
        return board.flood_interval
    return settings.YOAKE_POST_INTERVAL


def claim_post_slot(poster_hash: str, place: str, interval: int) -> None:
    """Take the poster's slot for `interval` seconds, or raise FloodControlled with the wait."""
    if interval <= 0:
        return
    key = _key("post", place, poster_hash)
    try:
        client = redis_client()
        if client.set(key, 1, nx=True, ex=interval):
            return
        wait = client.ttl(key)
    except UNAVAILABLE:
        return
    raise FloodControlled(wait if wait and wait > 0 else interval)


def release_post_slot(poster_hash: str, place: str) -> None:
    """A post that failed for another reason should not make its writer wait."""
    with suppress(UNAVAILABLE):
        redis_client().delete(_key("post", place, poster_hash))


def claim_thread_quota(poster_hash: str, place: str, per_hour: int) -> None:
    """At most `per_hour` new threads per poster per board per hour."""
    key = _key("threads", place, poster_hash)
    try:
        client = redis_client()
        pipe = client.pipeline()
        # The hour starts at the first thread (SET NX), as EXPIRE NX needs Redis 7.
        pipe.set(key, 0, nx=True, ex=3600)
        pipe.incr(key)
        pipe.ttl(key)
        _, count, ttl = pipe.execute()
    except UNAVAILABLE:
        return
    if count > per_hour:
        client.decr(key)
        wait = ttl if ttl and ttl > 0 else 3600
        minutes = max(1, (wait + 59) // 60)
        raise ThreadQuotaReached(
            wait,
            ngettext(
                "You have started enough threads for now. You can start another in %(minutes)d "
                "minute.",
                "You have started enough threads for now. You can start another in %(minutes)d "
                "minutes.",
                minutes,
            )
            % {"minutes": minutes},
        )


def release_thread_quota(poster_hash: str, place: str) -> None:
    with suppress(UNAVAILABLE):
        redis_client().decr(_key("threads", place, poster_hash))


def _fingerprint(body: str) -> str:
    return hashlib.sha256(" ".join(body.split()).encode()).hexdigest()


def check_not_duplicate(poster_hash: str, body: str) -> None:
    """The same body twice in a row from one poster is refused."""
    try:
        last = redis_client().get(_key("last", poster_hash))
    except UNAVAILABLE:
        return
    if last is not None and last.decode() == _fingerprint(body):
        raise DuplicateBody()


def remember_body(poster_hash: str, body: str) -> None:
    with suppress(UNAVAILABLE):
        redis_client().set(
            _key("last", poster_hash), _fingerprint(body), ex=DUPLICATE_MEMORY_SECONDS
        )
