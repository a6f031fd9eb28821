"""A web process dies with browsers connected (PRODUCT.md §3, scale-out): the browsers
reconnect to another process behind the load balancer and catch up by id and revision;
nothing is lost and nothing arrives twice."""

import asyncio

import pytest

from tests.dialogues.servers import web_process
from tests.faults.services import LiveReader, Poster

pytestmark = pytest.mark.django_db(transaction=True)


def test_readers_of_a_killed_process_reconnect_to_the_other_and_catch_up(own_redis, thread_cast, cookies):
    thread = thread_cast.group_thread
    before = set(thread.messages.values_list("pk", flat=True))
    poster = Poster(cookies["member"], thread.pk)
    readers = [LiveReader(cookies[name], thread.pk) for name in ("observer", "coordinator")]

    async def scenario(doomed, survivor):
        for reader in readers:
            await reader.connect(doomed.address)
        # Posted through the other process: reaches the sockets on this one over Redis.
        first = await asyncio.to_thread(poster.post_ok, survivor.address, "Innan processen dog")
        for reader in readers:
            await reader.wait_for_message(first)

        doomed.kill()
        for reader in readers:
            await asyncio.wait_for(reader.socket.wait_closed(), 10)
            await reader.close()
        missed = [await asyncio.to_thread(poster.post_ok, survivor.address, f"Medan ingen hörde {n}") for n in range(3)]

        for reader in readers:
            caught_up = await reader.reconnect(survivor.address)
            assert [frame["id"] for frame in caught_up] == missed
        last = await asyncio.to_thread(poster.post_ok, survivor.address, "Efter bytet")
        for reader in readers:
            await reader.wait_for_message(last)
            await reader.close()
        return [first, *missed, last]

    with web_process(redis_url=own_redis.url) as doomed, web_process(redis_url=own_redis.url) as survivor:
        posted = asyncio.run(scenario(doomed, survivor))

    assert list(thread.messages.exclude(pk__in=before).order_by("pk").values_list("pk", flat=True)) == posted
    for reader in readers:
        assert sorted(reader.messages) == sorted(before | set(posted))
        delivered = reader.received_ids("message", "message.posted")
        assert len(delivered) == len(set(delivered)), "a message reached a reader twice"
        assert set(delivered) == before | set(posted)
