"""Pages: throughput and latency of the busiest pages, signed in as the group's coordinator, at
a fixed concurrency over loopback against the production-like platform, next to a bare view on
the same server; and each page's SQL query count with 10 and with 1,000 rows (in-process,
CaptureQueriesContext), which must be equal.

    python -m bench.pages        (BENCH_QUICK=1: 4 s per page instead of 10)
"""

import asyncio

from bench import common

SECONDS = 4 if common.QUICK else 10
TARGET_P95_MS = 50


def main() -> None:
    common.setup("pages")
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench import seed
    from bench.report import write

    authority = seed.organisations(1, name="Växjö kommun")[0]
    coordinator = seed.person(authority)
    group = seed.group(coordinator, authority)
    members = seed.organisations(999)
    member_people = seed.people(members[:20])

    # Objects grown from 10 to 1,000 rows for the query counts (the thread is timed too).
    counted_need = seed.need(group, coordinator)
    counted_dialogue = seed.dialogue(group, counted_need, coordinator, title="Dialog som växer")
    thread = seed.thread(group, coordinator)
    authors = [coordinator, *member_people]
    seed.analyze()
    grow = {
        "directory": lambda n: seed.add_groups(n - 1 - (n > 10) * 9, coordinator, authority),
        "workspace": lambda n: seed.add_members(group, members[9 if n > 10 else 0 : n - 1]),
        "need": lambda n: seed.add_versions(counted_need, n, coordinator),
        "dialogue": lambda n: seed.add_participants(counted_dialogue, n - counted_dialogue.participations.count()),
        "thread": lambda n: seed.add_messages(thread, authors, n),
    }
    paths = {
        "directory": "/groups/",
        "workspace": group.get_absolute_url(),
        "need": counted_need.get_absolute_url(),
        "dialogue": counted_dialogue.get_absolute_url(),
        "thread": thread.get_absolute_url(),
    }
    client = Client()
    client.force_login(coordinator)

    def count(path: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return len(queries)

    queries = {}
    for name in paths:
        grow[name](10)
        count(paths[name])  # warm caches (content types, templates) before counting
        queries[name] = {"n10": count(paths[name])}
    for name in paths:
        grow[name](1000)
    seed.analyze()
    for name in paths:
        queries[name]["n1000"] = count(paths[name])
        print(f"queries {name}: {queries[name]}", flush=True)

    # The sizes the issue names for the timed pages.
    timed_need = seed.need(group, coordinator)
    seed.add_versions(timed_need, 50, coordinator)
    timed_dialogue = seed.dialogue(group, timed_need, coordinator, title="Dialog med 300 deltagare")
    seed.add_participants(timed_dialogue, 300)
    timed = [
        ("bare view (baseline)", "/bench/bare/", "-"),
        ("group directory", "/groups/", "1,000 groups"),
        ("workspace", group.get_absolute_url(), "1,000 member organisations"),
        ("need statement", timed_need.get_absolute_url(), "50 versions"),
        ("need statement", counted_need.get_absolute_url(), "1,000 versions"),
        ("dialogue", timed_dialogue.get_absolute_url(), "300 participants"),
        ("dialogue", counted_dialogue.get_absolute_url(), "1,000 participants"),
        ("thread", thread.get_absolute_url(), "1,000 messages"),
    ]
    query_key = {"group directory": "directory", "workspace": "workspace", "need statement": "need"}
    query_key |= {"dialogue": "dialogue", "thread": "thread"}
    cookie = seed.sign_in([coordinator])[coordinator.pk]
    seed.analyze()

    results = []
    levels = sorted({1, common.CONCURRENCY})
    with common.Platform() as platform:
        for concurrency in levels:
            for label, path, size in [*timed, ("bare view (baseline, again)", "/bench/bare/", "-")]:
                figures = asyncio.run(
                    common.load(platform.port, path, cookie=cookie, concurrency=concurrency, seconds=SECONDS)
                )
                print(concurrency, label, size, figures, flush=True)
                results.append({"page": label, "size": size, "path": path, "concurrency": concurrency, **figures})

    table = []
    for row in results:
        bare = next(r for r in results if r["concurrency"] == row["concurrency"] and r["path"] == "/bench/bare/")
        key = query_key.get(row["page"])
        counts = queries.get(key, {})
        met = ""
        if key:
            met = "yes" if row["p95_ms"] < TARGET_P95_MS and counts["n10"] == counts["n1000"] else "NO"
        table.append(
            (
                row["page"],
                row["size"],
                row["concurrency"],
                row["requests_per_s"],
                row["p50_ms"],
                row["p95_ms"],
                row["p99_ms"],
                f"{row['p95_ms'] / bare['p95_ms']:.1f}×",
                row["errors"],
                f"{counts['n10']} / {counts['n1000']}" if counts else "-",
                met,
            )
        )
    write(
        "pages",
        figures={
            "concurrency": levels,
            "seconds_per_page": SECONDS,
            "server_processes": common.WORKERS,
            "target_p95_ms": TARGET_P95_MS,
            "pages": results,
            "queries": queries,
        },
        headers=(
            "page",
            "data",
            "concurrency",
            "req/s",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "p95 vs bare",
            "errors",
            "queries N=10 / N=1,000",
            "target met",
        ),
        table=table,
        notes=(
            f"Signed in as the group's coordinator; 1 and {common.CONCURRENCY} keep-alive connections for {SECONDS} s "
            f"per page after a 1.5 s warm-up, over loopback, against {common.WORKERS} daphne processes sharing "
            "one socket, the Redis channel layer and a Celery worker, all on this machine together with "
            "PostgreSQL, Redis and the load generator. Target: p95 < "
            f"{TARGET_P95_MS} ms at N=1,000 and equal query counts with 10 and 1,000 rows (groups, member "
            "organisations, versions, participants, messages)."
        ),
    )


if __name__ == "__main__":
    main()
