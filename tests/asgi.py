"""Requests sent straight to an ASGI application, as uvicorn sends them, for tests of what
happens before Django (forum.pagecopies)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from forum.pagecopies import PageCopies


@dataclass
class Answer:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes


class CountingDjango:
    """Django's ASGI handler as config.asgi makes it, counting the requests that reached it."""

    def __init__(self):
        from config.asgi import OneThreadHandler

        self.handler = OneThreadHandler()
        self.requests = 0

    async def __call__(self, scope, receive, send):
        self.requests += 1
        await self.handler(scope, receive, send)


def site() -> tuple[PageCopies, CountingDjango]:
    """The HTTP side of config.asgi: the page copies in front of Django."""
    django = CountingDjango()
    return PageCopies(django), django


async def get(app, path: str, *, method: str = "GET", **headers: str) -> Answer:
    """`headers` by their WSGI-ish names: accept_encoding="gzip", cookie="a=b"."""
    path, _, query = path.partition("?")
    raw = [
        (name.replace("_", "-").lower().encode(), value.encode()) for name, value in headers.items()
    ]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"testserver"), *raw],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    messages = []
    sent_body = []
    answered = asyncio.Event()

    async def receive():
        if not sent_body:
            sent_body.append(True)
            return {"type": "http.request", "body": b"", "more_body": False}
        await answered.wait()  # the client goes away once it has its answer, as browsers do
        return {"type": "http.disconnect"}

    async def send(message):
        messages.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body"):
            answered.set()

    await app(scope, receive, send)
    start = messages[0]
    body = b"".join(message.get("body", b"") for message in messages[1:])
    headers = {name.decode().lower(): value.decode() for name, value in start["headers"]}
    return Answer(start["status"], headers, body)
