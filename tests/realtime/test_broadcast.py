"""Broadcasts from synchronous code reach the real channels-redis layer, on whichever of several
Redis servers the layer itself listens for the group.

realtime.broadcast publishes with a plain Redis client, restating how channels-redis 4.3.0 names
a group's channel and picks its server. An upgrade that changes either fails here.
"""

from __future__ import annotations

import asyncio

import pytest
import redis
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer

from config.embedded import EmbeddedRedis, remove_tree, short_temp_dir
from realtime.broadcast import broadcast, has_listeners

pytestmark = pytest.mark.django_db(transaction=True)

GROUPS = [f"thread.night.{key}" for key in range(1, 13)]


@pytest.fixture
def two_redis_servers(settings):
    """The channel layer sharded over two throwaway Redis servers: plain clients to each."""
    servers = []
    for _ in range(2):
        directory = short_temp_dir("yoake-shard-")
        server = EmbeddedRedis(directory, persist=False)
        servers.append((server, directory, server.start()))
    urls = [url for _server, _directory, url in servers]
    settings.CHANNEL_LAYERS = {
        "default": {
            **settings.CHANNEL_LAYERS["default"],
            "CONFIG": {"hosts": urls, "prefix": "yoake"},
        }
    }
    clients = [redis.Redis.from_url(url) for url in urls]
    yield clients
    for client in clients:
        client.close()
    for server, directory, _url in servers:
        server.stop()
        remove_tree(directory)


async def subscribed_on(clients: list[redis.Redis], channel: str) -> int:
    """Which server the layer subscribed `channel` on, once the subscription has landed."""
    async with asyncio.timeout(5):
        while True:
            counts = [
                dict(await sync_to_async(client.pubsub_numsub)(channel)).get(channel.encode(), 0)
                for client in clients
            ]
            if sum(counts):
                return counts.index(1)
            await asyncio.sleep(0.02)


async def test_a_broadcast_reaches_the_layer_on_the_server_it_listens_on(two_redis_servers):
    layer = get_channel_layer()
    channel = await layer.new_channel()
    servers_used = set()
    try:
        for group in GROUPS:
            await layer.group_add(group, channel)
            servers_used.add(await subscribed_on(two_redis_servers, f"yoake__group__{group}"))

            sent = await sync_to_async(broadcast)(group, {"type": "thread.post", "group": group})

            assert sent
            received = await asyncio.wait_for(layer.receive(channel), timeout=2)
            assert received == {"type": "thread.post", "group": group}
            await layer.group_discard(group, channel)
    finally:
        await layer.flush()
    assert servers_used == {0, 1}  # both servers' choice was exercised


async def test_a_group_nobody_reads_has_no_listeners_until_a_reader_joins(two_redis_servers):
    layer = get_channel_layer()
    channel = await layer.new_channel()
    group = "thread.night.1700000000"
    try:
        assert await sync_to_async(has_listeners)(group) is False
        await layer.group_add(group, channel)
        await subscribed_on(two_redis_servers, f"yoake__group__{group}")
        assert await sync_to_async(has_listeners)(group) is True
    finally:
        await layer.flush()


def test_listeners_are_assumed_while_redis_does_not_answer(settings):
    settings.CHANNEL_LAYERS = {
        "default": {
            **settings.CHANNEL_LAYERS["default"],
            "CONFIG": {"hosts": ["redis://127.0.0.1:9/0"], "prefix": "yoake"},
        }
    }
    assert has_listeners("thread.night.1700000000") is True
