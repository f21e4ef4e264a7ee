"""Each server process's own copies of hot cached answers, replayed before Django while current.

py-spy on a worker under wrk showed where a cached page's time went once Redis was reached
through one pool: a third in handing the request to a thread and back (Django's ASGI handler
runs every request in a thread of its own), a third in the middleware stack and building the
response, and the rest in fetching the page's bytes from Redis (1.25 ms for a 768 kB page). A
static file costs the same hand-off, so the page cache could not reach its rate that way.

So the ASGI application keeps, per process, the answers forum.pagecache and the 2channel files
(forum.twoch.files) gave, and answers a request for one of them on the event loop without
Django, once one Redis command says the copy is still current:

* a page: its scope's epoch and generation (forum.pagecache) are still the ones it was
  rendered under, and its lifetime is not over (the home page lives 30 s);
* a 2channel file: its modification time `m` (forum.twoch.cache) is still the current one.

Every change that drops the shared copy in Redis therefore drops every process's copy at the
same moment: an accepted post shows in every process on the next request. While Redis does not
answer (its breaker is open), nothing is replayed and Django answers as it does without Redis.

A copy is found by what the answer depends on and nothing else: the path, the host and scheme,
and the reader's language and theme (Accept-Language and two cookies). Requests with a query
string, a session or flash messages never get one (as in forum.pagecache). A copy holds every
coding (plain, gzip, brotli for pages), and headers exactly as the full answer had them; the
copies of a process are bounded by YOAKE_PAGE_COPIES_MB, least recently used out first.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from collections import OrderedDict
from dataclasses import dataclass

import redis.asyncio
from django.conf import settings
from django.http.cookie import parse_cookie
from django.urls import Resolver404, resolve
from django.utils.datastructures import CaseInsensitiveMapping

from config import metrics
from config.breaker import FAILURES, breaker_for
from config.context_processors import THEME_COOKIE
from forum import compression
from forum.pagecache import EPOCH_KEY, PageRecord, generation_key
from forum.twoch import cache as files_cache
from forum.twoch import files

# How long a check of a copy may take before Django answers instead (Redis paused).
CHECK_TIMEOUT = 0.25
# Headers every answer computes for itself (the server adds Date and Server).
_PER_ANSWER = {b"content-length", b"content-encoding", b"etag"}


@dataclass
class Copy:
    scope: str
    view: str
    size: int
    headers: list[tuple[bytes, bytes]]  # as the full answer had them, less _PER_ANSWER
    version: str = ""  # a page's "<epoch>:<generation>"
    expires_at: float = 0.0  # a page's end of life, epoch seconds
    record: PageRecord | None = None  # a page
    whole: files_cache.WholeCopy | None = None  # a 2channel file
    content_type: str = ""
    inner: frozenset[bytes] = frozenset()  # a 2channel file's own headers (forum.twoch.files)


class Copies:
    """The copies of one process, bounded by size (least recently used out first)."""

    def __init__(self, limit: int):
        self.limit = limit
        self.size = 0
        self._copies: OrderedDict[tuple, Copy] = OrderedDict()

    def get(self, key: tuple) -> Copy | None:
        copy = self._copies.get(key)
        if copy is not None:
            self._copies.move_to_end(key)
        return copy

    def put(self, key: tuple, copy: Copy) -> None:
        if copy.size > self.limit:
            return
        self.discard(key)
        self._copies[key] = copy
        self.size += copy.size
        while self.size > self.limit:
            _, old = self._copies.popitem(last=False)
            self.size -= old.size

    def discard(self, key: tuple) -> None:
        old = self._copies.pop(key, None)
        if old is not None:
            self.size -= old.size

    def __len__(self) -> int:
        return len(self._copies)


def copy_key(scope: dict) -> tuple | None:
    """What a cached answer depends on, or None for a request that never gets a copy."""
    if scope["method"] not in ("GET", "HEAD") or scope.get("query_string"):
        return None
    host = forwarded = language = b""
    cookie = ""
    for name, value in scope["headers"]:
        if name == b"host":
            host = value
        elif name == b"accept-language":
            language = value
        elif name == b"cookie":
            cookie = value.decode("latin-1")
        elif name == b"x-forwarded-proto":
            forwarded = value
    cookies = parse_cookie(cookie) if cookie else {}
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return None
    return (
        scope.get("root_path", "") + scope["path"],
        host,
        scope.get("scheme", "http"),
        forwarded,
        language,
        cookies.get(settings.LANGUAGE_COOKIE_NAME, ""),
        cookies.get(THEME_COOKIE, ""),
    )


class _Asked:
    """The method and headers of a request, as forum.twoch.files.answer reads them."""

    def __init__(self, scope: dict):
        self.method = scope["method"]
        self.headers = CaseInsensitiveMapping(
            {name.decode("latin-1"): value.decode("latin-1") for name, value in scope["headers"]}
        )


def _header(scope: dict, wanted: bytes) -> str:
    for name, value in scope["headers"]:
        if name == wanted:
            return value.decode("latin-1")
    return ""


def _view_name(path: str) -> str:
    try:
        return resolve(path).view_name
    except Resolver404:
        return "unmatched"


class PageCopies:
    """ASGI middleware in front of Django: answers from this process's copies while current."""

    def __init__(self, app):
        self.app = app
        self.copies = Copies(int(settings.YOAKE_PAGE_COPIES_MB * 1024 * 1024))
        self._clients: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        location = settings.CACHES["default"]["LOCATION"]
        self._url = location[0] if isinstance(location, list | tuple) else location
        self._breaker = None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not settings.YOAKE_PAGE_CACHE:
            return await self.app(scope, receive, send)
        key = copy_key(scope)
        if key is None:
            return await self.app(scope, receive, send)
        copy = self.copies.get(key)
        if copy is not None:
            started = time.perf_counter()
            current = await self._current(copy)
            if current:
                return await self._replay(copy, scope, send, started)
            if current is False:
                self.copies.discard(key)
        await self._through_django(key, scope, receive, send)

    async def _through_django(self, key: tuple, scope, receive, send) -> None:
        kept: list[Copy] = []

        def keep_page(page_scope: str, version: str, record: PageRecord, *, ttl: int, view: str):
            expires_at = record.stored_at + ttl
            kept.append(Copy(page_scope, view, record.size, [], version, expires_at, record))

        def keep_file(file_scope: str, whole, *, content_type: str, inner: set[str]):
            view = _view_name(scope["path"])
            names = frozenset(name.lower().encode("latin-1") for name in inner)
            kept.append(
                Copy(
                    file_scope,
                    view,
                    whole.size,
                    [],
                    whole=whole,
                    content_type=content_type,
                    inner=names,
                )
            )

        inner_scope = {**scope, "yoake.keep": keep_page, "yoake.keep_file": keep_file}

        async def watching(message):
            if message["type"] == "http.response.start" and kept:
                self._keep(key, kept[0], message)
            await send(message)

        await self.app(inner_scope, receive, watching)

    def _keep(self, key: tuple, copy: Copy, start: dict) -> None:
        headers = list(start.get("headers", ()))
        if any(name.lower() == b"set-cookie" for name, _ in headers):
            return
        if copy.record is not None:
            if start["status"] != 200:
                return
            skipped = _PER_ANSWER
        else:
            # A 2channel answer's own headers depend on the request (Range, 304): keep only
            # what the middleware outside added, and let forum.twoch.files make the rest.
            skipped = copy.inner | _PER_ANSWER
        copy.headers = [(name, value) for name, value in headers if name.lower() not in skipped]
        self.copies.put(key, copy)

    def _client(self) -> redis.asyncio.Redis:
        loop = asyncio.get_running_loop()
        client = self._clients.get(loop)
        if client is None:
            client = self._clients[loop] = redis.asyncio.Redis.from_url(
                self._url, socket_timeout=CHECK_TIMEOUT, socket_connect_timeout=CHECK_TIMEOUT
            )
        return client

    def _breaker_of(self):
        if self._breaker is None:
            kwargs = self._client().connection_pool.connection_kwargs
            address = kwargs.get("path") or f"{kwargs.get('host')}:{kwargs.get('port')}"
            self._breaker = breaker_for(address)
        return self._breaker

    async def _current(self, copy: Copy) -> bool | None:
        """Whether the copy is still the one Redis names; None when Redis cannot say."""
        breaker = self._breaker_of()
        if breaker.outage:
            return None
        try:
            if copy.record is not None:
                if copy.expires_at <= time.time():
                    return False
                epoch, generation = await self._client().mget(EPOCH_KEY, generation_key(copy.scope))
                if epoch is None or generation is None:
                    return False
                return f"{epoch.decode()}:{generation.decode()}" == copy.version
            modified = await self._client().hget(*files_cache.current_time_key(copy.scope))
            return modified is not None and int(modified) == copy.whole.modified
        except FAILURES as error:
            breaker.failed(error)
            return None

    async def _replay(self, copy: Copy, scope, send, started: float) -> None:
        if copy.record is not None:
            status, headers, body = self._page_answer(copy, scope)
            metrics.page_cache_looked_up(copy.scope, hit=True)
        else:
            status, headers, body = self._file_answer(copy, scope)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
        metrics.request_answered(copy.view, status, time.perf_counter() - started)

    @staticmethod
    def _page_answer(copy: Copy, scope) -> tuple[int, list, bytes]:
        status, etag, coding, body = copy.record.answer(
            accept_encoding=_header(scope, b"accept-encoding"),
            if_none_match=_header(scope, b"if-none-match"),
        )
        headers = [*copy.headers, (b"etag", etag.encode())]
        if status == 200:
            if coding != compression.IDENTITY:
                headers.append((b"content-encoding", coding.encode()))
            headers.append((b"content-length", str(len(body)).encode()))
        if scope["method"] == "HEAD":
            body = b""
        return status, headers, body

    @staticmethod
    def _file_answer(copy: Copy, scope) -> tuple[int, list, bytes]:
        asked = _Asked(scope)
        start, gzipped = files.wanted(asked)
        cached = copy.whole.cached(gzipped=gzipped, start=start or 0)
        response = files.answer(asked, copy.content_type, cached, start)
        headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in response.items()]
        return response.status_code, [*headers, *copy.headers], response.content
