"""A burst of group joins and leaves, and of presence updates, does not leave a server process
holding a Redis connection per concurrent command (core/channel_layer.py): the pools are
bounded, and what they hold afterwards is at most their bound."""

import asyncio

import pytest
import redis
from django.conf import settings

from core.channel_layer import MAX_CONNECTIONS, BoundedRedisChannelLayer, PubSubChannelLayer
from discussions import presence

BURST = 200


def connected_clients() -> int:
    with redis.Redis.from_url(settings.REDIS_URL) as client:
        return client.info("clients")["connected_clients"]


@pytest.fixture
def services():
    if not settings.REDIS_URL:
        pytest.skip("the Redis pools exist in the services mode (REDIS_URL)")


def test_a_burst_of_group_changes_keeps_the_layer_within_its_pool(services):
    layer = BoundedRedisChannelLayer(hosts=[settings.REDIS_URL], prefix="test-pool")
    before = connected_clients()

    async def burst():
        channels = [f"specific.burst!{n}" for n in range(BURST)]
        await asyncio.gather(*(layer.group_add("burst", channel) for channel in channels))
        await asyncio.gather(*(layer.group_discard("burst", channel) for channel in channels))
        during = connected_clients()
        await layer.flush()
        return during

    during = asyncio.run(burst())
    assert during - before <= MAX_CONNECTIONS, (before, during)


def test_a_burst_of_presence_updates_keeps_within_the_pool(services):
    before = connected_clients()

    async def burst():
        await asyncio.gather(
            *(
                presence.arrive(999_999, user_pk=n, group_side=True, channel_name=f"specific.p!{n}")
                for n in range(BURST)
            )
        )
        people = await presence.present(999_999)
        await asyncio.gather(
            *(
                presence.depart(999_999, user_pk=n, group_side=True, channel_name=f"specific.p!{n}")
                for n in range(BURST)
            )
        )
        return people, connected_clients()

    people, during = asyncio.run(burst())
    assert len(people) == BURST  # every update was applied, none refused for want of a connection
    assert during - before <= MAX_CONNECTIONS, (before, during)


def test_an_empty_receive_outlasts_the_blocking_pop(services):
    """The layer waits up to brpop_timeout on Redis for a message; the connection must wait
    longer than that for Redis' empty reply, or an idle socket dies with TimeoutError."""
    layer = BoundedRedisChannelLayer(hosts=[settings.REDIS_URL], prefix="test-idle")
    layer.brpop_timeout = 6  # past redis-py's own default read timeout (5 s)

    async def wait_for_nothing():
        with pytest.raises(asyncio.TimeoutError):  # still waiting, not failed
            await asyncio.wait_for(layer.receive(await layer.new_channel()), timeout=7.5)
        await layer.flush()

    asyncio.run(wait_for_nothing())


def test_the_pubsub_layer_holds_two_connections_whatever_the_burst(services):
    """The platform's layer (core/channel_layer.py: PubSubChannelLayer) subscribes and
    publishes over one connection each per process, one command at a time."""
    layer = PubSubChannelLayer(hosts=[settings.REDIS_URL], prefix="test-pubsub")
    before = connected_clients()

    async def burst():
        channels = await asyncio.gather(*(layer.new_channel() for _ in range(BURST)))
        await asyncio.gather(*(layer.group_add(f"burst-{n % 10}", channel) for n, channel in enumerate(channels)))
        await asyncio.gather(*(layer.group_send(f"burst-{n}", {"type": "x.y"}) for n in range(10)))
        received = await asyncio.gather(*(asyncio.wait_for(layer.receive(channel), 5) for channel in channels))
        during = connected_clients()
        await layer.flush()
        return received, during

    received, during = asyncio.run(burst())
    assert received == [{"type": "x.y"}] * BURST
    assert during - before <= 2, (before, during)


def test_the_health_check_leaves_no_channel_behind(services):
    from core.health import _round_trip

    layer = PubSubChannelLayer(hosts=[settings.REDIS_URL], prefix="test-health")

    async def check_twice():
        await _round_trip(layer)
        await _round_trip(layer)
        left = dict(layer._get_layer().channels)
        await layer.flush()
        return left

    assert asyncio.run(check_twice()) == {}
