"""Redis goes away: the boards still read and post, chat says it is unavailable, nothing is a
500, and live updates resume (with what was missed) when Redis comes back.

The test runs its own throwaway Redis so it can stop it without disturbing the other tests.
"""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async

from config.embedded import EmbeddedRedis, remove_tree, short_temp_dir
from forum.models import Post
from forum.poster import POSTER_COOKIE
from tests.realtime.sockets import next_frame

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def own_redis(settings):
    directory = short_temp_dir("yoake-outage-")
    redis = EmbeddedRedis(directory, persist=False)
    url = redis.start()
    # Overriding the settings makes Django and channels drop their cached cache and layers.
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": url}}
    settings.CHANNEL_LAYERS = {
        "default": {**settings.CHANNEL_LAYERS["default"], "CONFIG": {"hosts": [url]}}
    }
    # Beats notice the outage and the return quickly.
    settings.YOAKE_PRESENCE_SECONDS = 0.3
    yield redis
    redis.stop()
    remove_tree(directory)


def by_number(frame) -> dict[int, str]:
    return {item["number"]: item["html"] for item in frame["posts"]}


async def test_boards_work_and_chat_says_unavailable_while_redis_is_down_then_live_resumes(
    own_redis, connect, async_client, make_thread, make_room
):
    thread = await sync_to_async(make_thread)()
    await sync_to_async(make_room)(slug="lounge")
    board, key = thread.board.slug, thread.key
    reader = await connect(f"/ws/thread/{board}/{key}/?last=1")

    own_redis.stop()

    for path in ("/", f"/{board}/", f"/test/read.cgi/{board}/{key}/", "/support/"):
        response = await async_client.get(path)
        assert response.status_code == 200, path
    async_client.cookies[POSTER_COOKIE] = "a-delete-key"
    response = await async_client.post(
        f"/test/read.cgi/{board}/{key}/", {"body": "posted while Redis is away"}
    )
    assert response.status_code == 302
    assert await Post.objects.filter(thread=thread, number=2).aexists()
    for path in ("/chat/", "/chat/lounge/"):
        response = await async_client.get(path)
        assert response.status_code == 503
        assert "Chat is unavailable right now" in response.content.decode()
    response = await async_client.post("/chat/lounge/", {"body": "hello?"})
    assert response.status_code == 503
    # A new socket is turned away politely (1013: try again later), not with an error.
    assert await connect(f"/ws/thread/{board}/{key}/", expect_refusal=True) == 1013
    assert await connect("/ws/chat/lounge/", expect_refusal=True) == 1013

    own_redis.start()

    # The reader that stayed connected gets what it missed and what comes next, once each.
    response = await async_client.post(
        f"/test/read.cgi/{board}/{key}/", {"body": "posted after Redis is back"}
    )
    assert response.status_code == 302
    seen: dict[int, str] = {}
    while len(seen) < 2:
        frame = await next_frame(reader, "posts", timeout=10)
        for number, html in by_number(frame).items():
            assert number not in seen, f"post {number} arrived twice"
            seen[number] = html
    assert sorted(seen) == [2, 3]
    assert "posted while Redis is away" in seen[2]

    # And new readers and chat work again.
    newcomer = await connect(f"/ws/thread/{board}/{key}/?last=3")
    await connect("/ws/chat/lounge/")
    assert (await async_client.get("/chat/lounge/")).status_code == 200
    await async_client.post(f"/test/read.cgi/{board}/{key}/", {"body": "and again"})
    assert list(by_number(await next_frame(newcomer, "posts"))) == [4]
