"""Fixtures for the fault tests: a Redis server of the test's own, and the discussion cast."""

import pytest

from tests.dialogues.conftest import session_cookie  # noqa: F401 (the discussion cast)
from tests.discussions.conftest import thread_cast  # noqa: F401
from tests.faults.services import RedisServer, require_services


@pytest.fixture
def own_redis(tmp_path):
    """A fresh redis-server on a port of 6390–6399, killed at the end whatever happened."""
    require_services()
    server = RedisServer(tmp_path / "redis.log")
    try:
        server.start()
        yield server
    finally:
        server.kill()


@pytest.fixture
def cookies(thread_cast):  # noqa: F811
    """Session cookies of the people in the group discussion."""
    return {name: session_cookie(getattr(thread_cast, name)).decode() for name in ("coordinator", "member", "observer")}
