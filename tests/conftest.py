import pytest
from channels.layers import channel_layers
from django.core.cache import cache
from django.core.management import call_command

from accounts.models import Organisation, OrganisationMember
from core.fragments import forget_per_language
from tests import durations
from tests.factories import OrganisationFactory, person_at, with_totp
from tests.module_data import kept_for_the_module
from tests.signing_in import TwoFactorAsyncClient, TwoFactorClient


def pytest_configure(config):
    durations.register(config)  # the time per test directory, at the end of the session


@pytest.fixture(scope="module")
def module_demo(django_db_setup, django_db_blocker):
    """The demo (`load_demo`) loaded once for a module that only reads it (tests/module_data.py);
    take `db` beside it so each test's writes are rolled back."""
    with kept_for_the_module(django_db_blocker):
        call_command("load_demo", stdout=open("/dev/null", "w"))
        yield


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    """channels_redis keeps asyncio locks in the layer instance, bound to the event loop that
    first used them; pytest-asyncio gives every test a loop of its own. A lock still held when
    one test's loop closed breaks the next test ("bound to a different event loop"), so every
    test gets a new layer instance."""
    yield
    channel_layers.backends.clear()


@pytest.fixture(autouse=True)
def _agenda_count_not_cached(settings):
    # The header's count is cached per person (home/agenda.py); tests count queries and compare
    # headers, which must not depend on which request came first. tests/home/test_agenda.py turns
    # the cache on where it tests it.
    settings.AGENDA_COUNT_SECONDS = 0


@pytest.fixture(autouse=True)
def _api_not_rate_limited(settings):
    # The API's rate limit counts per client address across requests: every test client comes from
    # 127.0.0.1. tests/api/test_api.py turns it on where it tests it.
    settings.API_RATE_LIMIT = None


@pytest.fixture(autouse=True)
def _clear_cache():
    # With REDIS_URL the cache is shared Redis: rate-limit counters must not leak between tests.
    # The layout parts kept in process memory go too: each test renders its pages' templates
    # itself (tests/security/test_visible_language.py counts the templates the pages render).
    cache.clear()
    forget_per_language()
    yield
    cache.clear()


@pytest.fixture
def client():
    """Signs in as the site's sign-in does, two-factor included (tests/signing_in.py)."""
    return TwoFactorClient()


@pytest.fixture
def async_client():
    return TwoFactorAsyncClient()


@pytest.fixture
def authority(db):
    return OrganisationFactory(name="Växjö kommun", kind=Organisation.Kind.KOMMUN)


@pytest.fixture
def admin_user(authority):
    return person_at(authority, role=OrganisationMember.Role.ADMIN, email="admin@vaxjo.se", name="Anna Admin")


@pytest.fixture
def colleague(authority):
    return person_at(authority, email="colleague@vaxjo.se", name="Cecilia Kollega")


@pytest.fixture
def outsider(db):
    other = OrganisationFactory(name="Lunds kommun")
    return person_at(other, role=OrganisationMember.Role.ADMIN, email="outsider@lund.se")


@pytest.fixture
def facilitator(db):
    agency = OrganisationFactory(name="Upphandlingsmyndigheten", kind=Organisation.Kind.FACILITATING_AGENCY)
    return with_totp(person_at(agency, role=OrganisationMember.Role.ADMIN, email="facilitator@uhm.se", name="Fia"))


@pytest.fixture
def unverified_admin(db):
    supplier = OrganisationFactory(
        name="Ny Leverantör AB", kind=Organisation.Kind.SUPPLIER, status=Organisation.Status.UNVERIFIED
    )
    return person_at(supplier, role=OrganisationMember.Role.ADMIN, email="ulf@nylev.se")


@pytest.fixture
def deliver_outbox():
    """Deliver what waits in the outbox now, as the Celery worker would. In the services mode
    the delivery task went to the broker (the worker tests run a real worker); in the embedded
    mode it already ran eagerly after commit and this finds nothing left."""
    from notifications.delivery import deliver, send_outgoing
    from notifications.models import Notification, OutgoingEmail

    def run():
        deliver(list(Notification.objects.undelivered().values_list("pk", flat=True)))
        for email_id in OutgoingEmail.objects.filter(sent_at=None).values_list("pk", flat=True):
            send_outgoing(email_id)

    return run
