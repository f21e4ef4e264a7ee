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
import secrets
import time
from contextlib import suppress
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language_from_request

from config import metrics
from config.breaker import on_recovery
from config.cache import UNAVAILABLE, redis_client
from config.context_processors import theme_of
from config.replicas import filling_cache
from forum import compression

PAGE_TTL = 24 * 3600
GENERATION_TTL = 7 * PAGE_TTL
EPOCH_KEY = "yoake:pageepoch"
# A page is stored under "<epoch>:<generation>|<variant>": a change to its scope gives it a new
# generation, and an outage that may have lost such a change a new epoch (drop_every_page).
# Both are random tokens, not counters: a Redis that restarted empty starts new ones, so no
# version seen before (say, by a process's own copy, forum.pagecopies) can ever come back.
_READ = """
local epoch = redis.call('GET', KEYS[3])
if not epoch then epoch = ARGV[2]; redis.call('SET', KEYS[3], epoch) end
local generation = redis.call('GET', KEYS[1])
if not generation then
  generation = ARGV[3]; redis.call('SET', KEYS[1], generation, 'EX', ARGV[4])
end
local version = epoch .. ':' .. generation
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


def generation_key(scope: str) -> str:
    return f"yoake:pagegen:{scope}"


def _keys(scope: str) -> tuple[str, str]:
    return generation_key(scope), f"yoake:page:{scope}"


def _token() -> str:
    return secrets.token_hex(6)


def invalidate(*scopes: str) -> None:
    """Forget every cached page of these scopes (all languages, themes and ranges)."""
    with suppress(UNAVAILABLE):
        pipe = redis_client().pipeline(transaction=False)
        for scope in scopes:
            generation_key, pages_key = _keys(scope)
            pipe.set(generation_key, _token(), ex=GENERATION_TTL)
            pipe.delete(pages_key)
        pipe.execute()


def drop_every_page() -> None:
    """Forget every cached page at once (after an outage that may have lost invalidations)."""
    with suppress(UNAVAILABLE):
        redis_client().set(EPOCH_KEY, _token())


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


@dataclass(frozen=True)
class PageRecord:
    """One cached page: its headers, and its bytes in every coding a reader may take."""

    etag: str  # of the plain bytes; each coding's ETag adds its name (etag_for)
    headers: tuple[tuple[str, str], ...]
    bodies: dict[str, bytes]  # compression.IDENTITY, GZIP, BROTLI
    stored_at: float  # epoch seconds: with the scope's ttl, when the copy stops being served

    @classmethod
    def of(cls, response, *, stored_at: float) -> PageRecord:
        body = response.content
        bodies = {
            compression.IDENTITY: body,
            compression.GZIP: compression.gzipped(body),
            compression.BROTLI: compression.brotli_compressed(body),
        }
        etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
        patch_vary_headers(response, ["Accept-Encoding"])
        headers = tuple((k, v) for k, v in response.items() if k.lower() in _KEPT_HEADERS)
        return cls(etag, headers, bodies, stored_at)

    def packed(self) -> bytes:
        lengths = {coding: len(body) for coding, body in self.bodies.items()}
        meta = {"etag": self.etag, "headers": self.headers, "at": self.stored_at, "n": lengths}
        return json.dumps(meta).encode() + b"\n" + b"".join(self.bodies.values())

    @classmethod
    def unpacked(cls, stored: bytes) -> PageRecord | None:
        """The record, or None for one this release cannot read (kept by an older one)."""
        try:
            meta, rest = stored.split(b"\n", 1)
            meta = json.loads(meta)
        except ValueError:
            return None
        if not isinstance(meta, dict) or "n" not in meta:
            return None
        bodies, offset = {}, 0
        for coding, length in meta["n"].items():
            bodies[coding] = rest[offset : offset + length]
            offset += length
        headers = tuple((k, v) for k, v in meta["headers"])
        return cls(meta["etag"], headers, bodies, meta["at"])

    @property
    def size(self) -> int:
        return sum(len(body) for body in self.bodies.values())

    def etag_for(self, coding: str) -> str:
        return self.etag if coding == compression.IDENTITY else f'{self.etag[:-1]}-{coding}"'

    def answer(self, *, accept_encoding: str, if_none_match: str) -> tuple[int, str, str, bytes]:
        """(status, ETag, coding, body) for a reader: the coding they take, or 304 when they
        have the page already."""
        coding = compression.chosen_coding(accept_encoding)
        if self._matches(if_none_match):
            return 304, self.etag_for(coding), coding, b""
        return 200, self.etag_for(coding), coding, self.bodies[coding]

    def _matches(self, if_none_match: str) -> bool:
        """If-None-Match names the copy the reader has, in any coding (RFC 9110 §13.1.2)."""
        if not if_none_match:
            return False
        if if_none_match.strip() == "*":
            return True
        theirs = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return any(self.etag_for(coding) in theirs for coding in self.bodies)


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
                keys=[generation_key, pages_key, EPOCH_KEY],
                args=[variant, _token(), _token(), GENERATION_TTL],
            )
        except UNAVAILABLE:
            metrics.page_cache_looked_up(scope, hit=False)
            return self.get_response(request)
        record = PageRecord.unpacked(stored) if stored else None
        metrics.page_cache_looked_up(scope, hit=record is not None)
        version = version.decode()
        if record is None:
            # Kept for every reader: rendered from data with every commit so far (config.replicas).
            with filling_cache():
                response = self.get_response(request)
            if response.status_code != 200 or response.cookies or response.streaming:
                return response
            record = PageRecord.of(response, stored_at=time.time())
            self._store(client, pages_key, f"{version}|{variant}", record, ttl)
        # This process keeps its own copy too, when the request came through forum.pagecopies.
        keep = getattr(request, "scope", {}).get("yoake.keep")
        if keep is not None:
            keep(scope, version, record, ttl=ttl, view=request.resolver_match.view_name)
        return self._replay(request, record)

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
    def _store(client, pages_key: str, field: str, record: PageRecord, ttl: int) -> None:
        with suppress(UNAVAILABLE):
            pipe = client.pipeline(transaction=False)
            pipe.hset(pages_key, field, record.packed())
            pipe.expire(pages_key, ttl)
            pipe.execute()

    @staticmethod
    def _replay(request, record: PageRecord) -> HttpResponse:
        status, etag, coding, body = record.answer(
            accept_encoding=request.headers.get("Accept-Encoding", ""),
            if_none_match=request.headers.get("If-None-Match", ""),
        )
        response = HttpResponse(body, status=status)
        for name, value in record.headers:
            response[name] = value
        response["ETag"] = etag
        response["Cache-Control"] = "no-cache"
        if status == 200 and coding != compression.IDENTITY:
            response["Content-Encoding"] = coding
        return response
