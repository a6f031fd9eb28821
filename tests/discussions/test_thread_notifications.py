"""A discussion's new messages wait for a reader as one unread item ("5 new messages in …"),
one line in the digest, and are read once the reader reads the discussion: by opening its page,
or live, when the open and visible page says so over the socket (the Redis channel layer in the
services mode)."""

import pytest
from channels.testing import WebsocketCommunicator
from django.utils import translation

from config.asgi import application
from core.sockets import with_database
from discussions.services import post_message
from notifications.delivery import send_digests_to, users_with_digest_items
from notifications.models import Notification
from notifications.services import mark_read
from tests.dialogues.conftest import session_cookie, signed_in
from tests.discussions.test_consumers import TIMEOUT, joined, next_frame, send

THREAD_KINDS = ("thread_message", "mention")


def unread(user, thread=None):
    items = Notification.objects.unread().filter(recipient=user, kind__in=THREAD_KINDS)
    if thread is not None:
        items = items.filter(place_url=thread.get_absolute_url())
    return list(items)


def post_several(thread, author, count, deliver_outbox, capture):
    with capture(execute=True):
        for number in range(count):
            post_message(thread=thread, author=author, body=f"Meddelande {number}")
    deliver_outbox()


@pytest.mark.django_db
def test_new_messages_in_a_discussion_are_one_unread_item_per_reader(
    thread_cast, deliver_outbox, django_capture_on_commit_callbacks
):
    thread, reader = thread_cast.group_thread, thread_cast.observer
    mark_read(user=reader)
    mark_read(user=thread_cast.member)
    post_several(thread, thread_cast.member, 5, deliver_outbox, django_capture_on_commit_callbacks)
    [item] = unread(reader)
    assert item.count == 5
    with translation.override("en"):
        assert item.message() == "5 new messages in Laddning vid depåerna."
    assert unread(thread_cast.member) == []  # never told of their own messages


@pytest.mark.django_db
def test_mentions_stay_apart_from_the_other_messages(thread_cast, deliver_outbox, django_capture_on_commit_callbacks):
    thread, reader = thread_cast.group_thread, thread_cast.observer
    mark_read(user=reader)
    with django_capture_on_commit_callbacks(execute=True):
        post_message(thread=thread, author=thread_cast.member, body="Allmänt")
        post_message(thread=thread, author=thread_cast.member, body=f"@{reader.name} vad tycker du?")
        post_message(thread=thread, author=thread_cast.member, body=f"@{reader.name} och nu?")
    deliver_outbox()
    assert sorted((item.kind, item.count) for item in unread(reader)) == [("mention", 2), ("thread_message", 1)]


@pytest.mark.django_db
def test_the_digest_has_one_line_per_discussion_with_the_count(
    thread_cast, mailoutbox, deliver_outbox, django_capture_on_commit_callbacks
):
    reader = thread_cast.observer
    reader.language = "en"
    reader.save(update_fields=["language"])
    mark_read(user=reader)
    post_several(thread_cast.group_thread, thread_cast.member, 4, deliver_outbox, django_capture_on_commit_callbacks)
    send_digests_to(users_with_digest_items())
    [digest] = [message for message in mailoutbox if message.to == [reader.email]]
    assert digest.body.count("Laddning vid depåerna") == 2  # the place's heading and its one line
    assert "4 new messages in Laddning vid depåerna." in digest.body
    assert "wrote in" not in digest.body


@pytest.mark.django_db
def test_opening_the_discussion_reads_its_messages_and_mentions_only(
    thread_cast, deliver_outbox, django_capture_on_commit_callbacks
):
    reader = thread_cast.coordinator
    mark_read(user=reader)
    post_several(thread_cast.group_thread, thread_cast.member, 2, deliver_outbox, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        post_message(thread=thread_cast.group_thread, author=thread_cast.member, body=f"@{reader.name} titta här")
        post_message(thread=thread_cast.open_thread, author=thread_cast.supplier, body="En fråga")
    assert len(unread(reader, thread_cast.group_thread)) == 2
    assert signed_in(reader).get(thread_cast.group_thread.get_absolute_url()).status_code == 200
    assert unread(reader, thread_cast.group_thread) == []
    assert len(unread(reader, thread_cast.open_thread)) == 1


# --- Live: the page is open when the message comes ------------------------------------------


async def notification_socket(user):
    socket = WebsocketCommunicator(
        application,
        "/ws/notifications/",
        headers=[(b"origin", b"http://testserver"), (b"cookie", await with_database(session_cookie)(user))],
    )
    connected, code = await socket.connect(timeout=TIMEOUT)
    assert connected, code
    return socket


async def handled(socket):
    """Frames are handled in order: once our ping is answered, what was sent before it is done."""
    await send(socket, {"type": "ping", "id": 7})
    assert (await next_frame(socket, "pong"))["id"] == 7


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_message_read_live_in_the_visible_page_is_not_left_unread(thread_cast):
    thread, reader = thread_cast.group_thread, thread_cast.observer
    await with_database(mark_read)(user=reader)
    page = await joined(reader, thread)
    badge = await notification_socket(reader)
    assert await badge.receive_json_from(timeout=TIMEOUT) == {"unread": 0}

    await with_database(post_message)(thread=thread, author=thread_cast.member, body="Hej!")
    await next_frame(page, "message.posted")
    assert len(await with_database(unread)(reader, thread)) == 1
    await send(page, {"type": "read"})  # what static/js/thread.js says while the page is visible
    await handled(page)

    assert await with_database(unread)(reader, thread) == []
    frames = []
    while (frame := await badge.receive_json_from(timeout=TIMEOUT)) != {"unread": 0}:
        frames.append(frame)  # the count of 1 that delivery pushed may come first
    assert frames in ([], [{"unread": 1}])
    await page.disconnect()
    await badge.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_page_that_does_not_say_it_read_leaves_the_message_unread(thread_cast):
    thread, reader = thread_cast.group_thread, thread_cast.observer
    await with_database(mark_read)(user=reader)
    page = await joined(reader, thread)
    await with_database(post_message)(thread=thread, author=thread_cast.member, body="Hej!")
    await next_frame(page, "message.posted")
    await handled(page)  # a hidden tab answers pings but says nothing of reading
    assert len(await with_database(unread)(reader, thread)) == 1
    await page.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_saying_read_in_one_discussion_leaves_the_others_unread(thread_cast):
    reader = thread_cast.coordinator
    await with_database(mark_read)(user=reader)
    await with_database(post_message)(thread=thread_cast.open_thread, author=thread_cast.supplier, body="En fråga")
    page = await joined(reader, thread_cast.group_thread)
    await send(page, {"type": "read"})
    await handled(page)
    assert len(await with_database(unread)(reader, thread_cast.open_thread)) == 1
    await page.disconnect()
