"""Sending one message to every socket in a group, on every process, from synchronous code.

Views, the admin and management commands call `broadcast` after a change has committed (forum
threads and chat rooms alike). It never raises: with Redis down the site works on and live
updates stop. Messages carry frames already rendered per language (`languages()`), so consumers
only pick their reader's.
"""

from __future__ import annotations

import asyncio
import binascii
import logging
from concurrent.futures import ThreadPoolExecutor

import redis
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from channels_redis.pubsub import RedisPubSubChannelLayer
from channels_redis.utils import decode_hosts
from django.conf import settings

from config.breaker import guarded_connection_class

logger = logging.getLogger(__name__)

# Publishing to Redis normally takes well under a millisecond; never hold a poster up for long.
PUBLISH_TIMEOUT = 1.0


def languages() -> list[str]:
    """Every language a frame is rendered in."""
    return [code for code, _name in settings.LANGUAGES]


# --- how channels-redis's pub/sub layer names and places a group ---------------------------------
# channels-redis has no public way to ask either, so these restate what version 4.3.0 (pinned in
# requirements.txt) does; tests/realtime/test_broadcast.py receives through the real layer on two
# Redis servers and fails if an upgrade changes the channel name or the choice of server.


def group_channel(prefix: str, group: str) -> str:
    """The Redis pub/sub channel of `group` (RedisPubSubLoopLayer._get_group_channel_name)."""
    return f"{prefix}__group__{group}"


def shard_index(channel: str, shards: int) -> int:
    """Which of `shards` Redis servers carries `channel` (channels_redis.utils' consistent hash:
    CRC-32 folded to 12 bits, then an equal slice of 4096 per server)."""
    if shards == 1:
        return 0
    return int((binascii.crc32(channel.encode()) & 0xFFF) / (4096 / shards))


# --- publishing ---------------------------------------------------------------------------------


async def _publish(group: str, message: dict) -> None:
    layer = get_channel_layer()
    if layer is not None:
        await asyncio.wait_for(layer.group_send(group, message), timeout=PUBLISH_TIMEOUT)


def _loop_running_here() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


_clients: dict[str, redis.Redis] = {}


def _direct_route(group: str) -> tuple[redis.Redis, str, RedisPubSubChannelLayer] | None:
    """The plain client to the Redis server carrying `group`'s channel, the channel and the
    layer; None if the layer is another kind or its host is not given as an address."""
    layer = get_channel_layer()
    if not isinstance(layer, RedisPubSubChannelLayer):
        return None
    config = settings.CHANNEL_LAYERS["default"].get("CONFIG", {})
    hosts = decode_hosts(config.get("hosts"))
    channel = group_channel(config.get("prefix", "asgi"), group)
    host = hosts[shard_index(channel, len(hosts))]
    if "address" not in host:
        return None  # host given as a dict or tuple: let the layer itself publish
    client = _clients.get(host["address"])
    if client is None:
        client = _clients[host["address"]] = redis.Redis.from_url(
            host["address"],
            socket_timeout=PUBLISH_TIMEOUT,
            socket_connect_timeout=PUBLISH_TIMEOUT,
            connection_class=guarded_connection_class(host["address"]),
        )
    return client, channel, layer


def _publish_directly(group: str, message: dict) -> bool:
    """Publish as channels-redis's pub/sub layer does (PUBLISH of its serialized message on the
    group's channel), with a plain synchronous client. False if the layer is another kind.

    A synchronous view would otherwise need async_to_sync, which starts an event loop, and with
    it a fresh set of Redis connections, for every post.
    """
    route = _direct_route(group)
    if route is None:
        return False
    client, channel, layer = route
    client.publish(channel, layer.serialize(message))
    return True


def has_listeners(group: str) -> bool:
    """Whether any process listens to `group` now; True whenever that cannot be told.

    A process subscribes to a group's channel while it has a socket in the group, and what is
    published to a channel nobody subscribes to reaches nobody, so a message (and the frames it
    carries) need not be made for such a group: most threads have no reader with the page open
    when a reply arrives. A reader who joins just after still misses nothing, as with a message
    published just before they joined: a consumer joins before it reads the database
    (forum.consumers).
    """
    try:
        route = _direct_route(group)
        if route is None:
            return True
        client, channel, _layer = route
        return bool(dict(client.pubsub_numsub(channel)).get(channel.encode(), 0))
    except Exception:  # broad on purpose, as in broadcast: say "maybe" and let it try
        return True


def broadcast(group: str, message: dict) -> bool:
    """Send `message` to everyone in `group`, on every process. False if it could not be sent.

    Called after commit from synchronous code (views, the admin, management commands).
    """
    try:
        if _publish_directly(group, message):
            return True
        if _loop_running_here():
            # Synchronous code on an event loop's own thread, where async_to_sync refuses to
            # run (a notebook, a test driving a browser): publish from a thread of its own.
            with ThreadPoolExecutor(max_workers=1) as pool:
                pool.submit(asyncio.run, _publish(group, message)).result()
        else:
            async_to_sync(_publish)(group, message)
    except Exception as error:  # broad on purpose: the change has committed, whatever happens here
        logger.warning("live update to %s not sent: %r", group, error)
        return False
    return True
