"""Django's Redis cache, keeping its redis-py client (issue 22).

Django's RedisCacheClient builds a new redis.Redis for every call, and each one fills a table of
response callbacks: about a quarter of a millisecond, twice or more on every page. A redis.Redis is
safe to share between threads (it takes a connection from its pool for each command), so one is
kept per connection pool. Django already keeps a backend per thread; this keeps what it builds.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class KeptRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = KeptRedisCacheClient
