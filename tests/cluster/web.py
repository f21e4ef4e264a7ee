"""A browser for the cluster tests (plain HTTP with its own cookies, across hosts), live sockets,
and questions asked of the cluster's PostgreSQL servers directly."""

from __future__ import annotations

import asyncio
import json
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.cookies import SimpleCookie

import websockets

from config.cluster import Postgres


@dataclass
class Page:
    status: int
    text: str
    headers: object


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


class Browser:
    """One browser: it keeps the site's cookies whichever host answered, as a browser does."""

    def __init__(self, *, poster_cookie: bool = False):
        self.cookies: dict[str, str] = {}
        if poster_cookie:
            self.cookies["yoake_poster"] = secrets.token_urlsafe(24)

    def _open(self, request: urllib.request.Request) -> Page:
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        try:
            response = _opener.open(request, timeout=15)
        except urllib.error.HTTPError as error:  # a redirect or a refusal: still a page
            response = error
        with response:
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            body = response.read().decode("utf-8", errors="replace")
            return Page(response.status, body, response.headers)

    def get(self, url: str, **headers: str) -> Page:
        return self._open(urllib.request.Request(url, headers=headers))

    def post(self, url: str, fields: dict[str, str], **headers: str) -> Page:
        data = urllib.parse.urlencode(fields).encode()
        return self._open(urllib.request.Request(url, data=data, headers=headers))

    def reply(self, host: str, thread: tuple[str, int], body: str, **headers: str) -> Page:
        board, key = thread
        page = self.post(f"{host}/test/read.cgi/{board}/{key}/", {"body": body}, **headers)
        assert page.status == 302, page.text[-2000:]
        return page

    def thread_page(self, host: str, thread: tuple[str, int]) -> str:
        board, key = thread
        page = self.get(f"{host}/test/read.cgi/{board}/{key}/")
        assert page.status == 200
        return page.text


def seeded_threads(primary: Postgres) -> list[tuple[str, int]]:
    rows = primary.sql(
        "SELECT b.slug, t.key FROM forum_thread t JOIN forum_board b ON b.id = t.board_id "
        "ORDER BY b.slug",
        database="yoake",
    )
    return [(slug, int(key)) for slug, key in rows]


def posts_with(server: Postgres, text: str) -> int:
    rows = server.sql(
        f"SELECT count(*) FROM forum_post WHERE body LIKE '%{text}%'",  # the tests' own words
        database="yoake",
    )
    return rows[0][0]


def table_reads(server: Postgres, table: str) -> int:
    """How often `table` was scanned on this server (its own statistics: a replica counts the
    reads it answered)."""
    rows = server.sql(
        "SELECT coalesce(seq_scan, 0) + coalesce(idx_scan, 0) FROM pg_stat_user_tables "
        f"WHERE relname = '{table}'",
        database="yoake",
    )
    return rows[0][0]


def eventually(check, *, timeout: float = 15.0, what: str = "the condition"):
    """Poll `check()` until it returns something truthy (for effects in other processes)."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout}s")
        time.sleep(0.05)


def socket(host: str, path: str):
    return websockets.connect(host.replace("http", "ws", 1) + path, origin=host)


async def frame_of(connection, kind: str, timeout: float = 10.0) -> dict:
    async with asyncio.timeout(timeout):
        while True:
            frame = json.loads(await connection.recv())
            if frame["type"] == kind:
                return frame
