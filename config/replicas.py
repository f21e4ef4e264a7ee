"""Where a read goes: the PostgreSQL primary, or a streaming replica that has what the reader needs.

With DATABASE_REPLICA_URLS set, settings.py adds one alias per replica ("replica1", …) and
installs `ReplicaRouter` and `ReplicaReadsMiddleware`; without it neither exists and every query
goes to the primary, as it always has. This module alone decides; the rest of the code only says
which work is read-only:

* a view marked `@read_only` (board, thread, home, archive, search, feeds, support pages) may
  read from a replica for GET and HEAD; so may the 2channel files (`replica_reads`);
* everything else reads from the primary: writes, whatever runs in a transaction, every read
  after a write in the same request, the admin, accounts, sockets, management commands;
* **read-your-writes**: a request that may have written (any POST, or a write through the ORM)
  leaves the primary's WAL position in a short-lived cookie, and that browser's reads go to a
  replica only once it has replayed that position; until then they go to the primary;
* a render kept for every reader (the page cache, the 2channel files: `filling_cache`) needs a
  replica that has replayed everything the primary had committed when the render began, so a
  cached page never hides a post that a lagging replica had not seen yet;
* a replica that lags (it has WAL it has not replayed and its last replayed transaction is more
  than DATABASE_REPLICA_MAX_LAG seconds old) or does not answer is skipped, never waited on:
  its state is asked on the request's own connection (one it needs anyway) at most once a second
  per process, or when a reader needs a newer position than it last said, and one that fails is
  left alone for RETRY_AFTER seconds.

Readers are never told which server answered.
"""

from __future__ import annotations

import contextlib
import logging
import random
import threading
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("yoake.replicas")

# How long a replica's replay position and lag are trusted before they are asked again.
HEALTH_SECONDS = 1.0
# How long a replica that failed to answer is left alone.
RETRY_AFTER = 2.0
# The cookie with the WAL position of this browser's last write, in hex ("16b374d848": no
# character a cookie must quote). Long enough for any replica that is not skipped as lagging to
# have replayed the write.
WRITTEN_COOKIE = "yoake_written"
WRITTEN_COOKIE_MAX_AGE = 300
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias != DEFAULT_DB_ALIAS]


# --- WAL positions ------------------------------------------------------------------------------


def parse_position(text: str) -> int:
    """A pg_lsn ("16/B374D848") as a number; 0 for anything else."""
    high, _, low = text.partition("/")
    try:
        return (int(high, 16) << 32) | int(low, 16)
    except ValueError:
        return 0


def cookie_position(value: str) -> int:
    """The position a WRITTEN_COOKIE holds; 0 for anything else."""
    try:
        return int(value[:16], 16) if value else 0
    except ValueError:
        return 0


def primary_position() -> int:
    """Where the primary's WAL ends now: past every commit that has returned."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        # The insert position, not the write position: with synchronous_commit off a commit
        # may not be written yet, and a replica must still wait for it.
        cursor.execute("SELECT pg_current_wal_insert_lsn()::text")
        return parse_position(cursor.fetchone()[0])


# --- what one request may read from where ---------------------------------------------------------


@dataclass
class _Reads:
    needs: int = 0  # the browser's last write (WRITTEN_COOKIE)
    allowed: bool = False  # inside read-only work
    fills_cache: bool = False  # the answer will be kept for every reader
    wrote: bool = False
    alias: str | None = None  # chosen at the first read, for the rules above


_reads: ContextVar[_Reads | None] = ContextVar("yoake_replica_reads", default=None)


def read_only(view: Callable) -> Callable:
    """Mark a view whose GET and HEAD answers only read: they may come from a replica."""
    view.reads_only = True
    return view


@contextlib.contextmanager
def _changed(**changes) -> Iterator[None]:
    reads = _reads.get()
    if reads is None:  # no replicas, or outside a request: everything is on the primary
        yield
        return
    before = {name: getattr(reads, name) for name in changes}
    for name, value in changes.items():
        setattr(reads, name, value)
    reads.alias = None
    try:
        yield
    finally:
        for name, value in before.items():
            setattr(reads, name, value)
        reads.alias = None


def replica_reads(*, fills_cache: bool = False):
    """Read-only work outside a view (the 2channel files' middleware) may use a replica."""
    return _changed(allowed=True, fills_cache=fills_cache)


def filling_cache():
    """What is read here will be kept for every reader: it must include every commit so far."""
    return _changed(fills_cache=True)


def where_to_read() -> str:
    """The alias this request's next read goes to."""
    reads = _reads.get()
    if reads is None or not reads.allowed or reads.wrote:
        return DEFAULT_DB_ALIAS
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS  # a transaction reads what it is about to write
    if reads.alias is None:
        needs = reads.needs
        if reads.fills_cache:
            try:
                needs = max(needs, primary_position())
            except DatabaseError:
                return DEFAULT_DB_ALIAS  # the primary's outage is answered where it always is
        reads.alias = _choose(needs)
    return reads.alias


def noted_write() -> None:
    """Everything after a write in this request reads from the primary."""
    reads = _reads.get()
    if reads is not None:
        reads.wrote = True
        reads.alias = None


# --- the replicas' health -----------------------------------------------------------------------


@dataclass
class _Health:
    replayed: int = 0
    usable: bool = False
    checked_at: float = float("-inf")
    down_until: float = 0.0


_health: dict[str, _Health] = {}
_health_lock = threading.Lock()

_STATE = """
SELECT pg_last_wal_replay_lsn()::text,
       pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
       OR clock_timestamp() - pg_last_xact_replay_timestamp() <= make_interval(secs => %s)
"""


def _choose(needs: int) -> str:
    """A replica that answers, does not lag and has replayed `needs`; else the primary."""
    aliases = replica_aliases()
    random.shuffle(aliases)  # spread readers over the replicas
    for alias in aliases:
        now = time.monotonic()
        health = _health.setdefault(alias, _Health())
        if health.down_until > now:
            continue
        if now - health.checked_at >= HEALTH_SECONDS or health.replayed < needs:
            health = _check(alias)
        elif not _connects(alias):
            continue
        if health.usable and health.replayed >= needs:
            return alias
    return DEFAULT_DB_ALIAS


def _connects(alias: str) -> bool:
    try:
        connections[alias].ensure_connection()
    except DatabaseError as error:
        _failed(alias, error)
        return False
    return True


def _check(alias: str) -> _Health:
    """Ask the replica, on the connection this request will read with, how far it has come."""
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(_STATE, [settings.DATABASE_REPLICA_MAX_LAG])
            replayed, fresh = cursor.fetchone()
    except DatabaseError as error:
        _failed(alias, error)
        return _health[alias]
    with _health_lock:
        health = _health[alias]
        was_down = health.down_until > 0
        # Not in recovery (replayed is NULL): a promoted server is not this primary's replica.
        health.replayed = parse_position(replayed or "")
        health.usable = bool(replayed) and bool(fresh)
        health.checked_at = time.monotonic()
        health.down_until = 0.0
    if was_down:
        logger.warning("replica %s answers again", alias)
    return health


def _failed(alias: str, error: Exception) -> None:
    with contextlib.suppress(Exception):
        connections[alias].close()
    with _health_lock:
        health = _health[alias]
        starting = health.down_until == 0
        health.usable = False
        health.down_until = time.monotonic() + RETRY_AFTER
    if starting:
        # The error's class only: libpq's message names the server's address.
        name = type(getattr(error, "__cause__", None) or error).__name__
        logger.warning("replica %s unavailable (%s), reading from the primary", alias, name)


# --- Django's hooks ------------------------------------------------------------------------------


class ReplicaRouter:
    """Django's database router: reads where `where_to_read` says, writes on the primary."""

    def db_for_read(self, model, **hints) -> str:
        return where_to_read()

    def db_for_write(self, model, **hints) -> str:
        noted_write()
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # every alias holds the same data

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS  # replicas replay the primary's migrations


class ReplicaReadsMiddleware:
    """Holds one request's read rules (see the module's docstring) and, after a request that may
    have written, leaves the primary's WAL position in WRITTEN_COOKIE. Placed before the page
    cache and the 2channel files, which read the database themselves on a miss."""

    def __init__(self, get_response):
        if not replica_aliases():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        needs = cookie_position(request.COOKIES.get(WRITTEN_COOKIE, ""))
        reads = _Reads(needs=needs)
        token = _reads.set(reads)
        try:
            response = self.get_response(request)
            if request.method not in SAFE_METHODS or reads.wrote:
                self._remember_the_write(response)
        finally:
            _reads.reset(token)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        reads = _reads.get()
        if reads is not None and request.method in ("GET", "HEAD"):
            reads.allowed = getattr(view_func, "reads_only", False)
            reads.alias = None

    @staticmethod
    def _remember_the_write(response: HttpResponse) -> None:
        try:
            position = primary_position()
        except DatabaseError:
            return  # the primary is down: nothing was written
        response.set_cookie(
            WRITTEN_COOKIE,
            f"{position:x}",
            max_age=WRITTEN_COOKIE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=not settings.DEBUG,
        )
