"""Rendered pages for anonymous readers, kept in Redis and dropped the moment their data changes.

Each page belongs to a scope ("thread:night:1700000000", "board:night", "home"). A scope has a
generation counter; a page is stored under the generation it was rendered from, and a change
bumps the generation, so a render that raced with a new post can never be served afterwards.
Pages carry no per-reader data (no CSRF tokens: see forum.views); only language and theme vary.

Views opt in with @cached_page; PageCacheMiddleware, placed right after WhiteNoise, answers hits
before sessions, URL routing or templates run, with the headers the full response had.

An accepted post can never stay hidden behind a cached page: if Redis misses an invalidation
(paused, restarted, unreachable), the process that saw it fail has its breaker open, and when
Redis answers again the breaker's recovery step bumps one epoch that every page key includes,
so every page cached before is dropped at once (config.breaker probes within seconds).
"""

from __future__ import annotations

import hashlib
import json
from contextlib import suppress

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils.translation import get_language_from_request

from config import metrics
from config.breaker import on_recovery
from config.cache import UNAVAILABLE, redis_client
from config.context_processors import theme_of
from config.replicas import filling_cache

PAGE_TTL = 24 * 3600
EPOCH_KEY = "yoake:pageepoch"
# A page is stored under "<epoch>:<generation>|<variant>": a change to its scope bumps the
# generation, and an outage that may have lost such a bump bumps the epoch (drop_every_page).
_READ = """
local version = (redis.call('GET', KEYS[3]) or '0') .. ':' .. (redis.call('GET', KEYS[1]) or '0')
return {version, redis.call('HGET', KEYS[2], version .. '|' .. ARGV[1])}
"""
# Headers a cached answer repeats; the outer middleware (security, WhiteNoise) adds the rest.
_KEPT_HEADERS = {
    "content-type",
    "content-language",
    "vary",
    "content-security-policy",
    "x-frame-options",
    "cross-origin-opener-policy",
    "referrer-policy",
    "x-content-type-options",
}


def _keys(scope: str) -> tuple[str, str]:
    return f"yoake:pagegen:{scope}", f"yoake:page:{scope}"


def invalidate(*scopes: str) -> None:
    """Forget every cached page of these scopes (all languages, themes and ranges)."""
    with suppress(UNAVAILABLE):
        pipe = redis_client().pipeline(transaction=False)
        for scope in scopes:
            generation_key, pages_key = _keys(scope)
            pipe.incr(generation_key)
            pipe.expire(generation_key, 7 * PAGE_TTL)
            pipe.delete(pages_key)
        pipe.execute()


def drop_every_page() -> None:
    """Forget every cached page at once (after an outage that may have lost invalidations)."""
    with suppress(UNAVAILABLE):
        redis_client().incr(EPOCH_KEY)


on_recovery(drop_every_page)


def cached_page(scope_of, *, ttl: int = PAGE_TTL):
    """Mark a view's anonymous GET answers cacheable; `scope_of(**url_kwargs)` names the scope."""

    def decorator(view):
        view.page_cache = (scope_of, ttl)
        return view

    return decorator


def thread_scope(board: str, key: int | str, **_) -> str:
    return f"thread:{board}:{key}"


def board_scope(board: str, **_) -> str:
    return f"board:{board}"


def home_scope(**_) -> str:
    return "home"


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._script = None

    def __call__(self, request):
        target = self._target(request)
        if target is None:
            return self.get_response(request)
        scope, ttl = target
        variant = f"{request.path}|{get_language_from_request(request)}|{theme_of(request)}"
        generation_key, pages_key = _keys(scope)
        try:
            client = redis_client()
            if self._script is None:
                self._script = client.register_script(_READ)
            version, stored = self._script(
                keys=[generation_key, pages_key, EPOCH_KEY], args=[variant]
            )
        except UNAVAILABLE:
            metrics.page_cache_looked_up(scope, hit=False)
            return self.get_response(request)
        metrics.page_cache_looked_up(scope, hit=bool(stored))
        if stored:
            return self._replay(request, stored)
        # Kept for every reader: rendered from data with every commit so far (config.replicas).
        with filling_cache():
            response = self.get_response(request)
        if response.status_code == 200 and not response.cookies and not response.streaming:
            self._store(client, pages_key, f"{version.decode()}|{variant}", response, ttl)
        return response

    def _target(self, request) -> tuple[str, int] | None:
        if not (
            settings.YOAKE_PAGE_CACHE
            and request.method in ("GET", "HEAD")
            and not request.GET
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "messages" not in request.COOKIES
        ):
            return None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        page_cache = getattr(match.func, "page_cache", None)
        if page_cache is None:
            return None
        # What routing would find; a hit is answered without it, and config.scrape names the view.
        request.resolver_match = match
        scope_of, ttl = page_cache
        return scope_of(**match.kwargs), ttl

    @staticmethod
    def _store(client, pages_key: str, field: str, response, ttl: int) -> None:
        body = response.content
        etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
        response["ETag"] = etag
        response["Cache-Control"] = "no-cache"
        headers = [(k, v) for k, v in response.items() if k.lower() in _KEPT_HEADERS]
        record = etag.encode() + b"\n" + json.dumps(headers).encode() + b"\n" + body
        with suppress(UNAVAILABLE):
            pipe = client.pipeline(transaction=False)
            pipe.hset(pages_key, field, record)
            pipe.expire(pages_key, ttl)
            pipe.execute()

    @staticmethod
    def _replay(request, stored: bytes):
        etag, headers, body = stored.split(b"\n", 2)
        etag = etag.decode()
        if request.headers.get("If-None-Match") == etag:
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(body)
        for name, value in json.loads(headers):
            response[name] = value
        response["ETag"] = etag
        response["Cache-Control"] = "no-cache"
        return response
