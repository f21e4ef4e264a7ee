"""Real WebSocket clients for the tests: channels' communicator against config.asgi, with the
Redis channel layer from settings, an Origin the site allows and a client address to hash."""

from __future__ import annotations

from channels.testing import WebsocketCommunicator

ORIGIN = "http://testserver"


def communicator(
    path: str,
    *,
    origin: str | None = ORIGIN,
    address: str = "203.0.113.50",
    headers: dict[str, str] | None = None,
    poster_cookie: str | None = None,
) -> WebsocketCommunicator:
    """`headers` are more handshake headers, as a browser sends them (Accept-Language, …)."""
    from config.asgi import application

    extra = [(name.lower().encode(), value.encode()) for name, value in (headers or {}).items()]
    headers = [(b"host", b"testserver"), *extra]
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    if poster_cookie is not None:
        headers.append((b"cookie", f"yoake_poster={poster_cookie}".encode()))
    socket = WebsocketCommunicator(application, path, headers=headers)
    socket.scope["client"] = (address, 40000)
    return socket


async def next_frame(
    socket: WebsocketCommunicator,
    kind: str | None = None,
    *,
    timeout: float = 5.0,
    passing: tuple[str, ...] = ("presence",),
):
    """The next frame (of `kind`, if given), passing over presence counts (or `passing`)."""
    while True:
        frame = await socket.receive_json_from(timeout=timeout)
        if frame["type"] in passing and kind != frame["type"]:
            continue
        if kind is not None and frame["type"] != kind:
            raise AssertionError(f"expected a {kind!r} frame, got {frame!r}")
        return frame


async def nothing_more(socket: WebsocketCommunicator, timeout: float = 0.3) -> bool:
    """True when nothing but presence counts arrives within `timeout`."""
    while not await socket.receive_nothing(timeout=timeout):
        frame = await socket.receive_json_from()
        if frame["type"] != "presence":
            return False
    return True
