"""Flood control in Redis, per poster (an IPv6 /64 is one): post interval (with Samba's growing
wait for repeat offenders), threads per hour, repeated bodies.

If Redis is unreachable the checks step aside: posting must keep working without it.
"""

from __future__ import annotations

import hashlib
import secrets
from contextlib import suppress
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import ngettext

from config.cache import UNAVAILABLE, counters_client
from forum.errors import DuplicateBody, FloodControlled, ThreadQuotaReached

DUPLICATE_MEMORY_SECONDS = 24 * 3600
# Samba (as on 5ch): refusals are remembered for a day; past the threshold each one doubles
# the poster's interval on that board, up to ten minutes.
STRIKE_MEMORY_SECONDS = 24 * 3600
STRIKE_THRESHOLD = 3
SAMBA_MAX_WAIT = 600


def _key(*parts: str) -> str:
    return "yoake:flood:" + ":".join(parts)


def post_interval(board) -> int:
    if board.flood_interval is not None:
        return board.flood_interval
    return settings.YOAKE_POST_INTERVAL


def escalated_interval(interval: int, strikes: int) -> int:
    """Samba: past STRIKE_THRESHOLD refusals in a day, each one doubles the poster's interval,
    up to SAMBA_MAX_WAIT (never below the board's own interval)."""
    over = strikes - STRIKE_THRESHOLD
    if over <= 0:
        return interval
    return max(interval, min(interval * 2**over, SAMBA_MAX_WAIT))


def _strikes(client, key: str, now: float) -> int:
    """Refusals of the last day; the clock is passed in so a day can pass in a test."""
    pipe = client.pipeline()
    pipe.zremrangebyscore(key, "-inf", now - STRIKE_MEMORY_SECONDS)
    pipe.zcard(key)
    return pipe.execute()[1]


def _strike(client, key: str, now: float) -> int:
    pipe = client.pipeline()
    pipe.zremrangebyscore(key, "-inf", now - STRIKE_MEMORY_SECONDS)
    # A unique member per refusal: two in the same instant are still two.
    pipe.zadd(key, {f"{now}:{secrets.token_hex(4)}": now})
    pipe.zcard(key)
    pipe.expire(key, STRIKE_MEMORY_SECONDS)
    return pipe.execute()[2]


def _samba_message(wait: int) -> str:
    if wait < 60:
        return ngettext(
            "You are still posting too quickly, so the wait is longer now: %(seconds)d second. "
            "It goes back to normal within a day.",
            "You are still posting too quickly, so the wait is longer now: %(seconds)d seconds. "
            "It goes back to normal within a day.",
            wait,
        ) % {"seconds": wait}
    minutes = (wait + 59) // 60
    return ngettext(
        "You are still posting too quickly, so the wait is longer now: %(minutes)d minute. "
        "It goes back to normal within a day.",
        "You are still posting too quickly, so the wait is longer now: %(minutes)d minutes. "
        "It goes back to normal within a day.",
        minutes,
    ) % {"minutes": minutes}


def claim_post_slot(
    poster_hash: str, place: str, interval: int, *, now: datetime | None = None
) -> None:
    """Take the poster's slot for their interval, or raise FloodControlled with the wait.

    Each refusal is a strike for a day; past the threshold the interval grows (Samba), and a
    poster who keeps trying while refused waits the grown interval from their last try.
    """
    if interval <= 0:
        return
    moment = (now or timezone.now()).timestamp()
    key = _key("post", place, poster_hash)
    strikes_key = _key("strikes", place, poster_hash)
    try:
        client = counters_client()
        wanted = escalated_interval(interval, _strikes(client, strikes_key, moment))
        if client.set(key, 1, nx=True, ex=wanted):
            return
        wait = client.ttl(key)
        strikes = _strike(client, strikes_key, moment)
        grown = escalated_interval(interval, strikes)
        if grown > interval and grown > (wait or 0):
            client.expire(key, grown)
            wait = grown
    except UNAVAILABLE:
        return
    wait = wait if wait and wait > 0 else interval
    if wait > interval and strikes > STRIKE_THRESHOLD:
        raise FloodControlled(wait, _samba_message(max(1, int(wait))))
    raise FloodControlled(wait)


def release_post_slot(poster_hash: str, place: str) -> None:
    """A post that failed for another reason should not make its writer wait."""
    with suppress(UNAVAILABLE):
        counters_client().delete(_key("post", place, poster_hash))


def claim_thread_quota(poster_hash: str, place: str, per_hour: int) -> None:
    """At most `per_hour` new threads per poster per board per hour."""
    key = _key("threads", place, poster_hash)
    try:
        client = counters_client()
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
        counters_client().decr(_key("threads", place, poster_hash))


def _fingerprint(body: str) -> str:
    return hashlib.sha256(" ".join(body.split()).encode()).hexdigest()


def check_not_duplicate(poster_hash: str, body: str) -> None:
    """The same body twice in a row from one poster is refused."""
    try:
        last = counters_client().get(_key("last", poster_hash))
    except UNAVAILABLE:
        return
    if last is not None and last.decode() == _fingerprint(body):
        raise DuplicateBody()


def remember_body(poster_hash: str, body: str) -> None:
    with suppress(UNAVAILABLE):
        counters_client().set(
            _key("last", poster_hash), _fingerprint(body), ex=DUPLICATE_MEMORY_SECONDS
        )
