"""The Redis channel layer with a bounded connection pool per server process.

channels_redis gives each event loop an unbounded pool: every command that finds all pooled
connections busy opens another, and the pool keeps it. A burst of people opening or closing
discussions (bench/soak.py's churn: 20 a second) left each process holding dozens of idle
Redis connections, more after every burst. Here the pool holds at most MAX_CONNECTIONS and a
command waits (up to WAIT_SECONDS) for a free one instead, so a process's connections to
Redis are bounded whatever the load.
"""

import redis.asyncio as aioredis
from channels_redis.core import RedisChannelLayer

MAX_CONNECTIONS = 20
WAIT_SECONDS = 20


def bounded_pool(url: str) -> aioredis.BlockingConnectionPool:
    return aioredis.BlockingConnectionPool.from_url(url, max_connections=MAX_CONNECTIONS, timeout=WAIT_SECONDS)


class BoundedRedisChannelLayer(RedisChannelLayer):
    def create_pool(self, index):
        host = self.hosts[index]
        if set(host) != {"address"}:  # sentinels or extra options: channels_redis' own pool
            return super().create_pool(index)
        return bounded_pool(host["address"])
