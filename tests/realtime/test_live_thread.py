"""Live threads over a real WebSocket and the real Redis channel layer: posts arrive in order as
server-rendered, escaped HTML; deletions become placeholders; reconnecting loses nothing."""

from __future__ import annotations

import json
import re
import threading

import pytest
from asgiref.sync import sync_to_async
from django.db import connections

from forum import live
from forum.posting import create_post, delete_own_post
from tests.factories import poster_from
from tests.realtime.sockets import next_frame, nothing_more

pytestmark = pytest.mark.django_db(transaction=True)


def path_of(thread, last: int | None = None, lang: str = "en") -> str:
    query = f"?lang={lang}" + (f"&last={last}" if last is not None else "")
    return f"/ws/thread/{thread.board.slug}/{thread.key}/{query}"


def by_number(frame) -> dict[int, str]:
    assert frame["type"] == "posts"
    return {item["number"]: item["html"] for item in frame["posts"]}


async def test_a_new_post_arrives_rendered_and_escaped_with_its_number(
    connect, make_thread, make_post
):
    thread = await sync_to_async(make_thread)()
    reader = await connect(path_of(thread, last=1))

    await sync_to_async(make_post)(thread=thread, body="<script>alert(1)</script> hi")

    posts = by_number(await next_frame(reader, "posts"))
    assert list(posts) == [2]
    assert 'id="p2"' in posts[2] and 'data-number="2"' in posts[2]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; hi" in posts[2]
    assert "<script>" not in posts[2]


async def test_a_reply_also_refreshes_the_backlinks_of_the_post_it_answers(
    connect, make_thread, make_post
):
    thread = await sync_to_async(make_thread)()
    reader = await connect(path_of(thread))

    await sync_to_async(make_post)(thread=thread, body=">>1 same here")

    posts = by_number(await next_frame(reader, "posts"))
    assert sorted(posts) == [1, 2]
    assert 'class="anchor" href="#p1"' in posts[2]
    assert re.search(r'class="backlinks".*data-anchor="2"', posts[1], re.S)


async def test_posts_arrive_in_order_each_once(connect, make_thread, make_post):
    thread = await sync_to_async(make_thread)()
    reader = await connect(path_of(thread))

    for n in range(3):
        await sync_to_async(make_post)(thread=thread, body=f"in order {n}")

    arrived = [list(by_number(await next_frame(reader, "posts"))) for _ in range(3)]
    assert arrived == [[2], [3], [4]]
    assert await nothing_more(reader)


async def test_thirty_concurrent_posters_reach_a_reader_in_order_without_gaps_or_repeats(
    connect, make_thread
):
    thread = await sync_to_async(make_thread)()
    reader = await connect(path_of(thread))

    def post_at_once(count: int) -> None:
        barrier = threading.Barrier(count)

        def worker(n: int) -> None:
            try:
                barrier.wait()
                create_post(thread, poster=poster_from(f"10.9.{n}.1"), body=f"together {n}")
            finally:
                connections.close_all()

        workers = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()

    await sync_to_async(post_at_once, thread_sensitive=False)(30)

    seen: list[int] = []
    while len(seen) < 30:
        seen += list(by_number(await next_frame(reader, "posts")))
    assert seen == list(range(2, 32))
    assert await nothing_more(reader)


async def test_a_broadcast_that_never_arrived_is_filled_in_from_the_database(
    connect, make_thread, make_post, monkeypatch
):
    thread = await sync_to_async(make_thread)()
    reader = await connect(path_of(thread))
    real_broadcast = live.broadcast
    monkeypatch.setattr(live, "broadcast", lambda group, message: False)  # a Redis blip
    await sync_to_async(make_post)(thread=thread, body="lost on the way")
    monkeypatch.setattr(live, "broadcast", real_broadcast)

    await sync_to_async(make_post)(thread=thread, body="made it")

    first, second = await next_frame(reader, "posts"), await next_frame(reader, "posts")
    assert list(by_number(first)) == [2] and "lost on the way" in by_number(first)[2]
    assert list(by_number(second)) == [3]


async def test_a_deleted_post_turns_into_its_placeholder_for_readers(
    connect, make_thread, make_post
):
    thread = await sync_to_async(make_thread)()
    reply = await sync_to_async(make_post)(thread=thread, body=">>1 oops", poster=poster_from())
    reader = await connect(path_of(thread))

    await sync_to_async(delete_own_post)(reply, delete_key="test-delete-key")

    posts = by_number(await next_frame(reader, "posts"))
    assert sorted(posts) == [1, 2]
    assert "This post was deleted by the poster." in posts[2]
    assert "oops" not in posts[2]
    assert "backlinks" not in posts[1]  # nothing answers post 1 any more


async def test_posts_arrive_in_the_readers_language(connect, make_thread, make_post):
    thread = await sync_to_async(make_thread)()
    english = await connect(path_of(thread, lang="en"))
    japanese = await connect(path_of(thread, lang="ja"))

    await sync_to_async(make_post)(thread=thread, body="good night")

    # The post header's weekday is written in the reader's language: (Thu) or (木).
    assert re.search(r"\((Mon|Tue|Wed|Thu|Fri|Sat|Sun)\)", by_number(await next_frame(english))[2])
    assert re.search(r"\([月火水木金土日]\)", by_number(await next_frame(japanese))[2])


async def test_a_reconnecting_reader_catches_up_by_number_without_loss_or_repeats(
    connect, make_thread, make_post
):
    thread = await sync_to_async(make_thread)()
    reader = await connect(path_of(thread))
    second = await sync_to_async(make_post)(thread=thread, body="seen live", poster=poster_from())
    assert list(by_number(await next_frame(reader, "posts"))) == [2]
    await reader.disconnect()

    # While the reader is away: three replies, and post 2 is deleted.
    for n in range(3):
        await sync_to_async(make_post)(thread=thread, body=f"missed {n}")
    await sync_to_async(delete_own_post)(second, delete_key="test-delete-key")

    back = await connect(path_of(thread, last=2))
    caught_up = by_number(await next_frame(back, "posts"))
    assert sorted(caught_up) == [2, 3, 4, 5]
    assert "deleted by the poster" in caught_up[2]
    assert all(f"missed {n}" in caught_up[n + 3] for n in range(3))
    assert await nothing_more(back)

    await sync_to_async(make_post)(thread=thread, body="live again")
    assert list(by_number(await next_frame(back, "posts"))) == [6]
    assert await nothing_more(back)


async def test_a_reader_far_behind_is_asked_to_reload(connect, make_thread, make_post):
    thread = await sync_to_async(make_thread)()
    await sync_to_async(make_post)(thread=thread)
    live_limit, live.CATCH_UP_LIMIT = live.CATCH_UP_LIMIT, 1
    try:
        reader = await connect(path_of(thread, last=0))
        assert await next_frame(reader) == {"type": "reload"}
    finally:
        live.CATCH_UP_LIMIT = live_limit


async def test_a_thread_that_does_not_exist_refuses_the_socket(connect):
    code = await connect("/ws/thread/nope/123/", expect_refusal=True)
    assert code == 4404


def test_rendering_a_live_update_in_every_language_is_one_query(
    make_thread, make_post, django_assert_num_queries
):
    thread = make_thread()
    for n in range(5):
        make_post(thread=thread, body=f">>1 reply {n}")
    with django_assert_num_queries(1):
        frames = live.frames_for(thread, [1, 6])
    assert set(frames) == {"en", "ja"}
    english = json.loads(frames["en"])
    assert [item["number"] for item in english["posts"]] == [1, 6]
    assert english["posts"][0]["html"].count('data-anchor="') == 5  # post 1's backlinks


def test_a_reconnect_catch_up_takes_three_queries(
    make_thread, make_post, django_assert_num_queries
):
    thread = make_thread()
    for n in range(5):
        make_post(thread=thread, body=f"reply {n}")
    with django_assert_num_queries(3):
        frames, highest = live.catch_up(thread, 3, "en")
    assert highest == 6
    assert [item["number"] for item in json.loads(frames[0])["posts"]] == [4, 5, 6]
