"""The person's own WebSocket: their unread count, live (on whatever channel layer is set up:
Redis in the services mode)."""

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import connections

from config.asgi import application
from notifications.broadcast import push_unread_counts
from notifications.delivery import deliver
from notifications.models import Notification
from notifications.services import mark_read, notify
from tests.factories import UserFactory
from tests.signing_in import TwoFactorClient

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

PATH = "/ws/notifications/"


@pytest_asyncio.fixture(autouse=True)
async def _close_worker_thread_connections():
    # The consumer's ORM calls run on the thread that sync_to_async uses; close what they
    # opened there, or the test database cannot be dropped at the end of the run.
    yield
    await sync_to_async(connections.close_all)()


ORIGIN = (b"origin", b"http://testserver")


def session_cookie(user) -> bytes:
    client = TwoFactorClient()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}".encode()


async def connect(user=None):
    headers = [ORIGIN]
    if user is not None:
        headers.append((b"cookie", await sync_to_async(session_cookie)(user)))
    communicator = WebsocketCommunicator(application, PATH, headers=headers)
    connected, _subprotocol = await communicator.connect()
    return communicator, connected


@sync_to_async
def create_and_deliver(recipients):
    notify(kind="mention", recipients=recipients, params={"person": "Erik", "thread": "Allmänt"})
    deliver(list(Notification.objects.undelivered().values_list("pk", flat=True)))


async def test_the_count_is_sent_on_connect_and_pushed_when_a_notification_arrives():
    anna, erik = await sync_to_async(UserFactory)(), await sync_to_async(UserFactory)()
    await create_and_deliver([anna])
    communicator, connected = await connect(anna)
    assert connected
    assert await communicator.receive_json_from(timeout=5) == {"unread": 1}

    await create_and_deliver([anna])
    assert await communicator.receive_json_from(timeout=5) == {"unread": 2}

    await create_and_deliver([erik])  # someone else's: nothing reaches Anna
    assert await communicator.receive_nothing(timeout=0.5)

    await sync_to_async(mark_read)(user=anna)  # outside a transaction the push happens at once
    assert await communicator.receive_json_from(timeout=5) == {"unread": 0}
    await communicator.disconnect()


async def test_counts_are_counted_and_sent_only_for_people_with_a_browser_listening():
    anna, erik = await sync_to_async(UserFactory)(), await sync_to_async(UserFactory)()
    communicator, connected = await connect(anna)
    assert connected
    assert await communicator.receive_json_from(timeout=5) == {"unread": 0}

    assert await sync_to_async(push_unread_counts)([anna.pk, erik.pk]) == [anna.pk]
    assert await communicator.receive_json_from(timeout=5) == {"unread": 0}

    await communicator.disconnect()
    assert await sync_to_async(push_unread_counts)([anna.pk, erik.pk]) == []


async def test_anonymous_visitor_is_refused():
    communicator, connected = await connect()
    assert not connected
    await communicator.disconnect()


async def test_a_socket_from_another_site_is_refused():
    anna = await sync_to_async(UserFactory)()
    cookie = await sync_to_async(session_cookie)(anna)
    communicator = WebsocketCommunicator(
        application, PATH, headers=[(b"origin", b"https://evil.example"), (b"cookie", cookie)]
    )
    connected, _ = await communicator.connect()
    assert not connected
    await communicator.disconnect()


async def test_frames_from_the_client_are_ignored_not_fatal():
    anna = await sync_to_async(UserFactory)()
    communicator, connected = await connect(anna)
    assert connected
    assert await communicator.receive_json_from(timeout=5) == {"unread": 0}
    for frame in ("not json", '{"type": "x"}', "x" * 100_000):
        await communicator.send_to(text_data=frame)
    await communicator.send_to(bytes_data=b"\x00\xff")
    await create_and_deliver([anna])
    assert await communicator.receive_json_from(timeout=5) == {"unread": 1}
    await communicator.disconnect()
