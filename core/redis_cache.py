"""Django's Redis cache, with one cache client, redis-py client and connection pool per process
(issue 22).

Django keeps a cache backend per context (django.utils.connection: asgiref's Local, not
thread-critical). Under ASGI every request runs in a context of its own, so every request that
used the cache built a new backend and, with it:

- a new RedisCacheClient, whose constructor asks importlib.metadata for redis-py's version (a
  walk of site-packages: about a third of a millisecond, more than a kept page's whole lookup);
- a new connection pool and a new TCP connection to Redis;
- and Django's client builds a redis.Redis, with its table of response callbacks, for every call.

tests/core/test_redis_cache.py counts them. A redis.Redis is safe to share between threads (it
takes a connection from its pool for each command; the pool starts afresh in a forked process),
and the cache client holds nothing of a request, so one of each is kept per server and options
for the whole process. The backend itself stays Django's per-context object (cheap: a few
attributes).
"""

import threading

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.utils.functional import cached_property

_clients: dict[tuple, object] = {}  # (server, options) → redis.Redis
_cache_clients: dict[tuple, "KeptRedisCacheClient"] = {}  # (servers, options) → cache client
_lock = threading.Lock()


class KeptRedisCacheClient(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        identity = (self._servers[index], repr(sorted(self._pool_options.items(), key=lambda item: item[0])))
        client = _clients.get(identity)
        if client is None:
            with _lock:
                client = _clients.get(identity)
                if client is None:
                    pool = self._get_connection_pool(write)
                    client = _clients[identity] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = KeptRedisCacheClient

    @cached_property
    def _cache(self):
        identity = (tuple(self._servers), repr(sorted(self._options.items(), key=lambda item: item[0])))
        client = _cache_clients.get(identity)
        if client is None:
            with _lock:
                client = _cache_clients.get(identity)
                if client is None:
                    client = _cache_clients[identity] = self._class(self._servers, **self._options)
        return client
