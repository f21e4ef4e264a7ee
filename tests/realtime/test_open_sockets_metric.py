"""/metrics counts the WebSockets open now, by kind, from the handshake until the socket ends."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async

from tests.ops.scraping import scrape, value

pytestmark = pytest.mark.django_db(transaction=True)


async def open_sockets() -> dict[str, float]:
    found = await sync_to_async(scrape)()
    return {
        kind: value(found, "yoake_open_sockets", kind=kind)
        for kind in ("thread", "chat", "presence", "review")
    }


async def test_open_sockets_are_counted_by_kind_while_they_are_open(
    connect, make_thread, make_room
):
    thread = await sync_to_async(make_thread)()
    room = await sync_to_async(make_room)(slug="lounge")
    before = await open_sockets()

    reader = await connect(f"/ws/thread/{thread.board.slug}/{thread.key}/")
    chatter = await connect(f"/ws/chat/{room.slug}/")
    home = await connect("/ws/presence/?watch=site")
    second_home = await connect("/ws/presence/?watch=site")

    now = await open_sockets()
    assert {kind: now[kind] - before[kind] for kind in now} == {
        "thread": 1,
        "chat": 1,
        "presence": 2,
        "review": 0,
    }

    for socket in (reader, chatter, home):
        await socket.disconnect()
    now = await open_sockets()
    assert {kind: now[kind] - before[kind] for kind in now} == {
        "thread": 0,
        "chat": 0,
        "presence": 1,
        "review": 0,
    }
    await second_home.disconnect()
    assert await open_sockets() == before


async def test_a_refused_socket_is_never_counted(connect):
    before = await open_sockets()
    await connect("/ws/thread/nosuch/1/", expect_refusal=True)
    await connect("/ws/no/such/path/", expect_refusal=True)
    assert await open_sockets() == before
