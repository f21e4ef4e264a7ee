"""Surge mode: a board (or chat room) being flooded asks browsers new to Yoake for a small proof
of work, or a short hold, before they start a thread or post there for the first time.

Detection: each accepted post adds to per-minute counts in Redis, per place, of new threads and
of posts from newcomers (standing 0: forum.standing). When the last WINDOW_MINUTES hold far more
than the place's own usual rate (FACTOR times its average over USUAL_SPAN, and never fewer than
the MIN_ counts), the place is in surge until COOL_DOWN after the flood stops. The state lives on
the place's row (forum.models.SurgeState), with its reason, and every start is in the audit log;
a moderator may switch it on or off by hand, and YOAKE_SURGE=0 turns detection off site-wide.

In a surge (the gate, `admit`), a newcomer passes by an ALTCHA proof of work its browser solves
(self-hosted, no third party; harder as the surge grows). Without one (no JavaScript, 2channel
browsers) it waits a hold that says how long; after the hold a reply goes through and a new
thread waits for a moderator. A passed newcomer's later replies pass too; each new thread needs
its own proof. Posters with standing, and anyone outside a surge, notice nothing.

Everything here steps aside when Redis is unreachable, except that a surge's newcomers without a
proof go to the moderators instead of waiting (there is nowhere to keep their hold).
"""

from __future__ import annotations

import json
import logging
import math
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config.cache import UNAVAILABLE, counters_client
from forum import standing
from forum.errors import PostingRefused
from forum.models import AuditLog, SurgeState, Thread
from forum.poster import Poster
from forum.surge_proof import challenge_for, place_key, proof_is_good

log = logging.getLogger(__name__)

WINDOW_MINUTES = 10
USUAL_SPAN = timedelta(days=7)
FACTOR = 4
MIN_THREADS = 5
MIN_NEWCOMER_POSTS = 30
COOL_DOWN = timedelta(minutes=30)
MAX_STRENGTH = 4
HOLD_SECONDS = 30  # at strength 1; multiplied by the strength
_USUAL_MEMORY = 600  # seconds a place's usual rate is kept in Redis


def _key(*parts: str) -> str:
    return "yoake:surge:" + ":".join(parts)


# --- Detection --------------------------------------------------------------------------------


def _usual(client, place: SurgeState, now: datetime) -> tuple[float, float]:
    """The place's average new threads and posts per window over USUAL_SPAN (from PostgreSQL,
    kept in Redis for a while). All posts stand in for newcomers' posts: an upper bound."""
    key = _key("usual", place_key(place))
    kept = client.get(key)
    if kept is not None:
        threads, posts = (float(value) for value in kept.decode().split(","))
        return threads, posts
    threads, posts = place.recent_activity(now - USUAL_SPAN)
    windows = USUAL_SPAN / timedelta(minutes=WINDOW_MINUTES)
    usual = (threads / windows, posts / windows)
    client.set(key, f"{usual[0]},{usual[1]}", ex=_USUAL_MEMORY)
    return usual


def note_activity(
    place: SurgeState, *, new_thread: bool, newcomer: bool, now: datetime | None = None
) -> None:
    """Count an accepted post; start or extend the place's surge when the flood calls for it.
    Called after the post's transaction has committed."""
    if not (new_thread or newcomer) or not settings.YOAKE_SURGE:
        return
    now = now or timezone.now()
    minute = int(now.timestamp() // 60)
    key = place_key(place)
    try:
        client = counters_client()
        pipe = client.pipeline()
        for kind, counted in (("threads", new_thread), ("newcomers", newcomer)):
            if counted:
                pipe.incr(_key(key, kind, str(minute)))
                pipe.expire(_key(key, kind, str(minute)), (WINDOW_MINUTES + 1) * 60)
        minutes = [str(minute - n) for n in range(WINDOW_MINUTES)]
        pipe.mget([_key(key, "threads", m) for m in minutes])
        pipe.mget([_key(key, "newcomers", m) for m in minutes])
        *_counted, thread_counts, newcomer_counts = pipe.execute()
        threads = sum(int(n) for n in thread_counts if n)
        newcomers = sum(int(n) for n in newcomer_counts if n)
        usual_threads, usual_posts = _usual(client, place, now)
    except UNAVAILABLE:
        return
    thread_limit = _limit(MIN_THREADS, usual_threads)
    newcomer_limit = _limit(MIN_NEWCOMER_POSTS, usual_posts)
    ratio = max(threads / thread_limit, newcomers / newcomer_limit)
    if ratio < 1:
        return
    if threads / thread_limit >= newcomers / newcomer_limit:
        reason = _("%(count)d new threads in %(minutes)d minutes (usually %(usual).1f)") % {
            "count": threads,
            "minutes": WINDOW_MINUTES,
            "usual": usual_threads,
        }
    else:
        reason = _(
            "%(count)d posts from new browsers in %(minutes)d minutes (usually at most %(usual).1f)"
        ) % {"count": newcomers, "minutes": WINDOW_MINUTES, "usual": usual_posts}
    surge_detected(place, strength=_strength(ratio), reason=reason, now=now)


def _limit(least: int, usual: float) -> float:
    """How much a window may hold before it is a surge: FACTOR times the usual, at least `least`."""
    return max(least, FACTOR * usual)


def _strength(ratio: float) -> int:
    """1 up to twice the limit, 2 up to four times, and so on to MAX_STRENGTH."""
    return min(MAX_STRENGTH, 1 + int(math.log2(ratio)))


def surge_detected(place: SurgeState, *, strength: int, reason: str, now: datetime) -> None:
    """Start the place's automatic surge, or keep it going (and stronger) while the flood lasts."""
    if place.surge_switch != SurgeState.Switch.AUTOMATIC:
        return
    until = now + COOL_DOWN
    running = place.surge_until is not None and place.surge_until > now
    # While a surge runs, write only when it grows or its end would come within the minute.
    if (
        running
        and strength <= place.surge_level
        and place.surge_until > until - timedelta(seconds=60)
    ):
        return
    rows = type(place).objects.filter(pk=place.pk)
    with transaction.atomic():
        # The row decides who starts it, so two processes noticing together log it once.
        started = rows.filter(Q(surge_until__isnull=True) | Q(surge_until__lte=now)).update(
            surge_started_at=now, surge_until=until, surge_reason=reason, surge_level=strength
        )
        if not started:
            rows.update(surge_until=until, surge_level=Greatest(F("surge_level"), strength))
        else:
            from forum.moderation.audit import audit  # it builds on the posting modules

            audit(
                None,
                AuditLog.Action.SURGE_STARTED,
                place,
                reason=reason,
                strength=strength,
                until=until.isoformat(),
            )
            if hasattr(place, "threads"):
                since = now - timedelta(minutes=WINDOW_MINUTES)
                _archive_raid_first(place, since=since, now=now)
    with suppress(UNAVAILABLE):  # requests already under way see it at their gate
        counters_client().set(_key(place_key(place), "on"), strength, ex=COOL_DOWN)
    if started:
        log.warning("surge on %s: %s", place_key(place), reason)
        place.surge_started_at, place.surge_reason = now, reason
    place.surge_until, place.surge_level = until, max(strength, place.surge_level)


def _archive_raid_first(board, *, since: datetime, now: datetime) -> None:
    """The threads newcomers started in the minutes that set the surge off move to the archive
    first, like those started during it; any older thread they already pushed out comes back
    (a moderator's own archiving stays). A raid never pushes out a thread older than itself."""
    from forum import events
    from forum.posting import archive_overflow  # it imports this module

    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE forum_thread t SET archive_first = TRUE
              FROM forum_post p LEFT JOIN forum_standing s ON s.cookie_hash = p.delete_key_hash
             WHERE p.thread_id = t.id AND p.number = 1 AND t.board_id = %s
               AND t.created_at >= %s AND NOT t.is_pinned
               AND (s.id IS NULL OR GREATEST(s.first_seen, COALESCE(s.reset_at, s.first_seen))
                                    > t.created_at - %s)
            """,
            [board.pk, since, standing.NEWCOMER_FOR],
        )
        cursor.execute(
            """
            UPDATE forum_thread t SET is_archived = FALSE, archived_at = NULL, modified_at = %s
             WHERE t.board_id = %s AND t.is_archived AND t.archived_at >= %s
               AND NOT t.archive_first
               AND NOT EXISTS (SELECT 1 FROM forum_auditlog a
                                WHERE a.object_type = 'thread' AND a.object_id = t.id
                                  AND a.action = %s)
         RETURNING t.id
            """,
            [now, board.pk, since, AuditLog.Action.ARCHIVE_THREAD],
        )
        restored = [row[0] for row in cursor.fetchall()]
    if restored:
        archived = archive_overflow(board, now=now)
        for thread in Thread.objects.filter(pk__in=restored + archived).select_related("board"):
            transaction.on_commit(lambda thread=thread: events.thread_changed(thread))


def switch(place: SurgeState, mode: str, *, by, now: datetime | None = None) -> None:
    """A moderator switches the place's surge on, off, or back to automatic (audited)."""
    now = now or timezone.now()
    from forum.moderation.audit import audit

    with transaction.atomic():
        changes = {"surge_switch": mode}
        if mode == SurgeState.Switch.ON and not place.in_surge(now):
            changes.update(surge_started_at=now, surge_level=max(1, place.surge_level))
        if mode != SurgeState.Switch.AUTOMATIC:
            changes.update(surge_until=None)
        type(place).objects.filter(pk=place.pk).update(**changes)
        for field, value in changes.items():
            setattr(place, field, value)
        audit(by, AuditLog.Action.SWITCH_SURGE, place, mode=mode)
    with suppress(UNAVAILABLE):
        counters_client().delete(_key(place_key(place), "on"))


# --- The gate ---------------------------------------------------------------------------------


class SurgeCheck(PostingRefused):
    """A newcomer in a surge: solve `challenge` (the browser does it by itself) or send again
    after `wait` seconds. Not a flood refusal: bbs.cgi answers it as a plain error."""

    code = "surge_hold"  # for chat's socket (chat.consumers.error_code)

    def __init__(self, message: str, *, wait: int, challenge: dict | None):
        super().__init__(message)
        self.wait = max(1, int(wait))
        self.challenge = challenge

    @property
    def challenge_json(self) -> str:
        return json.dumps(self.challenge, separators=(",", ":"))


@dataclass(frozen=True)
class Passage:
    """How a post passed the gate: `held` waits for a moderator; `archive_first` marks a thread
    a newcomer started in a surge."""

    held: bool = False
    archive_first: bool = False


OPEN = Passage()


def _thread_tried(place: SurgeState, poster: Poster, now: datetime) -> int:
    """Count a newcomer's try at a new thread (each newcomer once a minute); the strength of the
    surge this is part of, or 0."""
    key, minute = place_key(place), int(now.timestamp() // 60)
    tries = _key(key, "tries", str(minute))
    try:
        client = counters_client()
        pipe = client.pipeline()
        pipe.get(_key(key, "on"))
        pipe.sadd(tries, poster.hashes.poster)
        pipe.expire(tries, (WINDOW_MINUTES + 1) * 60)
        for n in range(WINDOW_MINUTES):
            pipe.scard(_key(key, "tries", str(minute - n)))
        running, _added, _kept, *counts = pipe.execute()
        if running:
            return int(running)
        usual_threads, _posts = _usual(client, place, now)
    except UNAVAILABLE:
        return 0
    tried, limit = sum(counts), _limit(MIN_THREADS, usual_threads)
    if tried < limit:
        return 0
    strength = _strength(tried / limit)
    reason = _(
        "%(count)d browsers new to Yoake tried to start threads in %(minutes)d minutes "
        "(usually %(usual).1f new threads)"
    ) % {"count": tried, "minutes": WINDOW_MINUTES, "usual": usual_threads}
    surge_detected(place, strength=strength, reason=reason, now=now)
    return strength


def admit(
    place: SurgeState,
    poster: Poster,
    *,
    new_thread: bool,
    proof: str = "",
    newcomer: bool | None = None,
    now: datetime | None = None,
) -> Passage:
    """Let a post (or chat message) through the surge gate, hold it for a moderator, or raise
    SurgeCheck. `newcomer`, if the caller already knows it, saves the standing query."""
    now = now or timezone.now()
    strength = place.surge_strength(now)
    automatic = place.surge_switch == SurgeState.Switch.AUTOMATIC and settings.YOAKE_SURGE
    if not strength and not (new_thread and automatic):
        return OPEN
    if newcomer is None:
        newcomer = standing.is_newcomer(standing.cookie_hash(poster), now)
    if not newcomer:
        return OPEN
    if not strength:
        # A newcomer's new thread: counted at the gate, before it is even stored, so a burst of
        # them is a surge before most of it has passed; and a surge another request has just
        # started holds here too.
        strength = _thread_tried(place, poster, now)
        if not strength:
            return OPEN
    chat = not hasattr(place, "threads")
    key, who = place_key(place), poster.hashes.poster
    if proof:
        if not proof_is_good(proof, place):
            raise SurgeCheck(
                _("The automatic check could not be used (it expired or was already used).")
                + " "
                + _hold_words(new_thread, HOLD_SECONDS * strength, chat=chat),
                wait=HOLD_SECONDS * strength,
                challenge=challenge_for(place, strength, now),
            )
        _remember_passed(key, who)
        return Passage(archive_first=new_thread)
    try:
        client = counters_client()
        if not new_thread and client.exists(_key("passed", key, who)):
            return OPEN
        hold_key = _key("hold", key, "thread" if new_thread else "reply", who)
        ready = client.get(hold_key)
        if ready is None:
            wait = HOLD_SECONDS * strength
            client.set(hold_key, now.timestamp() + wait, ex=wait + 600)
        else:
            wait = math.ceil(float(ready) - now.timestamp())
        if wait > 0:
            raise SurgeCheck(
                _hold_words(new_thread, wait, chat=chat),
                wait=wait,
                challenge=None if chat else challenge_for(place, strength, now),
            )
        client.delete(hold_key)
    except UNAVAILABLE:
        return Passage(held=True, archive_first=new_thread)
    if new_thread:
        return Passage(held=True, archive_first=True)
    _remember_passed(key, who)
    return OPEN


def _remember_passed(key: str, who: str) -> None:
    with suppress(UNAVAILABLE):
        counters_client().set(_key("passed", key, who), 1, ex=int(COOL_DOWN.total_seconds()))


def _hold_words(new_thread: bool, wait: int, *, chat: bool = False) -> str:
    if chat:
        return ngettext(
            "This room is very busy right now, so a browser new to Yoake waits a moment before "
            "its first message here. Please send it again in %(seconds)d second.",
            "This room is very busy right now, so a browser new to Yoake waits a moment before "
            "its first message here. Please send it again in %(seconds)d seconds.",
            wait,
        ) % {"seconds": wait}
    if new_thread:
        return ngettext(
            "This board is very busy right now, so new threads from browsers new to Yoake are "
            "checked first. Send it again in %(seconds)d second and it will wait for a "
            "moderator to look before it appears.",
            "This board is very busy right now, so new threads from browsers new to Yoake are "
            "checked first. Send it again in %(seconds)d seconds and it will wait for a "
            "moderator to look before it appears.",
            wait,
        ) % {"seconds": wait}
    return ngettext(
        "This board is very busy right now, so a browser new to Yoake waits a moment before "
        "its first post here. Please send it again in %(seconds)d second.",
        "This board is very busy right now, so a browser new to Yoake waits a moment before "
        "its first post here. Please send it again in %(seconds)d seconds.",
        wait,
    ) % {"seconds": wait}


def held_notice() -> str:
    return _(
        "Your thread is saved. Because the board is very busy, it will appear once a moderator "
        "has looked at it."
    )
