"""Who is in a discussion right now ("who is here"), shared by every server process.

Services mode: one Redis sorted set per discussion with one entry per open connection,
"<user pk>:<g|s<organisation pk>>:<channel name>" (g: the group's side, s: a supplier's person
and whom they read for), scored with the moment
it expires. Each connection refreshes its entry with the heartbeat, so the entry of a
connection lost together with its server process disappears by itself after TTL_SECONDS.
Embedded mode: the same in a dict, since there is only one process.
"""

import asyncio
import time
import weakref
from dataclasses import dataclass

import redis.asyncio as aioredis
from django.conf import settings

from core.channel_layer import bounded_pool

TTL_SECONDS = 90


@dataclass(frozen=True)
class Present:
    user_pk: int
    group_side: bool
    organisation_pk: int | None = None  # a supplier's person: whom they read for


def _entry(user_pk: int, group_side: bool, channel_name: str, organisation_pk: int | None = None) -> str:
    side = "g" if group_side else f"s{organisation_pk or ''}"
    return f"{user_pk}:{side}:{channel_name}"


def _people(entries) -> frozenset:
    people = set()
    for entry in entries:
        text = entry.decode() if isinstance(entry, bytes) else entry
        user_pk, side, _channel = text.split(":", 2)
        organisation_pk = int(side[1:]) if side[:1] == "s" and side[1:].isdigit() else None
        people.add(Present(user_pk=int(user_pk), group_side=side == "g", organisation_pk=organisation_pk))
    return frozenset(people)


# One client (and its connection pool, bounded) per event loop: a new client for every arrival,
# departure and heartbeat cost a Redis connection each time (bench/: thousands while sockets
# connect), and an unbounded pool kept as many as a burst had needed at once.
# Keyed weakly, so a loop that is closed (a test's) takes its client with it.
_clients: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _client(url: str):
    loop = asyncio.get_running_loop()
    client = _clients.get(loop)
    if client is None:
        client = _clients[loop] = aioredis.Redis(connection_pool=bounded_pool(url))
    return client


class RedisPresence:
    def __init__(self, url: str):
        self.url = url

    async def apply(self, thread_pk: int, *, add: str = "", remove: str = "") -> tuple[frozenset, frozenset]:
        key, now = f"bg:threads:presence:{thread_pk}", time.time()
        client = _client(self.url)
        async with client.pipeline(transaction=True) as pipe:
            pipe.zremrangebyscore(key, "-inf", now)
            pipe.zrange(key, 0, -1)
            if add:
                pipe.zadd(key, {add: now + TTL_SECONDS})
            if remove:
                pipe.zrem(key, remove)
            pipe.zrange(key, 0, -1)
            pipe.expire(key, TTL_SECONDS)
            results = await pipe.execute()
        return _people(results[1]), _people(results[-2])


class LocalPresence:
    def __init__(self):
        self.threads: dict[int, dict[str, float]] = {}

    async def apply(self, thread_pk: int, *, add: str = "", remove: str = "") -> tuple[frozenset, frozenset]:
        now = time.time()
        entries = {e: expires for e, expires in self.threads.get(thread_pk, {}).items() if expires > now}
        before = _people(entries)
        if add:
            entries[add] = now + TTL_SECONDS
        entries.pop(remove, None)
        self.threads[thread_pk] = entries
        return before, _people(entries)


_local = LocalPresence()


def _store():
    return RedisPresence(settings.REDIS_URL) if settings.REDIS_URL else _local


async def arrive(
    thread_pk: int, *, user_pk: int, group_side: bool, channel_name: str, organisation_pk: int | None = None
) -> tuple[frozenset, bool]:
    """Record (or refresh) a connection; returns the people here and whether that set changed."""
    before, after = await _store().apply(thread_pk, add=_entry(user_pk, group_side, channel_name, organisation_pk))
    return after, before != after


async def depart(
    thread_pk: int, *, user_pk: int, group_side: bool, channel_name: str, organisation_pk: int | None = None
) -> tuple[frozenset, bool]:
    before, after = await _store().apply(thread_pk, remove=_entry(user_pk, group_side, channel_name, organisation_pk))
    return after, before != after


async def present(thread_pk: int) -> frozenset:
    """The people here now (expired entries dropped)."""
    _before, after = await _store().apply(thread_pk)
    return after
