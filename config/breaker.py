"""A circuit breaker in front of Redis: a sick Redis costs milliseconds, not seconds.

Every Redis connection Yoake opens (the cache, flood control, the page cache, live publishing)
is one of the guarded connections below. A Redis that refuses connections (stopped) fails fast
by itself; one that does not answer (paused, overloaded, a network partition) costs a socket
timeout per command. So after a timeout the breaker opens for RETRY_AFTER seconds: Redis-backed
steps during that time fail at once, as if Redis were down, and each caller does what it
documents for an outage (README, "When Redis is sick"). The first command after that interval
is the probe: an answer closes the breaker, another timeout opens it again.

Any failure, fast or slow, starts an outage; while it lasts a thread of its own probes every
PROBE_EVERY seconds, so the recovery callbacks (the page cache drops every page it may have
failed to drop) run within seconds of Redis answering again, even in an idle process.

One warning is logged when an outage starts and one when it ends, per process.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable

import redis
from redis.connection import Connection, UnixDomainSocketConnection
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

RETRY_AFTER = 1.0
PROBE_EVERY = 0.5
FAILURES = (RedisConnectionError, RedisTimeoutError, OSError)
SLOW_FAILURES = (RedisTimeoutError, TimeoutError)


class RedisSkipped(RedisConnectionError):
    """Not sent: the breaker is open after a recent failure."""


# Steps to run whenever any Redis answers again after an outage (see on_recovery).
_recovery: list[Callable[[], None]] = []


def on_recovery(callback: Callable[[], None]) -> None:
    """Call `callback` each time a Redis server answers again after an outage."""
    if callback not in _recovery:
        _recovery.append(callback)


class Breaker:
    """The breaker of one Redis server (its address: host:port or socket path)."""

    def __init__(
        self,
        address: str,
        *,
        retry_after: float = RETRY_AFTER,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.address = address
        self.retry_after = retry_after
        self.clock = clock
        self.probes_in_background = True
        self.outage = False
        self.skipped = 0  # commands refused without touching the network, for tests and metrics
        self._open_until = 0.0
        self._resets = 0  # a probe that was under way when reset() ran is not counted
        self._lock = threading.Lock()
        self._prober: threading.Thread | None = None

    def reset(self) -> None:
        """Closed, as if no outage had happened (tests that stop a Redis call this after)."""
        with self._lock:
            self.outage = False
            self._open_until = 0.0
            self._resets += 1

    def check(self) -> None:
        """Raise RedisSkipped while the breaker is open."""
        if self._open_until and self.clock() < self._open_until:
            self.skipped += 1
            raise RedisSkipped("Redis is skipped for a moment after a failure")

    def failed(self, error: BaseException) -> None:
        with self._lock:
            if isinstance(error, SLOW_FAILURES):
                self._open_until = self.clock() + self.retry_after
            starting = not self.outage
            self.outage = True
        if starting:
            logger.warning(
                "Redis unavailable (%s): its steps fail open or closed until it is back", error
            )
            self._start_prober()

    def succeeded(self) -> None:
        if not self.outage:  # the common case costs one attribute read
            return
        with self._lock:
            if not self.outage:
                return
            self.outage = False
            self._open_until = 0.0
        logger.warning("Redis answers again")
        for callback in list(_recovery):
            try:
                callback()
            except Exception:  # a recovery step failing must not fail the command that probed
                logger.exception("Redis recovery step failed")

    def probe(self) -> None:
        """Ask the server whether it is back, once the breaker's interval is over."""
        if self._open_until and self.clock() < self._open_until:
            return
        resets = self._resets
        try:
            self._ping()
        except ResponseError:
            pass  # an error reply (say, NOAUTH) is an answer all the same
        except FAILURES as error:
            if resets == self._resets:
                self.failed(error)
            return
        if resets == self._resets:
            self.succeeded()

    def _ping(self) -> None:
        where = (
            {"unix_socket_path": self.address}
            if self.address.startswith("/")
            else {
                "host": self.address.rsplit(":", 1)[0],
                "port": int(self.address.rsplit(":", 1)[1]),
            }
        )
        client = redis.Redis(**where, socket_timeout=1.0, socket_connect_timeout=0.5)
        try:
            client.ping()
        finally:
            client.close()

    def _start_prober(self) -> None:
        if not self.probes_in_background:
            return
        if self._prober is not None and self._prober.is_alive():
            return
        self._prober = threading.Thread(target=self._keep_probing, name="redis-probe", daemon=True)
        self._prober.start()

    def _keep_probing(self) -> None:
        while self.outage:
            time.sleep(PROBE_EVERY)
            self.probe()


_breakers: dict[str, Breaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(address: str) -> Breaker:
    """The one breaker of the Redis server at `address`, shared by every connection to it."""
    found = _breakers.get(address)
    if found is None:
        with _breakers_lock:
            found = _breakers.setdefault(address, Breaker(address))
    return found


def every_breaker() -> list[Breaker]:
    return list(_breakers.values())


class _Guarded:
    """Consults the breaker before using a connection and tells it how each command went."""

    @functools.cached_property
    def breaker(self) -> Breaker:
        # Found once per connection: read_response asks it after every command.
        address = getattr(self, "path", None) or f"{self.host}:{self.port}"
        return breaker_for(address)

    def connect(self, *args, **kwargs):
        # The pool calls connect() on every checkout, connected or not: the one place to ask.
        self.breaker.check()
        try:
            return super().connect(*args, **kwargs)
        except FAILURES as error:
            self.breaker.failed(error)
            raise

    def send_packed_command(self, *args, **kwargs):
        try:
            return super().send_packed_command(*args, **kwargs)
        except FAILURES as error:
            self.breaker.failed(error)
            raise

    def read_response(self, *args, **kwargs):
        try:
            response = super().read_response(*args, **kwargs)
        except FAILURES as error:
            self.breaker.failed(error)
            raise
        self.breaker.succeeded()
        return response


class GuardedConnection(_Guarded, Connection):
    """A TCP connection (redis://) behind the breaker."""


class GuardedUnixConnection(_Guarded, UnixDomainSocketConnection):
    """A Unix-socket connection (unix://, the embedded Redis) behind the breaker."""


def guarded_connection_class(url: str) -> type[Connection]:
    """The guarded connection class for a redis:// or unix:// URL."""
    return GuardedUnixConnection if url.startswith("unix:") else GuardedConnection
