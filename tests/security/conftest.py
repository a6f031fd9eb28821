import pytest
from django.utils import translation
from hypothesis import HealthCheck, settings

from tests.security.world import build_world


@pytest.fixture
def world(db):
    return build_world()


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
