"""core/redis_cache.py: Django's Redis cache keeping its redis-py client (one per connection pool)
instead of building one, with its table of response callbacks, on every call."""

import os

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="the Redis cache is the services mode's")


def test_the_client_is_built_once_and_still_works():
    client = cache._cache.get_client("a-key")
    assert cache._cache.get_client("another-key", write=True) is client
    cache.set("kept-client", {"n": 1}, 30)
    assert cache.get("kept-client") == {"n": 1}
    assert cache.get_many(["kept-client", "nothing-here"]) == {"kept-client": {"n": 1}}
