"""Every socket checks the Origin against its own Host (scheme, host and port; realtime.origin)
and ALLOWED_HOSTS, and refuses unknown paths."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    "origin", ["http://evil.example", "null", None], ids=["other-site", "null", "missing"]
)
async def test_a_socket_from_another_origin_is_refused(connect, make_thread, make_room, origin):
    thread = await sync_to_async(make_thread)()
    await sync_to_async(make_room)(slug="lounge")
    for path in (
        f"/ws/thread/{thread.board.slug}/{thread.key}/",
        "/ws/chat/lounge/",
        "/ws/presence/?watch=site",
    ):
        await connect(path, origin=origin, expect_refusal=True)


async def test_the_sites_own_origin_is_accepted(connect):
    await connect("/ws/presence/?watch=site", origin="http://testserver")


async def test_an_unknown_socket_path_is_refused_not_an_error(connect):
    assert await connect("/ws/nothing-here/", expect_refusal=True) == 4404


async def open_socket(*, host: str, origin: str, scheme: str = "ws") -> bool:
    from config.asgi import application

    headers = [(b"host", host.encode()), (b"origin", origin.encode())]
    socket = WebsocketCommunicator(application, "/ws/presence/?watch=site", headers=headers)
    socket.scope["scheme"] = scheme
    socket.scope["client"] = ("203.0.113.50", 40000)
    connected, _code = await socket.connect(timeout=5)
    if connected:
        await socket.disconnect()
    return connected


async def test_a_socket_from_another_port_of_the_same_host_is_refused():
    assert not await open_socket(host="testserver:8000", origin="http://testserver:9999")
    assert not await open_socket(host="testserver:8000", origin="http://testserver")


async def test_a_socket_from_the_same_host_and_port_is_accepted():
    assert await open_socket(host="testserver:8000", origin="http://testserver:8000")
    assert await open_socket(host="testserver:80", origin="http://testserver")


async def test_the_scheme_must_match_the_sockets_own():
    assert await open_socket(host="testserver", origin="https://testserver", scheme="wss")
    assert not await open_socket(host="testserver", origin="http://testserver", scheme="wss")
    assert not await open_socket(host="testserver", origin="https://testserver", scheme="ws")


async def test_a_host_outside_allowed_hosts_is_refused_even_from_its_own_origin():
    assert not await open_socket(host="evil.example", origin="http://evil.example")
