"""The real-time bench's clients: WebSockets that note when marked items arrive, and replies
posted over plain HTTP.

Each measured item carries a mark (`marked(n)`) in its body; a client notes the first time it
sees each mark, by this process's clock.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import urllib.parse

import websockets

MARK = re.compile(r"bench-(\d+)-end")
# Sockets opened at once: a few at a time, as people arrive, not 200 handshakes in one millisecond.
BATCH = 20


def marked(n: int) -> str:
    """The body of item `n`, as MARK finds it again in the HTML that comes back."""
    return f"bench-{n}-end"


async def open_socket(port: int, path: str) -> websockets.ClientConnection:
    # No client pings: browsers send none, and 10 000 sockets' pings would load the servers.
    return await websockets.connect(
        f"ws://127.0.0.1:{port}{path}",
        origin=f"http://127.0.0.1:{port}",
        max_size=None,
        ping_interval=None,
        # A crowd's handshakes queue behind each other on a busy server: patience, not failure.
        open_timeout=60,
    )


async def connect_all(ports: list[int], path: str, count: int) -> list:
    """`count` sockets on `path`, spread over the servers' ports in turn."""
    sockets = []
    for start in range(0, count, BATCH):
        batch = range(start, min(count, start + BATCH))
        sockets += await asyncio.gather(*(open_socket(ports[n % len(ports)], path) for n in batch))
    return sockets


async def note_arrivals(
    websocket, kind: str, arrivals: dict[int, float], stop: asyncio.Event
) -> None:
    """Note when each marked item first arrives in `kind` frames ("messages" or "posts")."""
    while not stop.is_set():
        try:
            raw = await asyncio.wait_for(websocket.recv(), timeout=0.5)
        except TimeoutError:
            continue
        now = time.perf_counter()
        frame = json.loads(raw)
        if frame.get("type") != kind:
            continue
        for item in frame[kind]:
            match = MARK.search(item["html"])
            if match:
                arrivals.setdefault(int(match.group(1)), now)


async def post_reply(port: int, path: str, body: str) -> int:
    """POST a reply form to a thread as one poster (one cookie); returns the HTTP status."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    content = urllib.parse.urlencode({"body": body}).encode()
    writer.write(
        (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: yoake_poster=bench-live\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(content)}\r\n"
            "Connection: close\r\n\r\n"
        ).encode()
        + content
    )
    await writer.drain()
    status = int((await reader.readline()).split()[1])
    writer.close()
    return status
