import pytest
from django.utils import translation

from tests.security.world import build_world


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def english():
    with translation.override("en"):
        yield
