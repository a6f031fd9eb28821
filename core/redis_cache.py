"""Django's Redis cache, with one redis-py client and connection pool per process (issue 22).

Django keeps a cache backend per context (django.utils.connection: asgiref's Local, not
thread-critical). Under ASGI every request runs in a context of its own, so every request built
a new backend, a new connection pool and a new TCP connection to Redis: one connection per
request that used the cache (tests/core/test_redis_cache.py counts them). And Django's client
builds a redis.Redis, with its table of response callbacks, for every call. A redis.Redis is safe
to share between threads (it takes a connection from its pool for each command; the pool starts
afresh in a forked process), so one is kept per server and options for the whole process.
"""

import threading

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

_clients: dict[tuple, object] = {}
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
