"""A suspended person's open discussion sockets are closed at once, and new ones are refused."""

import pytest

from core.sockets import with_database
from moderation.services import lift_suspension, suspend_user
from notifications.broadcast import push_unread_counts
from tests.discussions.test_consumers import closed_with, connect, joined, next_frame
from tests.notifications.test_consumers import connect as connect_notifications

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def test_suspension_disconnects_the_live_discussion_at_once(thread_cast):
    member = await joined(thread_cast.member, thread_cast.group_thread)
    observer = await joined(thread_cast.observer, thread_cast.group_thread)
    suspension = await with_database(suspend_user)(
        user=thread_cast.member, moderator=thread_cast.coordinator, reason="Påhopp", group=thread_cast.group
    )
    assert (await next_frame(member, "access.revoked"))["type"] == "access.revoked"
    assert await closed_with(member) == 4403
    await member.disconnect()
    presence = await next_frame(observer, "presence")  # the others stay connected
    assert "Erik Medlem" not in presence["people"]
    _socket, connected, code = await connect(thread_cast.member, thread_cast.group_thread.pk)
    assert (connected, code) == (False, 4403)
    await with_database(lift_suspension)(suspension=suspension, moderator=thread_cast.facilitator)
    again = await joined(thread_cast.member, thread_cast.group_thread)
    await again.disconnect()
    await observer.disconnect()


async def test_a_site_wide_suspension_closes_every_discussion_socket_at_once(thread_cast):
    group_socket = await joined(thread_cast.member, thread_cast.group_thread)
    await with_database(suspend_user)(user=thread_cast.member, moderator=thread_cast.facilitator, reason="Hot")
    assert (await next_frame(group_socket, "access.revoked"))["type"] == "access.revoked"
    assert await closed_with(group_socket) == 4403
    await group_socket.disconnect()
    _socket, connected, code = await connect(thread_cast.member, thread_cast.group_thread.pk)
    assert (connected, code) == (False, 4403)


async def test_a_suspension_leaves_the_notification_socket_open(thread_cast):
    """The suspended person still reads the site and is told why: their own channel stays."""
    socket, connected = await connect_notifications(thread_cast.member)
    assert connected
    assert "unread" in await socket.receive_json_from(timeout=3)
    await with_database(suspend_user)(user=thread_cast.member, moderator=thread_cast.facilitator, reason="Hot")
    await with_database(push_unread_counts)([thread_cast.member.pk])
    assert "unread" in await socket.receive_json_from(timeout=3)
    await socket.disconnect()
