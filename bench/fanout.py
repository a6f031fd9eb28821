"""Live fan-out: 200 WebSocket clients on one discussion; messages posted over HTTP at a steady
rate; the time from each POST to its arrival at every client, and the deliveries lost or
duplicated, next to a bare group_send of the same event on the same channel layer to the same
200 consumers. Run with RedisChannelLayer and with RedisPubSubChannelLayer.

    python -m bench.fanout        (BENCH_QUICK=1: 50 messages per run instead of 150)
"""

import asyncio
import time

from bench import common, live

CLIENTS = 200
MESSAGES = 50 if common.QUICK else 150
RATE = 5.0  # messages per second, posted by 10 people in turn (the limit is 10 per 10 s each)
POSTERS = 10
TARGET_P95_MS = 100


def make_layer(kind: str):
    """The layer the server runs (bench/settings.py), for the driver's bare group_send."""
    from django.conf import settings

    from core.channel_layer import BoundedRedisChannelLayer, PubSubChannelLayer

    layer_class = PubSubChannelLayer if kind == "pubsub" else BoundedRedisChannelLayer
    return layer_class(hosts=[settings.REDIS_URL], prefix="bg")


async def fan_out(port: int, thread_pk: int, cookies: list[str], layer_kind: str) -> dict:
    from discussions.broadcast import thread_group

    listeners = [live.Listener(port, thread_pk, cookie) for cookie in cookies]
    failed = await live.open_all(listeners)
    await live.settle(listeners)

    layer = make_layer(layer_kind)
    baseline_sent: dict[str, float] = {}

    async def bare_send(i: int) -> None:
        token = f"bench-b-{i}"
        html = f'<li id="message-0"><p>Mätning {token}</p></li>'
        baseline_sent[token] = time.monotonic()
        event = {"type": "message.posted", "id": 0, "revision": 0, "html": {"sv": html, "en": html}}
        await layer.group_send(thread_group(thread_pk), event)

    await bare_send(-1)  # warm-up, not measured
    await asyncio.sleep(1)
    baseline_sent.clear()
    await live.paced(MESSAGES, RATE, bare_send)
    await live.wait_for(listeners, baseline_sent)
    baseline = live.tally(listeners, baseline_sent)

    async def posting(kind: str, path: str = "") -> tuple[dict, dict, list]:
        posters = [live.Poster(port, thread_pk, cookie, path=path) for cookie in cookies[:POSTERS]]
        sent: dict[str, float] = {}
        statuses: dict[int, int] = {}
        post_times: list[float] = []

        async def post(i: int) -> None:
            token = f"bench-{kind}-{i}"
            status, started, took = await posters[i % POSTERS].post(f"Mätning {token}")
            sent[token] = started
            statuses[status] = statuses.get(status, 0) + 1
            post_times.append(took)

        # Warm-up, not measured: one post by each poster, so that every server process has served
        # this kind of request before (its first one loads templates and the Markdown renderer).
        for n, poster in enumerate(posters):
            await poster.post(f"Uppvärmning bench-w{kind}-{n}")
        await asyncio.sleep(1)
        await live.paced(MESSAGES, RATE, post)
        await live.wait_for(listeners, sent)
        for poster in posters:
            await poster.connection.close()
        return live.tally(listeners, sent), statuses, post_times

    bare_posted, bare_statuses, bare_post_times = await posting("h", f"/bench/bare-post/{thread_pk}/")
    posted, statuses, post_times = await posting("p")
    dropped = [listener.close_code for listener in listeners if listener.closed_by_server]
    for listener in listeners:
        await listener.close()
    return {
        "layer": layer_kind,
        "clients": len(listeners),
        "messages": MESSAGES,
        "rate_per_s": RATE,
        "posted": {
            **common.spread(posted["latencies"]),
            "lost": posted["lost"],
            "duplicated": posted["duplicated"],
            "post_statuses": statuses,
            "post_response": common.spread(post_times),
        },
        "bare_group_send": {
            **common.spread(baseline["latencies"]),
            "lost": baseline["lost"],
            "duplicated": baseline["duplicated"],
        },
        "bare_post": {
            **common.spread(bare_posted["latencies"]),
            "lost": bare_posted["lost"],
            "duplicated": bare_posted["duplicated"],
            "post_statuses": bare_statuses,
            "post_response": common.spread(bare_post_times),
        },
        "connections_closed_by_server": dropped,
        "handshakes_failed": len(failed),
    }


def seed_thread(clients: int):
    from bench import seed

    authority = seed.organisations(1, name="Växjö kommun")[0]
    coordinator = seed.person(authority)
    group = seed.group(coordinator, authority)
    members = seed.organisations(clients)
    people = seed.people(members)
    seed.add_members(group, members)
    thread = seed.thread(group, coordinator)
    seed.analyze()
    cookies = seed.sign_in(people)
    return group, thread, people, [cookies[person.pk] for person in people]


def main() -> None:
    common.setup("fanout")
    from bench.report import write

    _group, thread, _people, cookies = seed_thread(CLIENTS)
    runs = []
    for layer_kind in ("redis", "pubsub"):
        with common.Platform(extra_env={"BENCH_CHANNEL_LAYER": layer_kind}) as platform:
            result = asyncio.run(fan_out(platform.port, thread.pk, cookies, layer_kind))
        print(result, flush=True)
        runs.append(result)
    table = []
    for run in runs:
        rows = (
            ("bare group_send (baseline)", run["bare_group_send"]),
            ("bare HTTP POST (second baseline)", run["bare_post"]),
            ("HTTP POST", run["posted"]),
        )
        for label, figures in rows:
            ratio = figures["p95_ms"] / run["bare_group_send"]["p95_ms"]
            post_ratio = figures["p95_ms"] / run["bare_post"]["p95_ms"]
            met = ""
            if label == "HTTP POST":
                ok = figures["p95_ms"] < TARGET_P95_MS and ratio <= 2 and figures["lost"] == 0
                met = "yes" if ok else "NO"
            table.append(
                (
                    run["layer"],
                    label,
                    figures["count"],
                    figures["p50_ms"],
                    figures["p95_ms"],
                    figures["p99_ms"],
                    figures["max_ms"],
                    f"{ratio:.1f}×",
                    f"{post_ratio:.1f}×",
                    figures["lost"],
                    figures["duplicated"],
                    met,
                )
            )
    write(
        "fanout",
        figures={"target_p95_ms": TARGET_P95_MS, "runs": runs},
        headers=(
            "channel layer",
            "sent by",
            "deliveries",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "max ms",
            "p95 vs bare group_send",
            "p95 vs bare POST",
            "lost",
            "duplicated",
            "target met",
        ),
        table=table,
        notes=(
            f"{CLIENTS} WebSocket clients (one per person, all members of the group) on one group discussion; "
            f"{MESSAGES} messages at {RATE:g}/s posted over HTTP by {POSTERS} of them in turn, latency from the "
            "POST leaving the driver to the frame arriving at each client. Baseline: the same number of "
            "message.posted events sent with a bare group_send from the driver, on the same layer, to the same "
            "consumers. Second baseline: the same posters POST to a bare view (same server, session, CSRF and "
            "middleware) that stores and checks nothing and only sends the text with the same group_send, the "
            f"floor under any POST-to-frame figure. {common.WORKERS} processes of the production server (scripts/web: "
            "uvicorn), one Celery worker (each "
            "post notifies the other readers through the outbox). Target: p95 < 100 ms and ≤ 2× the bare "
            "group_send, none lost."
        ),
    )


if __name__ == "__main__":
    main()
