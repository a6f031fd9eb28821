"""core/redis_cache.py: Django's Redis cache with one redis-py client and connection pool per
process, instead of a client per call and a pool (and a connection) per request."""

import contextvars
import os

import pytest
from django.core.cache import cache, caches

pytestmark = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="the Redis cache is the services mode's")


def test_the_client_is_built_once_and_still_works():
    client = cache._cache.get_client("a-key")
    assert cache._cache.get_client("another-key", write=True) is client
    cache.set("kept-client", {"n": 1}, 30)
    assert cache.get("kept-client") == {"n": 1}
    assert cache.get_many(["kept-client", "nothing-here"]) == {"kept-client": {"n": 1}}


def test_requests_in_contexts_of_their_own_share_the_process_connections():
    """Under ASGI each request runs in a context of its own, and Django's cache handler (asgiref's
    Local, not thread-critical) builds a new backend in each: before core/redis_cache.py every
    such request opened a new connection to Redis."""

    def one_request():
        backend = caches["default"]
        backend.get("anything")
        return backend._cache.get_client()

    received = cache._cache.get_client().info("stats")["total_connections_received"]
    clients = [contextvars.Context().run(one_request) for _ in range(20)]
    assert len({id(client) for client in clients}) == 1
    assert cache._cache.get_client().info("stats")["total_connections_received"] - received <= 1


def test_requests_in_contexts_of_their_own_share_one_cache_client(monkeypatch):
    """Django's RedisCacheClient asks importlib.metadata for redis-py's version when it is built
    (a walk of site-packages): built for every request, it cost more than a kept page's lookup."""
    from django.core.cache.backends import redis as django_redis

    built = []
    original = django_redis.RedisCacheClient.__init__

    def counting(self, *args, **kwargs):
        built.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(django_redis.RedisCacheClient, "__init__", counting)

    def one_request():
        backend = caches["default"]
        backend.get_many(["anything", "else"])
        return backend._cache

    cache_clients = [contextvars.Context().run(one_request) for _ in range(20)]
    assert len({id(client) for client in cache_clients}) == 1
    assert len(built) <= 1
