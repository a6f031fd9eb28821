"""The open data API (issue 21) at N = 1,000 of each kind: 1,000 buyer groups with five member
authorities each, 1,000 published need statements (five functional requirements, three
endorsements each, two of them committed with a quantity, a budget and a start), and 1,000
market dialogues (three in four open, the rest closed with a published public record), each
with three suppliers taking part. Anonymous, as the API's readers are, with the rate limit off.

Each endpoint's latency and throughput over loopback against the production-like platform,
next to a bare view on the same server: the lists at 20 and 100 per page, the 40th page
reached by following `next`, a detail of each kind (rotating over 200 ids), a conditional GET
answered 304, and the Atom feeds when the server has them. And each endpoint's SQL query count
(in-process, CaptureQueriesContext), for the lists at 20 and at 100 per page, which must be
equal.

    python -m bench.api        (BENCH_QUICK=1: 4 s per endpoint instead of 10)
"""

import asyncio
import os
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from bench import common

SECONDS = 4 if common.QUICK else 10
N = 1000
DEEP_PAGE = 40
ROTATE = 200
FEEDS = ("/feeds/dialogues.atom", "/feeds/needs.atom")


def local(url: str) -> str:
    """An address the API gave (absolute, for its own host) as a path for this server."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def main() -> None:
    # The limit per client address would answer the load generator 429 within seconds.
    os.environ["DJANGO_API_RATE_LIMIT"] = ""
    common.setup("api")
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench import seed

    ids = seed.open_data(N)
    seed.analyze()

    client = Client()

    def count(path: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code, response.content[:300])
        return len(queries)

    # The 40th page of groups, 20 a page, as a client reaches it: by following `next`.
    deep = "/api/v1/groups/?limit=20"
    for _ in range(DEEP_PAGE - 1):
        deep = local(client.get(deep).json()["next"])
    details = {
        kind: [f"/api/v1/{kind}/{pk}/" for pk in ids[kind][:: max(1, len(ids[kind]) // ROTATE)][:ROTATE]]
        for kind in ("groups", "needs", "dialogues")
    }
    counted = {
        "groups": ("/api/v1/groups/?limit=20", "/api/v1/groups/?limit=100"),
        "needs": ("/api/v1/needs/?limit=20", "/api/v1/needs/?limit=100"),
        "dialogues": ("/api/v1/dialogues/?limit=20", "/api/v1/dialogues/?limit=100"),
        "groups, page 40": (deep,),
        "group detail": (details["groups"][0],),
        "need detail": (details["needs"][0],),
        "dialogue detail": (details["dialogues"][0],),
        "themes": ("/api/v1/themes/",),
    }
    queries = {}
    for name, paths in counted.items():
        count(paths[0])  # warm caches (content types, URL resolvers) before counting
        queries[name] = [count(path) for path in paths]
        print(f"queries {name}: {queries[name]}", flush=True)

    timed = [
        ("bare view (baseline)", "/bench/bare/", "-"),
        ("groups list", "/api/v1/groups/?limit=20", "groups"),
        ("groups list", "/api/v1/groups/?limit=100", "groups"),
        ("needs list", "/api/v1/needs/?limit=100", "needs"),
        ("dialogues list", "/api/v1/dialogues/?limit=100", "dialogues"),
        (f"groups list, page {DEEP_PAGE} by cursor", deep, "groups, page 40"),
        ("group detail", details["groups"], "group detail"),
        ("need detail", details["needs"], "need detail"),
        ("dialogue detail", details["dialogues"], "dialogue detail"),
        ("themes", "/api/v1/themes/", "themes"),
    ]
    results = []
    levels = sorted({1, common.CONCURRENCY})
    with common.Platform(extra_env={"DJANGO_API_RATE_LIMIT": ""}) as platform:
        # The ETag the server gives (its answers name its own host, so not the in-process one).
        conditional = "/api/v1/needs/?limit=100"
        with urllib.request.urlopen(platform.url + conditional, timeout=30) as response:
            etag = response.headers["ETag"]
        runs = [(label, path, key, None, 200) for label, path, key in timed]
        runs.append(("needs list, If-None-Match → 304", conditional, "-", {"If-None-Match": etag}, 304))
        feeds = []
        for feed in FEEDS:
            try:
                with urllib.request.urlopen(platform.url + feed, timeout=30) as response:
                    answered = response.status
            except urllib.error.HTTPError as error:
                answered = error.code
            print(f"{feed}: {answered}", flush=True)
            if answered == 200:
                feeds.append(feed)
                runs.append((f"feed {feed}", feed, "-", None, 200))
        runs.append(("bare view (baseline, again)", "/bench/bare/", "-", None, 200))
        for concurrency in levels:
            for label, path, key, headers, expect in runs:
                figures = asyncio.run(
                    common.load(
                        platform.port,
                        path,
                        cookie="",
                        concurrency=concurrency,
                        seconds=SECONDS,
                        headers=headers,
                        expect=expect,
                    )
                )
                print(concurrency, label, figures, flush=True)
                shown = path if isinstance(path, str) else f"{path[0]} … ({len(path)} ids)"
                results.append(
                    {"endpoint": label, "path": shown, "queries_key": key, "concurrency": concurrency, **figures}
                )

    table = []
    for row in results:
        bare = next(r for r in results if r["concurrency"] == row["concurrency"] and r["path"] == "/bench/bare/")
        counts = queries.get(row["queries_key"])
        table.append(
            (
                row["endpoint"],
                row["path"].replace("|", "\\|"),
                row["concurrency"],
                row["requests_per_s"],
                row["p50_ms"],
                row["p95_ms"],
                row["p99_ms"],
                f"{row['p95_ms'] / bare['p95_ms']:.1f}×",
                f"{bare['requests_per_s'] / row['requests_per_s']:.1f}×" if row["requests_per_s"] else "-",
                row["errors"],
                " / ".join(str(c) for c in counts) if counts else "-",
            )
        )
    write_results(levels=levels, results=results, queries=queries, table=table, feeds=feeds)


def write_results(*, levels, results, queries, table, feeds) -> None:
    from bench.report import write

    missing = [feed for feed in FEEDS if feed not in feeds]
    write(
        "api",
        table=table,
        figures={
            "concurrency": levels,
            "seconds_per_endpoint": SECONDS,
            "server_processes": common.WORKERS,
            "objects_of_each_kind": N,
            "feeds_measured": feeds,
            "feeds_not_answering_200": missing,
            "endpoints": results,
            "queries": queries,
        },
        headers=(
            "endpoint",
            "path",
            "concurrency",
            "req/s",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "p95 vs bare",
            "bare req/s ÷ req/s",
            "errors",
            "SQL queries (lists: 20 / 100 per page)",
        ),
        notes=(
            f"{N:,} buyer groups (five member authorities each), {N:,} published need statements (five "
            f"requirements, two committed and one interested endorsement each) and {N:,} market dialogues "
            f"(three in four open, the rest closed with a published public record; three suppliers each). "
            f"Anonymous, the rate limit off; details rotate over {ROTATE} ids of their kind; the 304 row sends "
            f"the ETag the server gave. {SECONDS} s per endpoint after a 1.5 s warm-up, over loopback, "
            f"against {common.WORKERS} daphne processes, the Redis channel layer and a Celery worker, all on "
            "this machine with PostgreSQL, Redis and the load generator. SQL queries counted in process with "
            "the test client on the same database; for the lists at 20 and at 100 per page."
            + (f" Not measured (the server did not answer 200): {', '.join(missing)}." if missing else "")
        ),
    )


if __name__ == "__main__":
    main()
