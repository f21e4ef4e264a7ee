"""One part at a time stops: the replica, one Redis shard, one web host. Posting and reading go
on; live updates on a stopped shard pause, and nothing posted meanwhile is lost."""

from __future__ import annotations

import asyncio

from forum.live import thread_group
from tests.cluster.test_live_updates import shard_of
from tests.cluster.web import eventually, frame_of, posts_with, seeded_threads, socket


def test_with_the_replica_stopped_posting_and_reading_go_on(cluster, poster, reader):
    host_a, host_b = cluster.hosts
    thread = seeded_threads(cluster.primary)[5]
    cluster.replica.stop()
    try:
        poster.reply(cluster.url, thread, "while the replica rests")

        assert "while the replica rests" in poster.thread_page(host_b.url, thread)
        assert "while the replica rests" in reader.thread_page(host_a.url, thread)
        search = reader.get(f"{host_b.url}/search/?q=rests")
        assert "<mark>rests</mark>" in search.text
    finally:
        cluster.replica.start()
    eventually(lambda: posts_with(cluster.replica, "while the replica rests") == 1)


async def test_with_one_redis_shard_stopped_the_other_shards_live_updates_go_on(cluster, poster):
    host_a, host_b = cluster.hosts
    threads = seeded_threads(cluster.primary)
    on_a = next(t for t in threads if shard_of(thread_group(*t)) == 0)
    on_b = next(t for t in threads if shard_of(thread_group(*t)) == 1)
    redis_b = cluster.redis[1]

    async with socket(host_b.url, f"/ws/thread/{on_a[0]}/{on_a[1]}/") as reader:
        redis_b.stop()
        try:
            await asyncio.to_thread(poster.reply, host_a.url, on_b, "posted on the quiet shard")
            await asyncio.to_thread(poster.reply, host_a.url, on_a, "posted on the live shard")

            frame = await frame_of(reader, "posts")
            assert "posted on the live shard" in frame["posts"][-1]["html"]
            page = await asyncio.to_thread(poster.thread_page, host_b.url, on_b)
            assert "posted on the quiet shard" in page
        finally:
            redis_b.start()

    # Nothing is lost: a reader of the quiet shard's thread catches up by number.
    count = cluster.primary.sql(
        f"SELECT post_count FROM forum_thread WHERE key = {on_b[1]}", database="yoake"
    )[0][0]
    async with socket(host_b.url, f"/ws/thread/{on_b[0]}/{on_b[1]}/?last={count - 1}") as late:
        frame = await frame_of(late, "posts")
        assert "posted on the quiet shard" in frame["posts"][-1]["html"]


def test_with_one_web_host_stopped_nginx_sends_everyone_to_the_other(cluster, poster, reader):
    _, host_b = cluster.hosts
    thread = seeded_threads(cluster.primary)[6]
    host_b.stop()
    try:
        for _ in range(4):  # nginx takes turns: every other request would have gone to host B
            assert reader.get(f"{cluster.url}/").status == 200
        poster.reply(cluster.url, thread, "one host is enough")

        assert "one host is enough" in poster.thread_page(cluster.url, thread)
        assert "one host is enough" in reader.thread_page(cluster.url, thread)
    finally:
        host_b.start()
        host_b.wait_until_ready()
