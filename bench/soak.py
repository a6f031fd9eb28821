"""Connections over time, on the platform's channel layer (BENCH_SOAK_LAYER=redis: the list-based one):

- idle: 2,000 open discussion connections (200 people on 100 discussions, 20 on each); the
  server processes' resident memory before and after, per connection;
- sustained chat: 100 clients in 10 discussions (10 groups of 10 people), 20 messages a second
  posted over HTTP for BENCH_CHAT_SECONDS (600; BENCH_QUICK=1: 60): none lost, the latency,
  and the servers' memory growth; baseline: a bare group_send at the same rate to the same
  clients for 20 s first;
- churn: 20 connections opened and 20 closed every second for a minute (BENCH_QUICK=1: 20 s):
  Redis' connected clients (INFO clients), the members of the channel layer's group keys and
  of the presence keys (ZCARD) and the pub/sub subscriptions (PUBSUB CHANNELS) before and
  after must be equal.

    python -m bench.soak
"""

import asyncio
import os
import time
from collections import Counter

from bench import common, live
from core.channel_layer import MAX_CONNECTIONS

IDLE_CONNECTIONS = 2000
IDLE_THREADS = 100
CHAT_GROUPS = 10
CHAT_PEOPLE = 10
CHAT_RATE = 20.0
CHAT_SECONDS = int(os.environ.get("BENCH_CHAT_SECONDS", "60" if common.QUICK else "600"))
CHAT_BASELINE_SECONDS = 20
CHURN_RATE = 20
CHURN_SECONDS = 20 if common.QUICK else 60
# BENCH_SOAK_PARTS=churn (or idle, sustained, comma-separated) runs only those and writes no result.
PARTS = set(filter(None, os.environ.get("BENCH_SOAK_PARTS", "churn,idle,sustained").split(",")))
LAYER = os.environ.get("BENCH_SOAK_LAYER", "pubsub")


def seed_all():
    from bench import seed
    from discussions.models import Thread

    authority = seed.organisations(1, name="Växjö kommun")[0]
    coordinator = seed.person(authority)
    big = seed.group(coordinator, authority, name="Stor grupp")
    members = seed.organisations(200)
    people = seed.people(members)
    seed.add_members(big, members)
    idle_threads = Thread.objects.bulk_create(
        Thread(kind=Thread.Kind.GROUP, group=big, title=f"Tråd {n}", created_by=coordinator)
        for n in range(IDLE_THREADS)
    )
    chat = []
    for n in range(CHAT_GROUPS):
        group = seed.group(coordinator, authority, name=f"Chattgrupp {n}")
        organisations = seed.organisations(CHAT_PEOPLE)
        staff = seed.people(organisations)
        seed.add_members(group, organisations)
        thread = Thread.objects.create(kind=Thread.Kind.GROUP, group=group, title="Chatt", created_by=coordinator)
        chat.append((thread, staff))
    seed.analyze()
    cookies = seed.sign_in([*people, *(person for _thread, staff in chat for person in staff)])
    return people, idle_threads, chat, cookies


def redis_counts() -> dict:
    import redis
    from django.conf import settings

    with redis.Redis.from_url(settings.REDIS_URL) as client:  # closed after, so it is not counted next time
        return {
            "connected_clients": client.info("clients")["connected_clients"],
            # RedisChannelLayer keeps group members in Redis; the pub/sub layer keeps them in each
            # process and subscribes the process to the group and to each socket's own channel.
            "group_members": sum(client.zcard(key) for key in client.scan_iter("bg:group:*")),
            "subscriptions": len(client.pubsub_channels("bg*")),
            "presence_entries": sum(client.zcard(key) for key in client.scan_iter("bg:threads:presence:*")),
        }


async def idle(platform, people, threads, cookies) -> dict:
    before = platform.server_rss_kib()
    listeners = [
        live.Listener(platform.port, thread.pk, cookies[people[(i * 20 + j) % len(people)].pk])
        for i, thread in enumerate(threads)
        for j in range(IDLE_CONNECTIONS // len(threads))
    ]
    started = time.monotonic()
    failed = await live.open_all(listeners)
    opened = time.monotonic() - started
    await live.settle(listeners, quiet=3, limit=120)
    await asyncio.sleep(5)
    after = platform.server_rss_kib()
    closed = sum(listener.closed_by_server for listener in listeners)
    codes = Counter(str(listener.close_code) for listener in listeners if listener.closed_by_server)
    for listener in listeners:
        await listener.close()
    return {
        "connections": len(listeners),
        "handshakes_failed": len(failed),
        "seconds_to_open": round(opened, 1),
        "closed_by_server": closed,
        "close_codes": dict(codes),
        "server_rss_before_kib": before,
        "server_rss_after_kib": after,
        "kib_per_connection": round((after - before) / len(listeners), 1),
    }


async def sustained(platform, chat, cookies) -> dict:
    from bench.fanout import make_layer
    from discussions.broadcast import thread_group

    rooms = [
        (thread, [live.Listener(platform.port, thread.pk, cookies[person.pk]) for person in staff], staff)
        for thread, staff in chat
    ]
    listeners = [listener for _thread, room, _staff in rooms for listener in room]
    failed = await live.open_all(listeners)
    for _thread, room, _staff in rooms:
        room[:] = [listener for listener in room if listener not in failed]
    await live.settle(listeners)

    layer, baseline_sent = make_layer(LAYER), {}

    async def bare_send(i: int) -> None:
        thread, _room, _staff = rooms[i % len(rooms)]
        token = f"bench-b-{i}"
        baseline_sent[token] = time.monotonic()
        html = f"<p>{token}</p>"
        event = {"type": "message.posted", "id": 0, "revision": 0, "html": {"sv": html, "en": html}}
        await layer.group_send(thread_group(thread.pk), event)

    await live.paced(int(CHAT_RATE * CHAT_BASELINE_SECONDS), CHAT_RATE, bare_send)
    await asyncio.sleep(3)

    rss_start = platform.server_rss_kib()
    posters = [[live.Poster(platform.port, t.pk, cookies[person.pk]) for person in staff] for t, _room, staff in rooms]
    posted_sent: dict[str, tuple[int, float]] = {}
    statuses: dict[int, int] = {}

    async def post(i: int) -> None:
        room = i % len(rooms)
        poster = posters[room][(i // len(rooms)) % CHAT_PEOPLE]
        token = f"bench-s-{i}"
        status, started, _took = await poster.post(f"Chatt {token}")
        if status == 201:  # stored; a refused post (its status counted below) is not expected anywhere
            posted_sent[token] = (room, started)
        statuses[status] = statuses.get(status, 0) + 1

    count = int(CHAT_RATE * CHAT_SECONDS)
    await live.paced(count, CHAT_RATE, post)
    await asyncio.sleep(5)
    rss_end = platform.server_rss_kib()

    def room_tally(sent: dict[str, tuple[int, float]]) -> dict:
        latencies, lost, duplicated = [], 0, 0
        for token, (room, at) in sent.items():
            for listener in rooms[room][1]:
                times = listener.receipts.get(token, [])
                lost += not times
                duplicated += max(0, len(times) - 1)
                if times:
                    latencies.append(times[0] - at)
        return {**common.spread(latencies), "lost": lost, "duplicated": duplicated}

    baseline = room_tally({token: (i % len(rooms), at) for i, (token, at) in enumerate(baseline_sent.items())})
    closed = sum(listener.closed_by_server for listener in listeners)
    for listener in listeners:
        await listener.close()
    for room in posters:
        for poster in room:
            await poster.connection.close()
    return {
        "clients": len(listeners),
        "discussions": len(rooms),
        "rate_per_s": CHAT_RATE,
        "seconds": CHAT_SECONDS,
        "messages": count,
        "post_statuses": statuses,
        "posted": room_tally(posted_sent),
        "bare_group_send": baseline,
        "closed_by_server": closed,
        "handshakes_failed": len(failed),
        "server_rss_start_kib": rss_start,
        "server_rss_end_kib": rss_end,
        "server_rss_growth_kib": rss_end - rss_start,
    }


async def steady_counts(limit: float = 60) -> dict:
    """redis_counts() once two readings 3 s apart agree (work in flight has finished)."""
    deadline, last = time.monotonic() + limit, redis_counts()
    while time.monotonic() < deadline:
        await asyncio.sleep(3)
        now = redis_counts()
        if now == last:
            break
        last = now
    return last


async def churn(platform, people, thread, cookies) -> dict:
    before = await steady_counts()
    open_now: list[live.Listener] = []
    opened = failures = 0
    for second in range(CHURN_SECONDS):
        tick = time.monotonic()
        fresh = [
            live.Listener(platform.port, thread.pk, cookies[people[(second * CHURN_RATE + j) % len(people)].pk])
            for j in range(CHURN_RATE)
        ]
        results = await asyncio.gather(*(listener.open() for listener in fresh), return_exceptions=True)
        failures += sum(isinstance(result, Exception) for result in results)
        opened += len(fresh)
        await asyncio.gather(*(listener.close() for listener in open_now), return_exceptions=True)
        open_now = [listener for listener, result in zip(fresh, results, strict=True) if result is None]
        await asyncio.sleep(max(0, 1 - (time.monotonic() - tick)))
    await asyncio.gather(*(listener.close() for listener in open_now), return_exceptions=True)
    after = await steady_counts()
    return {
        "rate_per_s": CHURN_RATE,
        "seconds": CHURN_SECONDS,
        "opened": opened,
        "failed": failures,
        "before": before,
        "after": after,
    }


def main() -> None:
    common.setup("soak")
    from bench.report import write

    people, idle_threads, chat, cookies = seed_all()
    if PARTS != {"churn", "idle", "sustained"}:  # a partial run while working on one part: print only
        with common.Platform(extra_env={"BENCH_CHANNEL_LAYER": LAYER}) as platform:
            if "churn" in PARTS:
                for _ in range(int(os.environ.get("BENCH_CHURN_ROUNDS", "1"))):
                    print("churn", asyncio.run(churn(platform, people, idle_threads[0], cookies)), flush=True)
            if "idle" in PARTS:
                print("idle", asyncio.run(idle(platform, people, idle_threads, cookies)), flush=True)
            if "sustained" in PARTS:
                print("sustained", asyncio.run(sustained(platform, chat, cookies)), flush=True)
        return
    with common.Platform(extra_env={"BENCH_CHANNEL_LAYER": LAYER}) as platform:
        warm_up = asyncio.run(churn(platform, people, idle_threads[0], cookies))
        print("churn (warm-up)", warm_up, flush=True)
        churn_figures = asyncio.run(churn(platform, people, idle_threads[0], cookies))
        churn_figures["warm_up"] = warm_up
        print("churn", churn_figures, flush=True)
        idle_figures = asyncio.run(idle(platform, people, idle_threads, cookies))
        print("idle", idle_figures, flush=True)
        chat_figures = asyncio.run(sustained(platform, chat, cookies))
        print("sustained", chat_figures, flush=True)

    refused = sum(count for status, count in chat_figures["post_statuses"].items() if status != 201)
    chat_ok = chat_figures["posted"]["lost"] == 0 and chat_figures["posted"]["duplicated"] == 0 and not refused
    # Group members and presence entries must come back to what they were. Redis connections are
    # pooled: a process keeps up to MAX_CONNECTIONS per pool (channel layer, presence) once a burst
    # needed them, so what must hold is that the count stays within that bound of where it started
    # (a leak grows with every round; the warm-up round is the first of two).
    client_bound = warm_up["before"]["connected_clients"] + common.WORKERS * 2 * MAX_CONNECTIONS
    stale = {
        key: churn_figures["after"][key] - churn_figures["before"][key]
        for key in ("group_members", "subscriptions", "presence_entries")
    }
    churn_ok = not any(stale.values()) and churn_figures["after"]["connected_clients"] <= client_bound
    memory_ok = chat_figures["server_rss_growth_kib"] < 0.1 * chat_figures["server_rss_start_kib"]
    posted, bare = chat_figures["posted"], chat_figures["bare_group_send"]
    table = [
        (
            "idle: server RSS",
            f"{idle_figures['connections']} connections",
            f"{idle_figures['server_rss_after_kib'] / 1024:.0f} MiB "
            f"({idle_figures['kib_per_connection']} KiB per connection)",
            f"{idle_figures['server_rss_before_kib'] / 1024:.0f} MiB with none",
            f"{idle_figures['closed_by_server']} closed by the server",
        ),
        (
            "sustained chat: delivery latency p50/p95/p99 ms",
            f"{chat_figures['clients']} clients, {CHAT_RATE:g}/s for {CHAT_SECONDS} s",
            f"{posted['p50_ms']} / {posted['p95_ms']} / {posted['p99_ms']}",
            f"{bare['p50_ms']} / {bare['p95_ms']} / {bare['p99_ms']} (bare group_send, {CHAT_BASELINE_SECONDS} s)",
            f"lost {posted['lost']}, duplicated {posted['duplicated']}, posts refused {refused} "
            f"({'ok' if chat_ok else 'NOT ok'})",
        ),
        (
            "sustained chat: server RSS",
            f"{chat_figures['messages']} messages",
            f"{chat_figures['server_rss_end_kib'] / 1024:.0f} MiB at the end",
            f"{chat_figures['server_rss_start_kib'] / 1024:.0f} MiB at the start",
            f"growth {chat_figures['server_rss_growth_kib'] / 1024:.1f} MiB "
            f"({'under' if memory_ok else 'NOT under'} 10 %)",
        ),
    ]
    load = f"{CHURN_RATE} opened + closed per s for {CHURN_SECONDS} s"
    table.append(
        (
            "churn: Redis connected clients",
            load,
            f"{warm_up['after']['connected_clients']} after the warm-up round, "
            f"{churn_figures['after']['connected_clients']} after the second",
            f"{warm_up['before']['connected_clients']} before; bound {client_bound}",
            "within the pools' bound" if churn_figures["after"]["connected_clients"] <= client_bound else "ABOVE",
        )
    )
    for key in ("group_members", "subscriptions", "presence_entries"):
        table.append(
            (
                f"churn: Redis {key.replace('_', ' ')}",
                load,
                churn_figures["after"][key],
                f"{churn_figures['before'][key]} before",
                "equal" if not stale[key] else "DIFFERENT",
            )
        )
    write(
        "soak",
        figures={"idle": idle_figures, "sustained": chat_figures, "churn": churn_figures},
        headers=("measure", "load", "figure", "baseline", "verdict"),
        table=table,
        notes=(
            f"{common.WORKERS} processes of the production server (scripts/web: uvicorn) on one port, the {LAYER} "
            "channel layer, one Celery worker. Churn "
            f"{'passes' if churn_ok else 'FAILS'}: channel-layer group members, pub/sub subscriptions and presence "
            "entries must be equal "
            "before and after, and Redis clients must stay within the pools' bound (each server process keeps at "
            f"most {MAX_CONNECTIONS} connections in each of its two pools, core/channel_layer.py) over a warm-up "
            "round and a measured one."
        ),
    )


if __name__ == "__main__":
    main()
