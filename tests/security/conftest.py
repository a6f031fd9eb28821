import pytest
from django.utils import translation
from hypothesis import HealthCheck, settings

from tests.module_data import kept_for_the_module
from tests.security.world import build_world


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker):
    """The world is built once per test module (tests/module_data.py); each test runs in a
    savepoint inside it (pytest-django's `db`), so what one request changes is gone for the next
    (test_permission_matrix.py's cells are each rolled back on their own too)."""
    with kept_for_the_module(django_db_blocker):
        yield build_world()


@pytest.fixture
def world(_module_world, db):
    return _module_world


@pytest.fixture
def english():
    with translation.override("en"):
        yield


# Property-based tests: deterministic in CI (the same examples every run), no example database
# on disk, no time limit per example (the requests go through the whole stack).
settings.register_profile(
    "security",
    database=None,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile("security")
