"""Redis stops while people post (PRODUCT.md §4, "Nothing lost"): every message is stored and
its poster sees success; when Redis is back the browsers reconnect and catch up, and each
message reaches them once."""

import asyncio

import pytest
from django.db.models import Sum

from discussions.access import thread_readers
from discussions.services import read_key
from notifications.models import Notification
from tests.dialogues.servers import web_process
from tests.faults.services import LiveReader, Poster

pytestmark = pytest.mark.django_db(transaction=True)


def counted_messages(thread) -> dict[int, int]:
    """How many of the discussion's messages each person was told of, read or not."""
    told = Notification.objects.filter(kind="thread_message", collapse_key=read_key(thread.pk))
    return dict(told.order_by().values_list("recipient_id").annotate(messages=Sum("count")))


def test_messages_posted_while_redis_is_down_are_stored_and_reach_readers_once(own_redis, thread_cast, cookies):
    thread = thread_cast.group_thread
    before = set(thread.messages.values_list("pk", flat=True))
    counted_before = counted_messages(thread)
    poster = Poster(cookies["member"], thread.pk)
    reader = LiveReader(cookies["observer"], thread.pk)

    async def scenario(address):
        await reader.connect(address)
        live = await asyncio.to_thread(poster.post_ok, address, "Före avbrottet")
        await reader.wait_for_message(live)

        own_redis.kill()
        # The server drops the socket, so the page knows to reconnect (thread.js onclose).
        await asyncio.wait_for(reader.socket.wait_closed(), 10)
        during = [await asyncio.to_thread(poster.post_ok, address, f"Under avbrottet {n}") for n in range(3)]
        with pytest.raises(Exception):  # noqa: B017 (refused while Redis is down: the page tries again)
            await reader.connect(address, timeout=5)
        await reader.close()

        own_redis.start()
        await reader.reconnect(address)
        for message_id in during:
            assert message_id in reader.messages
        after = await asyncio.to_thread(poster.post_ok, address, "Efter avbrottet")
        await reader.wait_for_message(after)
        await reader.close()
        return [live, *during, after]

    with web_process(redis_url=own_redis.url) as web:
        posted = asyncio.run(scenario(web.address))

    stored = list(thread.messages.exclude(pk__in=before).order_by("pk").values_list("pk", "body"))
    assert [pk for pk, _body in stored] == posted
    bodies = ["Före avbrottet", *(f"Under avbrottet {n}" for n in range(3)), "Efter avbrottet"]
    assert [body for _pk, body in stored] == bodies
    assert sorted(reader.messages) == sorted(before | set(posted))
    delivered = reader.received_ids("message", "message.posted")
    assert len(delivered) == len(set(delivered)), "a message reached the reader twice"
    # The notifications of every message were written with it, also while the broker was down
    # (the sweep queues what could not be queued then; tests/faults/test_worker_faults.py).
    readers = set(thread_readers(thread).exclude(pk=thread_cast.member.pk).values_list("pk", flat=True))
    assert thread_cast.observer.pk in readers
    # A discussion's messages are one item per reader that counts them (issue 18): each reader's
    # count went up by every message posted.
    counted = counted_messages(thread)
    assert {pk: counted.get(pk, 0) - counted_before.get(pk, 0) for pk in readers} == dict.fromkeys(readers, len(posted))
