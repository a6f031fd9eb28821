"""The platform's channel layers on Redis.

PubSubChannelLayer (settings.CHANNEL_LAYERS in the services mode) is channels_redis'
RedisPubSubChannelLayer, which bench/fanout.py measured as the faster of the two for a
message to a discussion, plus what a production server needs: a process that loses Redis
closes its sockets so browsers reconnect and catch up, and a channel made outside a
consumer can be forgotten. Each process holds a couple of Redis connections for it (one
subscribing, one publishing, one at a time), whatever the load.

BoundedRedisChannelLayer is channels_redis' list-based RedisChannelLayer, the one it was
compared with (bench: BENCH_CHANNEL_LAYER=redis), with a bounded connection pool per
process. channels_redis gives each event loop an unbounded pool: every command that finds
all pooled connections busy opens another, and the pool keeps it. A burst of people opening
or closing discussions (bench/soak.py's churn: 20 a second) left each process holding dozens
of idle Redis connections, more after every burst. Here the pool holds at most
MAX_CONNECTIONS and a command waits (up to WAIT_SECONDS) for a free one instead. The
presence client (discussions/presence.py) uses the same bounded pool.

The pool's connections also wait longer for a reply than the list layer's blocking pop lasts.
redis-py 8 gives every connection a 5 s socket timeout, the same as channels_redis' BZPOPMIN
(brpop_timeout): on a busy machine the empty reply arrived after the client had given up,
the receive raised TimeoutError and the consumer closed its socket with 1011 (bench/soak.py:
about 1 idle connection in 40, every few minutes).

Both layers subclass channels_redis 4.3.0 below its public API (the pub/sub layer's loop layer,
shards and receive loop; the list layer's create_pool). tests/test_patched_internals.py pins the
upstream code they were checked against and fails when an upgrade changes it.
"""

import asyncio
import logging

import redis.asyncio as aioredis
from channels.layers import InMemoryChannelLayer
from channels_redis.core import RedisChannelLayer
from channels_redis.pubsub import RedisPubSubChannelLayer, RedisPubSubLoopLayer, RedisSingleShardConnection
from channels_redis.utils import _wrap_close

logger = logging.getLogger(__name__)

MAX_CONNECTIONS = 20
WAIT_SECONDS = 20
READ_SECONDS = 30  # > RedisChannelLayer.brpop_timeout (5 s); a reply this late means Redis is gone
LAYER_LOST = {"type": "layer.lost"}  # to every socket of a process that lost Redis (LiveConsumer)


def bounded_pool(url: str) -> aioredis.BlockingConnectionPool:
    return aioredis.BlockingConnectionPool.from_url(
        url, max_connections=MAX_CONNECTIONS, timeout=WAIT_SECONDS, socket_timeout=READ_SECONDS
    )


class BoundedRedisChannelLayer(RedisChannelLayer):
    def create_pool(self, index):
        # channels_redis 4.3.0 builds each shard's pool here, from decode_hosts' {"address": url}.
        host = self.hosts[index]
        if set(host) != {"address"}:  # sentinels or extra options: channels_redis' own pool
            return super().create_pool(index)
        return bounded_pool(host["address"])


class PubSubChannelLayer(RedisPubSubChannelLayer):
    """The platform's channel layer: Redis publish/subscribe, which bench/fanout.py measured as
    the better one for our traffic (a message to a discussion is one PUBLISH that each server
    process receives once and hands to its own sockets; the list-based layer pushes one copy
    per socket and pops them one round trip each).

    What it adds to channels_redis' RedisPubSubChannelLayer: when a process loses its Redis
    connection, every socket of the process hears "layer.lost" and closes, so the browser
    reconnects and catches up once Redis is back (until then a reconnect is refused). Pub/sub
    does not queue: without this the sockets would stay open and deaf to what was published
    during the outage. The receiver logs a Redis error once, tries again every second and
    goes on when Redis is back (redis-py re-subscribes when it reconnects)."""

    def _get_layer(self):
        # RedisPubSubChannelLayer._get_layer (channels_redis 4.3.0), building our loop layer: one
        # per event loop, from the arguments upstream keeps in _args and _kwargs, closed with the loop.
        loop = asyncio.get_running_loop()
        layer = self._layers.get(loop)
        if layer is None:
            layer = self._layers[loop] = _LoopLayer(*self._args, **self._kwargs, channel_layer=self)
            _wrap_close(self, loop)
        return layer

    async def discard_channel(self, channel: str) -> None:
        """Forget a channel made with new_channel() outside a consumer (the health check): a
        pub/sub channel otherwise stays subscribed until a receive on it is cancelled."""
        await self._get_layer().discard_channel(channel)

    async def groups_with_members(self, groups) -> set[str]:
        """Which of these groups some socket, in any server process, belongs to now: a process
        subscribes to a group while one of its sockets is in it. One PUBSUB NUMSUB per Redis
        server for all of them (on the shard's own client: channels_redis 4.3.0's
        _get_group_channel_name, _get_shard, _ensure_redis and _redis)."""
        layer, groups = self._get_layer(), list(groups)
        by_shard: dict = {}
        for group in groups:
            name = layer._get_group_channel_name(group)
            by_shard.setdefault(layer._get_shard(name), {})[name] = group
        listened = set()
        for shard, names in by_shard.items():
            shard._ensure_redis()
            for name, subscribers in await shard._redis.pubsub_numsub(*names):
                if subscribers:
                    listened.add(names[name.decode() if isinstance(name, bytes) else name])
        return listened


async def groups_with_members(layer, groups) -> set[str]:
    """The groups (of these) that someone listens to, so a send to each of many groups can
    skip the empty ones; a layer that cannot tell gets them all."""
    if isinstance(layer, PubSubChannelLayer):
        return await layer.groups_with_members(groups)
    if isinstance(layer, InMemoryChannelLayer):
        return {group for group in groups if layer.groups.get(group)}
    return set(groups)


class _LoopLayer(RedisPubSubLoopLayer):
    def __init__(self, *args, **kwargs):
        # channels_redis 4.3.0 makes one RedisSingleShardConnection(host, loop layer) per host in
        # __init__ and connects none of them yet: replaced here by ours, with the same arguments.
        super().__init__(*args, **kwargs)
        self._shards = [_Shard(shard.host, self) for shard in self._shards]

    async def discard_channel(self, channel: str) -> None:
        # What channels_redis 4.3.0's receive does for a channel when its receive is cancelled.
        if self.channels.pop(channel, None) is not None:
            await self._get_shard(channel).unsubscribe(channel)


class _Shard(RedisSingleShardConnection):
    async def _do_receiving(self):
        """channels_redis 4.3.0's RedisSingleShardConnection._do_receiving (checked against that
        version: tests/test_patched_internals.py), except when reading fails. Upstream logs the
        error and tries again a second later, so the sockets stay open, deaf to what was published
        meanwhile; and it re-raises asyncio.TimeoutError, which ends the receive task for good
        (nothing starts another), every socket of the process deaf until it restarts. Here any
        failure is Redis lost: the sockets hear "layer.lost" once, and the loop tries again every
        second until Redis answers.

        A timeout here is never an idle connection: redis-py 8.1.0 answers a read that outlasts
        the `timeout` given to get_message with None (AbstractConnection.read_response), and
        raises its own TimeoutError (not asyncio's) only when connecting, writing or closing takes
        longer than the socket timeouts, that is when Redis cannot be reached
        (tests/core/test_channel_layer.py: an idle subscription keeps its sockets open)."""
        connected = True
        while True:
            try:
                if self._pubsub and self._pubsub.subscribed:
                    message = await self._pubsub.get_message(ignore_subscribe_messages=True, timeout=0.1)
                    connected = True
                    self._receive_message(message)
                else:
                    await asyncio.sleep(0.1)
            except (asyncio.CancelledError, GeneratorExit):
                raise
            except Exception as error:
                if connected:
                    logger.warning(
                        "lost the channel layer's Redis connection (%s: %s); closing this process's sockets",
                        type(error).__name__,
                        error,
                    )
                    self._tell_sockets(LAYER_LOST)
                connected = False
                await asyncio.sleep(1)

    def _tell_sockets(self, event: dict) -> None:
        layer = self.channel_layer
        data = layer.channel_layer.serialize(event)
        for name, queue in layer.channels.items():
            if layer._get_shard(name) is self:
                queue.put_nowait(data)
