"""Under ASGI the whole of settings.MIDDLEWARE runs on the event loop: Django adapts none of it
(no thread hop on the way in, no worker thread blocked in async_to_sync on the way down; issue
22), and our own middleware's asynchronous branches keep the rules of their synchronous ones."""

import logging
import threading
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

import pytest
import pytest_asyncio
from asgiref.sync import async_to_sync, sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIHandler
from django.db import connection, connections
from django.test import AsyncClient, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import audit.context
from accounts.models import Organisation, OrganisationMember
from audit.context import current_ip
from tests.factories import OrganisationFactory, person_at, with_totp
from tests.signing_in import TwoFactorAsyncClient, age_session

DASHBOARD = reverse("home:dashboard")
HOURS = 3600


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@contextmanager
def adaptations():
    """What Django says it adapted while it builds the chain. It says so only with DEBUG on, at
    DEBUG on django.request ("Synchronous handler adapted for middleware …")."""
    logger, records = logging.getLogger("django.request"), _Records()
    level = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(records)
    try:
        with override_settings(DEBUG=True):
            yield records.messages
    finally:
        logger.removeHandler(records)
        logger.setLevel(level)


def sync_only_middleware(get_response):  # Django's default: sync_capable, not async_capable
    return get_response


def test_no_middleware_is_adapted_under_asgi(settings):
    with adaptations() as adapted:
        ASGIHandler()
    assert [message for message in adapted if "adapted" in message] == []


def test_a_synchronous_only_middleware_would_be_found(settings):
    """The test above can fail: one sync-only middleware anywhere in the list is reported."""
    settings.MIDDLEWARE = [*settings.MIDDLEWARE[:5], f"{__name__}.sync_only_middleware", *settings.MIDDLEWARE[5:]]
    with adaptations() as adapted:
        ASGIHandler()
    assert any("adapted for middleware" in message for message in adapted)


# --- the asynchronous branches, through Django's ASGI request handling (AsyncClient) --------------


def is_signed_out_to(response, next_url: str) -> bool:
    if response.status_code != 302:
        return False
    location = urlsplit(response["Location"])
    return location.path == reverse("account_login") and parse_qs(location.query).get("next", [""])[0] == next_url


async def signed_in(user, client_class=TwoFactorAsyncClient):
    client = client_class()
    await client.aforce_login(user)
    return client


async def session_of(client):
    return await sync_to_async(lambda: dict(client.session.items()))()


@pytest.fixture
def member(db):
    return person_at(OrganisationFactory(name="Växjö kommun", kind=Organisation.Kind.KOMMUN), name="Mia")


@pytest.fixture
def agency(db):
    return OrganisationFactory(name="Upphandlingsmyndigheten", kind=Organisation.Kind.FACILITATING_AGENCY)


@pytest_asyncio.fixture
async def worker_connections():
    """The views ran on asgiref's worker thread: its connection would outlive the test database."""
    yield
    await sync_to_async(connections.close_all)()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("worker_connections")
async def test_under_asgi_a_saved_language_wins_over_the_browsers(member):
    member.language = "en"
    await member.asave(update_fields=["language"])
    client = await signed_in(member)
    client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "sv"})
    response = await client.get(DASHBOARD, headers={"accept-language": "sv"})
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert '<html lang="en"' in response.content.decode()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("worker_connections")
async def test_under_asgi_an_expired_session_is_signed_out_and_sent_to_sign_in(member):
    client = await signed_in(member)
    await sync_to_async(age_session)(client, seen_ago=8 * HOURS + 60)
    response = await client.get(DASHBOARD)
    assert is_signed_out_to(response, DASHBOARD)
    assert "_auth_user_id" not in await session_of(client)


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("worker_connections")
async def test_under_asgi_a_session_in_good_standing_gets_in_and_counts_as_activity(member):
    client = await signed_in(member)
    await sync_to_async(age_session)(client, seen_ago=2 * HOURS)
    assert (await client.get(DASHBOARD)).status_code == 200
    seen_at = (await session_of(client))["accounts_seen_at"]
    assert (await client.get(reverse("accounts:session-status"))).status_code == 200
    assert (await session_of(client))["accounts_seen_at"] == seen_at  # asking is not activity


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("worker_connections")
async def test_under_asgi_a_facilitator_without_an_authenticator_is_sent_to_set_one_up(agency):
    facilitator = await sync_to_async(person_at)(agency, role=OrganisationMember.Role.ADMIN)
    client = await signed_in(facilitator)
    response = await client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    assert (await client.get(reverse("mfa_activate_totp"))).get("Location") != reverse("mfa_activate_totp")


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("worker_connections")
async def test_under_asgi_a_facilitator_who_never_entered_the_code_is_signed_out(agency):
    facilitator = await sync_to_async(lambda: with_totp(person_at(agency, role=OrganisationMember.Role.ADMIN)))()
    # Django's own force_login: a session made without allauth's two steps.
    client = await signed_in(facilitator, client_class=AsyncClient)
    assert is_signed_out_to(await client.get(DASHBOARD), DASHBOARD)
    assert "_auth_user_id" not in await session_of(client)
    passed = await signed_in(facilitator)
    assert (await passed.get(DASHBOARD)).status_code == 200


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("worker_connections")
@override_settings(ROOT_URLCONF="tests.core.urls_reading_the_audit_ip")
async def test_under_asgi_the_audit_address_is_set_on_the_event_loop_for_the_view_and_reset(monkeypatch):
    middleware_threads = []

    def recording_client_ip(request):
        middleware_threads.append(threading.get_ident())
        return "192.0.2.7"

    monkeypatch.setattr(audit.context, "client_ip", recording_client_ip)
    response = await AsyncClient().get("/test/audit-ip/")
    assert response.json()["ip"] == "192.0.2.7"
    assert current_ip() is None  # reset once the answer was given
    # The middleware ran on the event loop's thread (this test's), the view on another.
    assert middleware_threads == [threading.get_ident()]
    assert response.json()["thread"] != threading.get_ident()


# --- no more queries than under WSGI -----------------------------------------------------------


def queries_for(client, path) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return [query["sql"] for query in captured]


@pytest.mark.django_db
def test_a_signed_in_page_makes_the_same_queries_under_asgi_as_under_wsgi(client, member):
    """The user that the asynchronous middleware asked for (request.auser()) is the view's
    request.user: not read a second time. AsyncClient is driven through async_to_sync here, so
    that its thread-sensitive work runs on this thread and its queries are captured."""
    client.force_login(member)
    client.get(DASHBOARD)  # the header's cached counts, as on any later page
    under_wsgi = queries_for(client, DASHBOARD)
    async_client = AsyncClient()
    async_client.cookies = client.cookies

    class Driven:
        def get(self, path):
            return async_to_sync(async_client.get)(path)

    under_asgi = queries_for(Driven(), DASHBOARD)
    assert len(under_asgi) == len(under_wsgi), "\n".join(sql[:150] for sql in under_asgi)
    reads_the_user = 'FROM "accounts_user" WHERE "accounts_user"."id" = '
    assert [sql for sql in under_asgi if reads_the_user in sql] == [sql for sql in under_wsgi if reads_the_user in sql]
