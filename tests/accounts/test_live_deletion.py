"""A deleted account's open sockets close at once: the discussion it was reading and its own
notification channel (on whatever channel layer is set up: Redis in the services mode)."""

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from django.db import connections

from accounts.services import delete_account
from core.sockets import with_database
from notifications.broadcast import push_unread_counts
from tests.discussions.conftest import thread_cast  # noqa: F401 (fixture)
from tests.discussions.test_consumers import closed_with, joined, next_frame
from tests.notifications.test_consumers import connect as connect_notifications

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@pytest_asyncio.fixture(autouse=True)
async def _close_worker_thread_connections():
    yield
    await sync_to_async(connections.close_all)()


async def test_deletion_closes_the_discussion_socket_at_once(thread_cast):  # noqa: F811
    member = await joined(thread_cast.member, thread_cast.group_thread)
    observer = await joined(thread_cast.observer, thread_cast.group_thread)
    await with_database(delete_account)(user=thread_cast.member)
    assert (await next_frame(member, "access.revoked"))["type"] == "access.revoked"
    assert await closed_with(member) == 4403
    await member.disconnect()
    presence = await next_frame(observer, "presence")  # the others stay, and see Erik leave
    assert "Erik Medlem" not in presence["people"]
    await observer.disconnect()


async def test_deletion_closes_the_notification_socket_at_once(thread_cast):  # noqa: F811
    socket, connected = await connect_notifications(thread_cast.member)
    assert connected
    assert "unread" in await socket.receive_json_from(timeout=3)
    others, connected = await connect_notifications(thread_cast.observer)
    assert connected
    assert "unread" in await others.receive_json_from(timeout=3)
    await with_database(delete_account)(user=thread_cast.member)
    assert await closed_with(socket) == 4401
    await socket.disconnect()
    # Somebody else's channel is untouched: it still hears its count.
    await with_database(push_unread_counts)([thread_cast.observer.pk])
    assert "unread" in await others.receive_json_from(timeout=3)
    await others.disconnect()
