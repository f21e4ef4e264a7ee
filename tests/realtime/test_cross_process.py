"""Two ASGI processes share one Redis: what is posted through one reaches sockets on the other."""

from __future__ import annotations

import asyncio
import json
import urllib.parse
import urllib.request

import pytest
import websockets
from asgiref.sync import sync_to_async

from tests.realtime.servers import asgi_servers

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def post_form(url: str, fields: dict[str, str]) -> int:
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode(fields).encode(),
        headers={"Cookie": "yoake_poster=cross-process-key"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


async def frame_of(socket, kind: str) -> dict:
    async with asyncio.timeout(10):
        while True:
            frame = json.loads(await socket.recv())
            if frame["type"] == kind:
                return frame


def ws(url: str, path: str):
    return websockets.connect(url.replace("http", "ws", 1) + path, origin=url)


async def test_a_post_through_one_process_reaches_a_reader_on_another(
    make_thread, make_room, tmp_path
):
    thread = await sync_to_async(make_thread)()
    await sync_to_async(make_room)(slug="lounge")
    path = f"/test/read.cgi/{thread.board.slug}/{thread.key}/"

    with asgi_servers(2, tmp_path, YOAKE_POST_INTERVAL="0") as (first, second):
        async with ws(second, f"/ws/thread/{thread.board.slug}/{thread.key}/?last=1") as reader:
            status = await asyncio.to_thread(post_form, first + path, {"body": "from process A"})
            assert status == 200  # the redirect back to the thread, followed

            frame = await frame_of(reader, "posts")
            assert [item["number"] for item in frame["posts"]] == [2]
            assert "from process A" in frame["posts"][0]["html"]

        async with (
            ws(second, "/ws/chat/lounge/") as listener,
            ws(first, "/ws/chat/lounge/") as sender,
        ):
            await sender.send(json.dumps({"type": "send", "body": "hello across", "nonce": "1"}))
            frame = await frame_of(listener, "messages")
            assert "hello across" in frame["messages"][0]["html"]


async def test_posts_through_both_processes_reach_readers_on_both_in_order_each_once(
    make_thread, tmp_path
):
    thread = await sync_to_async(make_thread)()
    path = f"/test/read.cgi/{thread.board.slug}/{thread.key}/"
    socket_path = f"/ws/thread/{thread.board.slug}/{thread.key}/?last=1"
    replies = 16

    with asgi_servers(2, tmp_path, YOAKE_POST_INTERVAL="0") as servers:
        async with ws(servers[0], socket_path) as first, ws(servers[1], socket_path) as second:
            # Posted at once through both processes: broadcasts can overtake each other.
            statuses = await asyncio.gather(
                *(
                    asyncio.to_thread(post_form, servers[n % 2] + path, {"body": f"together {n}"})
                    for n in range(replies)
                )
            )
            assert statuses == [200] * replies

            for reader in (first, second):
                seen: list[int] = []
                while len(seen) < replies:
                    seen += [item["number"] for item in (await frame_of(reader, "posts"))["posts"]]
                assert seen == list(range(2, 2 + replies))
