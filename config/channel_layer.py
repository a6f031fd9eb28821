"""The Redis channel layer with a bounded connection pool per server process.

channels_redis gives each event loop an unbounded pool: every command that finds all pooled
connections busy opens another, and the pool keeps it. A burst of people opening or closing
discussions (bench/soak.py's churn: 20 a second) left each process holding dozens of idle
Redis connections, more after every burst. Here the pool holds at most MAX_CONNECTIONS and a
command waits (up to WAIT_SECONDS) for a free one instead, so a process's connections to
Redis are bounded whatever the load.

The pool's connections also wait longer for a reply than the layer's blocking pop lasts.
redis-py 8 gives every connection a 5 s socket timeout, the same as channels_redis' BZPOPMIN
(brpop_timeout): on a busy machine the empty reply arrived after the client had given up,
the receive raised TimeoutError and the consumer closed its socket with 1011 (bench/soak.py:
about 1 idle connection in 40, every few minutes).
"""

import redis.asyncio as aioredis
from channels_redis.core import RedisChannelLayer

MAX_CONNECTIONS = 20
WAIT_SECONDS = 20
READ_SECONDS = 30  # > RedisChannelLayer.brpop_timeout (5 s); a reply this late means Redis is gone


def bounded_pool(url: str) -> aioredis.BlockingConnectionPool:
    return aioredis.BlockingConnectionPool.from_url(
        url, max_connections=MAX_CONNECTIONS, timeout=WAIT_SECONDS, socket_timeout=READ_SECONDS
    )


class BoundedRedisChannelLayer(RedisChannelLayer):
    def create_pool(self, index):
        host = self.hosts[index]
        if set(host) != {"address"}:  # sentinels or extra options: channels_redis' own pool
            return super().create_pool(index)
        return bounded_pool(host["address"])
