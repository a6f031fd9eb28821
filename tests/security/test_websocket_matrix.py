"""The WebSocket side of the matrix: who may open each discussion's socket and the
notification socket, through the whole ASGI stack (origin check, session, routing)."""

import pytest
from channels.testing import WebsocketCommunicator

from config.asgi import application
from core.sockets import with_database
from tests.security.world import ROLES, build_world
from tests.signing_in import TwoFactorClient

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

TIMEOUT = 3
OPEN = "open"
SIGNED_OUT = 4401
FORBIDDEN = 4403
THREAD_READERS = {
    "group": {"member", "coordinator", "observer", "facilitator"},
    "open": {"member", "coordinator", "observer", "supplier", "other_supplier", "facilitator"},
    "private": {"member", "coordinator", "supplier", "facilitator"},
}
# Group B's discussions: nobody of group A's cast reads them except facilitators.
FOREIGN_READERS = {"facilitator"}


def session_cookie(user) -> bytes:
    client = TwoFactorClient()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def attempt(user, path, origin=b"http://testserver"):
    headers = [(b"origin", origin)]
    if user is not None:
        headers.append((b"cookie", await with_database(session_cookie)(user)))
    socket = WebsocketCommunicator(application, path, headers=headers)
    connected, code = await socket.connect(timeout=TIMEOUT)
    await socket.disconnect()
    return OPEN if connected else code


def expected_for(role, readers):
    if role == "anonymous":
        return SIGNED_OUT
    return OPEN if role in readers else FORBIDDEN


async def test_thread_sockets_open_exactly_for_readers():
    world = await with_database(build_world)()
    outcome, expected = {}, {}
    for side, readers_of in (("A", THREAD_READERS), ("B", dict.fromkeys(THREAD_READERS, FOREIGN_READERS))):
        for kind, readers in readers_of.items():
            thread = getattr(getattr(world, side), f"{kind}_thread")
            for role in ROLES:
                cell = (side, kind, role)
                outcome[cell] = await attempt(world.users[role], f"/ws/threads/{thread.pk}/")
                expected[cell] = expected_for(role, readers)
    assert outcome == expected


async def test_notification_socket_is_for_signed_in_people_only():
    world = await with_database(build_world)()
    outcome = {role: await attempt(world.users[role], "/ws/notifications/") for role in ROLES}
    assert outcome == {role: expected_for(role, set(ROLES)) for role in ROLES}


async def test_sockets_from_another_origin_are_refused():
    """Cross-site WebSocket hijacking: a page on another site cannot open a socket with the
    visitor's cookies."""
    world = await with_database(build_world)()
    member = world.users["member"]
    for path in (f"/ws/threads/{world.A.group_thread.pk}/", "/ws/notifications/"):
        assert await attempt(member, path) == OPEN
        assert await attempt(member, path, origin=b"https://evil.example") != OPEN
