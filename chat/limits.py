"""Chat rate limits in Redis, per poster (an IPv6 /64 is one): a sliding window, and slow mode.

Unlike the boards' flood control these do not step aside when Redis is down: chat cannot run
without Redis anyway, so a sender is told chat is unavailable rather than let through unlimited.
"""

from __future__ import annotations

import secrets
import time
from contextlib import suppress

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config.cache import UNAVAILABLE, counters_client
from forum.errors import FloodControlled, PostingRefused

# Count the sender's messages in the window; refuse with the wait until the oldest leaves it.
_SLIDING_WINDOW = """
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
    local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
    return math.ceil(tonumber(oldest[2]) + window - now)
end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('EXPIRE', KEYS[1], math.ceil(window) + 1)
return 0
"""


class ChatUnavailable(PostingRefused):
    code = "unavailable"

    def __init__(self):
        super().__init__(_("Chat is unavailable right now. Please try again in a little while."))


class RateLimited(FloodControlled):
    code = "rate_limited"


class SlowMode(FloodControlled):
    code = "slow_mode"

    def __init__(self, wait: int):
        wait = max(1, int(wait))
        super().__init__(
            wait,
            ngettext(
                "This room is in slow mode. You can send again in %(seconds)d second.",
                "This room is in slow mode. You can send again in %(seconds)d seconds.",
                wait,
            )
            % {"seconds": wait},
        )


def rate() -> tuple[int, int]:
    """(messages, seconds): YOAKE_CHAT_RATE_COUNT messages per YOAKE_CHAT_RATE_SECONDS, per
    poster over all rooms (default 5 per 10 s)."""
    return (
        settings.YOAKE_CHAT_RATE_COUNT,
        settings.YOAKE_CHAT_RATE_SECONDS,
    )


def _key(*parts: str) -> str:
    return "yoake:chat:" + ":".join(parts)


def claim(poster_hash: str, room_slug: str, slow_mode_seconds: int) -> str:
    """Take a place in the sender's window (and the room's slow-mode slot), or raise.

    Returns a token for `release`, used when the message is refused for another reason.
    """
    count, seconds = rate()
    token = secrets.token_hex(8)
    try:
        client = counters_client()
        wait = client.eval(
            _SLIDING_WINDOW, 1, _key("rate", poster_hash), time.time(), seconds, count, token
        )
        if wait:
            raise RateLimited(int(wait))
        if slow_mode_seconds > 0:
            slot = _key("slow", room_slug, poster_hash)
            if not client.set(slot, token, nx=True, ex=slow_mode_seconds):
                client.zrem(_key("rate", poster_hash), token)
                raise SlowMode(client.ttl(slot) or slow_mode_seconds)
    except UNAVAILABLE:
        raise ChatUnavailable() from None
    return token


def release(poster_hash: str, room_slug: str, token: str) -> None:
    with suppress(UNAVAILABLE):
        client = counters_client()
        client.zrem(_key("rate", poster_hash), token)
        slot = _key("slow", room_slug, poster_hash)
        if client.get(slot) == token.encode():
            client.delete(slot)


def is_available() -> bool:
    """Does Redis answer? Chat pages ask before offering a room."""
    try:
        return bool(counters_client().ping())
    except UNAVAILABLE:
        return False
