"""Rendered pages for anonymous readers, kept in Redis and dropped the moment their data changes.

Each page belongs to a scope ("thread:night:1700000000", "board:night", "home"). A scope has a
generation counter; a page is stored under the generation it was rendered from, and a change
bumps the generation, so a render that raced with a new post can never be served afterwards.
Pages carry no per-reader data (no CSRF tokens: see forum.views), only language and theme vary.
"""

from __future__ import annotations

import functools
import hashlib

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from config.cache import UNAVAILABLE, redis_client
from config.context_processors import theme_of

PAGE_TTL = 24 * 3600
_READ = """
local generation = redis.call('GET', KEYS[1]) or '0'
return {generation, redis.call('HGET', KEYS[2], generation .. '|' .. ARGV[1])}
"""
_read_script = None


def _keys(scope: str) -> tuple[str, str]:
    return f"yoake:pagegen:{scope}", f"yoake:page:{scope}"


def invalidate(*scopes: str) -> None:
    try:
        pipe = redis_client().pipeline(transaction=False)
        for scope in scopes:
            generation_key, pages_key = _keys(scope)
            pipe.incr(generation_key)
            pipe.expire(generation_key, 7 * PAGE_TTL)
            pipe.delete(pages_key)
        pipe.execute()
    except UNAVAILABLE:
        pass


def _cacheable(request) -> bool:
    return (
        settings.YOAKE_PAGE_CACHE
        and request.method in ("GET", "HEAD")
        and not request.GET
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _respond(request, etag: str, body: bytes) -> HttpResponse:
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="text/html; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    return response


def cached_page(scope_of, *, ttl: int = PAGE_TTL):
    """Serve a view's anonymous GET from Redis; `scope_of(**view_kwargs)` names its scope."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _cacheable(request):
                return view(request, *args, **kwargs)
            scope = scope_of(**kwargs)
            variant = f"{request.path}|{get_language()}|{theme_of(request)}"
            generation_key, pages_key = _keys(scope)
            global _read_script
            try:
                client = redis_client()
                if _read_script is None:
                    _read_script = client.register_script(_READ)
                generation, stored = _read_script(keys=[generation_key, pages_key], args=[variant])
            except UNAVAILABLE:
                return view(request, *args, **kwargs)
            if stored:
                etag, _, body = stored.partition(b"\n")
                return _respond(request, etag.decode(), body)
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.cookies or response.streaming:
                return response
            body = response.content
            etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
            try:
                pipe = client.pipeline(transaction=False)
                pipe.hset(
                    pages_key, f"{generation.decode()}|{variant}", etag.encode() + b"\n" + body
                )
                pipe.expire(pages_key, ttl)
                pipe.execute()
            except UNAVAILABLE:
                pass
            return _respond(request, etag, body)

        return wrapper

    return decorator


def thread_scope(board: str, key: int | str, **_) -> str:
    return f"thread:{board}:{key}"


def board_scope(board: str, **_) -> str:
    return f"board:{board}"


def home_scope(**_) -> str:
    return "home"
