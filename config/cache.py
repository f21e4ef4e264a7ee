"""A Redis cache that degrades to "always a miss" while Redis is unreachable.

Yoake's boards must keep reading and posting when Redis is down (only live updates and chat stop),
so a cache error is answered as if the key were absent; config.breaker makes every call after
the first failure skip Redis at once, and logs the outage once.
"""

from __future__ import annotations

import functools
import threading
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from config.breaker import guarded_connection_class

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
RATE_LIMIT_KEYS = "allauth:rl:"


# Keys added while Redis was away, with when they expire (see ResilientRedisCache.add).
_local_keys: dict[str, float] = {}
_local_lock = threading.Lock()
LOCAL_KEYS_MAX = 10_000


def _added_here(key: str, timeout) -> bool:
    now = time.monotonic()
    lifetime = 300.0 if timeout is None else float(timeout)
    with _local_lock:
        if len(_local_keys) >= LOCAL_KEYS_MAX:
            for old in [k for k, until in _local_keys.items() if until <= now]:
                del _local_keys[old]
        if _local_keys.get(key, 0.0) > now:
            return False
        _local_keys[key] = now + lifetime
        return True


def _degrade(default_factory):
    def decorator(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except UNAVAILABLE:
                # config.breaker logs the outage once; a line per call would flood the log.
                return default_factory(*args, **kwargs)

        return wrapper

    return decorator


# One pool and one client per server URL for the whole process. Django's cache handler makes a
# new cache object per thread and per async context, and under ASGI every request runs in a
# thread of its own: without this, each request opened a new pool and a new TCP connection to
# Redis (py-spy under wrk: connection set-up was the largest part of a cached page's time).
_pools: dict[str, tuple] = {}
_pools_lock = threading.Lock()


class _ReusingClient(RedisCacheClient):
    """Django builds a new redis.Redis object (a few hundred dict writes) on every cache call;
    one per server does, since redis-py clients and pools are thread-safe (and a pool notices a
    fork: the child opens sockets of its own)."""

    def _pool_and_client(self, write):
        url = self._servers[self._get_connection_pool_index(write)]
        found = _pools.get(url)
        if found is None:
            with _pools_lock:
                found = _pools.get(url)
                if found is None:
                    # Every connection goes through the breaker (config.breaker).
                    options = {
                        **self._pool_options,
                        "connection_class": guarded_connection_class(url),
                    }
                    pool = self._pool_class.from_url(url, **options)
                    found = _pools[url] = (pool, self._client(connection_pool=pool))
        return found

    def _get_connection_pool(self, write):
        return self._pool_and_client(write)[0]

    def get_client(self, key=None, *, write=False):
        return self._pool_and_client(write)[1]


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusingClient

    get = _degrade(lambda key, default=None, version=None: default)(RedisCache.get)
    get_many = _degrade(lambda keys, version=None: {})(RedisCache.get_many)
    set = _degrade(lambda *a, **k: None)(RedisCache.set)
    set_many = _degrade(lambda *a, **k: [])(RedisCache.set_many)
    # allauth's rate limits take their lock with add() and refuse when they cannot: answering
    # "added" for those keys lets sign-in through (fail open) instead of waiting a second and
    # refusing everyone. Other add() users (allauth's TOTP replay guard: "this code was used")
    # are answered from this process's memory, so staff can still sign in with MFA and a code
    # still works only once per process while Redis is away.
    add = _degrade(
        lambda key, value=None, timeout=None, version=None: (
            key.startswith(RATE_LIMIT_KEYS) or _added_here(key, timeout)
        )
    )(RedisCache.add)
    delete = _degrade(lambda *a, **k: False)(RedisCache.delete)
    delete_many = _degrade(lambda *a, **k: None)(RedisCache.delete_many)
    touch = _degrade(lambda *a, **k: False)(RedisCache.touch)
    has_key = _degrade(lambda *a, **k: False)(RedisCache.has_key)
    incr = _degrade(lambda *a, **k: 0)(RedisCache.incr)


def redis_client():
    """The raw redis-py client behind the default cache (the page cache, the 2channel files)."""
    # Imported here: django.core.cache loads this module as the cache backend (a cycle).
    from django.core.cache import cache

    return cache._cache.get_client(write=True)


# The cache alias settings.py adds when COUNTERS_REDIS_URL names a server of its own.
COUNTERS = "counters"


def counters_alias() -> str:
    """The cache alias whose server keeps the counters (COUNTERS_REDIS_URL, else the cache's)."""
    from django.conf import settings

    return COUNTERS if COUNTERS in settings.CACHES else "default"


def counters_client():
    """The raw client for flood control, thread quotas, surge detection, chat rate limits and
    presence: their own server when COUNTERS_REDIS_URL names one, else the cache's."""
    from django.core.cache import caches

    return caches[counters_alias()]._cache.get_client(write=True)
