"""core/channel_layer.py's receiver against a real Redis: a subscription that is merely idle keeps
its sockets open however long it waits; a connection Redis drops, or a Redis that stops, tells
every socket of the process "layer.lost" once, and the layer hears again when Redis answers."""

import asyncio
import uuid

import pytest
import redis
import redis.asyncio as aioredis
from django.conf import settings

from core.channel_layer import LAYER_LOST, PubSubChannelLayer
from tests.faults.services import RedisServer


@pytest.fixture
def redis_url():
    if not settings.REDIS_URL:
        pytest.skip("the Redis channel layer exists in the services mode (REDIS_URL)")
    return settings.REDIS_URL


def waiting(layer, channel) -> list[dict]:
    """What the channel's socket has not read yet, read now."""
    queue = layer._get_layer().channels[channel]
    messages = []
    while not queue.empty():
        messages.append(layer.deserialize(queue.get_nowait()))
    return messages


async def hears_again(layer, channel, *, within=15.0) -> bool:
    """Publish to the channel until the receiver hands it over (pub/sub keeps nothing that was
    published before the receiver subscribed again)."""
    queue = layer._get_layer().channels[channel]
    deadline = asyncio.get_running_loop().time() + within
    while asyncio.get_running_loop().time() < deadline:
        try:
            await layer.send(channel, {"type": "heard.again"})
            data = await asyncio.wait_for(queue.get(), 0.5)
        except (redis.RedisError, TimeoutError):
            continue
        assert layer.deserialize(data) == {"type": "heard.again"}
        return True
    return False


def test_an_idle_subscription_keeps_its_sockets_open_past_every_socket_timeout(redis_url):
    # The platform's own configuration: the connections keep redis-py's default timeouts.
    config = settings.CHANNEL_LAYERS["default"]["CONFIG"]
    layer = PubSubChannelLayer(hosts=config["hosts"], prefix=f"test-idle-{uuid.uuid4().hex[:8]}")

    async def idle():
        channel = await layer.new_channel()
        shard = layer._get_layer()._get_shard(channel)
        connection = shard._pubsub.connection
        longest = max(connection.socket_timeout or 0, connection.socket_connect_timeout or 0)
        assert longest > 0  # or there is no timeout to outlast
        await asyncio.sleep(longest + 1.5)
        left = waiting(layer, channel), shard._receive_task.done()
        await layer.send(channel, {"type": "after.idle"})
        after = await asyncio.wait_for(layer.receive(channel), 5)
        await layer.flush()
        return left, after

    (left, receiver_ended), after = asyncio.run(idle())
    assert left == []  # no "layer.lost": the sockets stay open
    assert not receiver_ended
    assert after == {"type": "after.idle"}


def test_a_connection_redis_drops_tells_the_sockets_once_and_the_layer_hears_again(redis_url):
    name = f"bg-test-{uuid.uuid4().hex[:12]}"  # to find this layer's connection among everyone's
    layer = PubSubChannelLayer(hosts=[{"address": redis_url, "client_name": name}], prefix="test-dropped")

    async def drop():
        channel = await layer.new_channel()
        async with aioredis.Redis.from_url(redis_url) as admin:
            subscribing = [client for client in await admin.client_list() if client["name"] == name]
            assert len(subscribing) == 1, subscribing
            await admin.client_kill_filter(_id=subscribing[0]["id"])
        told = await asyncio.wait_for(layer.receive(channel), 5)
        again = await hears_again(layer, channel)
        left = waiting(layer, channel)
        await layer.flush()
        return told, again, left

    told, again, left = asyncio.run(drop())
    assert told == LAYER_LOST
    assert again
    assert LAYER_LOST not in left  # told once (what is left is the tries of hears_again)


def test_a_redis_that_stops_tells_the_sockets_once_and_the_layer_hears_again_when_it_is_back(redis_url, tmp_path):
    server = RedisServer(tmp_path / "redis.log")  # a Redis of the test's own, to stop
    server.start()
    layer = PubSubChannelLayer(hosts=[server.url], prefix="test-outage")

    async def outage():
        channel = await layer.new_channel()
        await asyncio.to_thread(server.kill)
        told = await asyncio.wait_for(layer.receive(channel), 5)
        await asyncio.sleep(3)  # the receiver tries again every second: the port is closed
        during = waiting(layer, channel)
        await asyncio.to_thread(server.start)
        again = await hears_again(layer, channel)
        await layer.flush()
        return told, during, again

    try:
        told, during, again = asyncio.run(outage())
    finally:
        server.kill()
    assert told == LAYER_LOST
    assert during == []  # told once, not once a try
    assert again


class TimingOutOnce:
    """A subscription whose first read times out (asyncio's TimeoutError, which upstream's
    receiver re-raises and so ends on), then reads nothing."""

    subscribed = True

    def __init__(self):
        self.reads = 0

    async def get_message(self, *, timeout, **kwargs):
        self.reads += 1
        if self.reads == 1:
            raise TimeoutError
        await asyncio.sleep(timeout)
        return None


def test_a_timeout_tells_the_sockets_and_the_receiver_goes_on():
    layer = PubSubChannelLayer(hosts=["redis://127.0.0.1:1/0"], prefix="test-timeout")  # never connects

    async def time_out():
        here = layer._get_layer()
        channel = "test-timeout.specific!socket"
        here.channels[channel] = asyncio.Queue()
        shard = here._get_shard(channel)
        shard._pubsub = TimingOutOnce()
        receiver = asyncio.ensure_future(shard._do_receiving())
        try:
            told = await asyncio.wait_for(layer.receive(channel), 2)
            await asyncio.sleep(1.5)  # it waits a second, then reads again
            return told, shard._pubsub.reads, receiver.done()
        finally:
            receiver.cancel()

    told, reads, ended = asyncio.run(time_out())
    assert told == LAYER_LOST
    assert reads > 1 and not ended
