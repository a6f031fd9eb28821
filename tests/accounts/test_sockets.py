"""accounts.sockets.SessionGate in front of every WebSocket, here the notification socket through
the whole ASGI stack with a real session cookie: a session that owes two-factor or has expired
gets no socket (the pages would sign it out)."""

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections
from django.test import Client

from accounts.models import Organisation, OrganisationMember
from config.asgi import application
from core.sockets import with_database
from tests.factories import OrganisationFactory, UserFactory, person_at, with_totp
from tests.signing_in import TwoFactorClient, age_session

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

PATH = "/ws/notifications/"
TIMEOUT = 3
HOURS = 3600


@pytest_asyncio.fixture(autouse=True)
async def _close_worker_thread_connections():
    yield
    await sync_to_async(connections.close_all)()


@with_database
def facilitator_with_app():
    agency = OrganisationFactory(kind=Organisation.Kind.FACILITATING_AGENCY)
    return with_totp(person_at(agency, role=OrganisationMember.Role.ADMIN))


@with_database
def cookie(user, client_class=TwoFactorClient, **ages) -> bytes:
    client = client_class()
    client.force_login(user)
    if ages:
        age_session(client, **ages)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def attempt(cookie_header: bytes):
    socket = WebsocketCommunicator(
        application, PATH, headers=[(b"origin", b"http://testserver"), (b"cookie", cookie_header)]
    )
    connected, code = await socket.connect(timeout=TIMEOUT)
    await socket.disconnect()
    return "open" if connected else code


async def test_a_facilitator_who_entered_the_code_gets_the_socket():
    assert await attempt(await cookie(await facilitator_with_app())) == "open"


async def test_a_facilitator_session_that_never_entered_the_code_is_refused():
    facilitator = await facilitator_with_app()
    assert await attempt(await cookie(facilitator, client_class=Client)) == 4401


async def test_a_staff_member_without_the_app_is_refused():
    staff = await sync_to_async(UserFactory)(is_staff=True)
    assert await attempt(await cookie(staff)) == 4401


async def test_an_idle_session_is_refused():
    person = await sync_to_async(UserFactory)()
    assert await attempt(await cookie(person, seen_ago=7 * HOURS)) == "open"
    assert await attempt(await cookie(person, seen_ago=9 * HOURS)) == 4401


async def test_a_facilitators_session_past_its_lifetime_is_refused():
    facilitator = await facilitator_with_app()
    assert await attempt(await cookie(facilitator, signed_in_ago=13 * HOURS)) == 4401
