"""Live updates cross hosts and Redis shards: a post through host A reaches a reader on host B,
a chat message through host B a reader on host A, each group on its own channel-layer shard,
and nginx passes the sockets through."""

from __future__ import annotations

import asyncio
import json

from chat.live import room_group
from forum.live import thread_group
from realtime.broadcast import group_channel, shard_index
from tests.cluster.web import frame_of, seeded_threads, socket


def shard_of(group: str) -> int:
    """Which Redis carries `group` (0: Redis A, 1: Redis B: CHANNEL_REDIS_URLS' order)."""
    return shard_index(group_channel("yoake", group), 2)


def rooms(cluster) -> list[str]:
    return [slug for (slug,) in cluster.primary.sql("SELECT slug FROM chat_room", database="yoake")]


def on_two_shards(cluster) -> tuple[tuple[str, int], str]:
    """A thread and a room whose groups live on different Redis servers."""
    for thread in seeded_threads(cluster.primary):
        for room in rooms(cluster):
            if shard_of(thread_group(*thread)) != shard_of(room_group(room)):
                return thread, room
    raise AssertionError("every seeded thread and room is on one shard")


async def test_a_post_reaches_host_b_and_a_chat_message_host_a_over_both_redis_shards(
    cluster, poster
):
    host_a, host_b = cluster.hosts
    thread, room = on_two_shards(cluster)
    board, key = thread

    async with socket(host_b.url, f"/ws/thread/{board}/{key}/") as reader:
        await asyncio.to_thread(poster.reply, host_a.url, thread, "live from host A")
        frame = await frame_of(reader, "posts")
        assert "live from host A" in frame["posts"][-1]["html"]

    async with (
        socket(host_a.url, f"/ws/chat/{room}/") as listener,
        socket(host_b.url, f"/ws/chat/{room}/") as sender,
    ):
        await sender.send(json.dumps({"type": "send", "body": "hello from host B", "nonce": "1"}))
        while True:
            frame = await frame_of(listener, "messages")
            if any("hello from host B" in item["html"] for item in frame["messages"]):
                break


async def test_nginx_passes_live_sockets_through(cluster, poster):
    thread = seeded_threads(cluster.primary)[3]
    board, key = thread

    async with socket(cluster.url, f"/ws/thread/{board}/{key}/") as reader:
        await asyncio.to_thread(poster.reply, cluster.url, thread, "through nginx both ways")
        frame = await frame_of(reader, "posts")
        assert "through nginx both ways" in frame["posts"][-1]["html"]
