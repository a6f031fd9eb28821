"""Pages: the throughput of the main pages next to a bare view through the same production
server and middleware, at concurrency 1 and 4, signed in as the group's coordinator; the bare
view on a WSGI server (gunicorn) in the same run; each page's SQL query count with 10 and with
1,000 rows (in process, CaptureQueriesContext), which must be equal; and the server time of a
discussion page of 50 messages (in process, through the whole middleware chain).

Targets (issue 22): every page at ≥ 0.5× the bare view's requests per second at concurrency 1
and 4, with equal query counts; the production server's bare view at ≥ 0.8× the WSGI server's;
a discussion of 50 messages in ≤ 8 ms at p50.

    python -m bench.pages        (BENCH_QUICK=1: 4 s per page instead of 10)

The load comes from wrk when it is installed (scripts/ensure-wrk; it costs the machine far
less than the server it measures), otherwise from bench.common.load (Python).
"""

import asyncio
import os
import statistics
import threading
import time

from bench import common, live

SECONDS = 4 if common.QUICK else 10  # the WSGI bare view
SLICES = 2 if common.QUICK else 4  # a page and the bare view, in turn, this many times
SLICE_SECONDS = 2
WARMUP = 2  # wrk runs whole seconds
LEVELS = (1, 4)
PAGE_RATIO = 0.5  # a page's req/s ÷ the bare view's, same server and concurrency
SERVER_RATIO = 0.8  # the production server's bare view ÷ the WSGI server's
DISCUSSION_P50_MS = 8.0
PROCESSES = int(os.environ.get("BENCH_WORKERS", os.cpu_count() or 2))  # one per core, as in production
BARE = "/bench/bare/"
MADE = "web, made"  # the production server with kept pages off
WRITES_PER_S = 5
BUSY = f"{WRITES_PER_S} posts/s in another discussion"
BUSY_PAGES = ("group directory", "discussion, short")


def main() -> None:
    common.setup("pages")
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import reverse

    from bench import seed
    from bench.report import write
    from discussions.services import post_message

    authority = seed.organisations(1, name="Växjö kommun")[0]
    coordinator = seed.person(authority)
    group = seed.group(coordinator, authority)
    members = seed.organisations(999)
    member_people = seed.people(members[:20])

    # Objects grown from 10 to 1,000 rows for the query counts; the same objects are timed.
    need = seed.need(group, coordinator)
    dialogue = seed.dialogue(group, need, coordinator, title="Dialog som växer")
    thread = seed.thread(group, coordinator)
    short_thread = seed.thread(group, coordinator, title="Ett kort samtal")
    authors = [coordinator, *member_people]
    seed.add_messages(short_thread, authors, 50)
    seed.analyze()
    grow = {
        # The directory's groups have the coordinator's organisation as a member: the agenda and
        # the search results grow with them.
        "directory": lambda n: seed.add_groups(n - 1 - (n > 10) * 9, coordinator, authority),
        "workspace": lambda n: seed.add_members(group, members[9 if n > 10 else 0 : n - 1]),
        "need": lambda n: seed.add_versions(need, n, coordinator),
        "dialogue": lambda n: seed.add_participants(dialogue, n - dialogue.participations.count()),
        "discussion": lambda n: seed.add_messages(thread, authors, n),
    }
    pages = [
        # (label, data at N=1,000, path, what grows)
        ("group directory", "1,000 groups", "/groups/", "directory"),
        ("workspace", "1,000 member organisations", group.get_absolute_url(), "workspace"),
        ("need statement", "1,000 versions", need.get_absolute_url(), "need"),
        ("dialogue", "1,000 participants", dialogue.get_absolute_url(), "dialogue"),
        ("discussion", "1,000 messages", thread.get_absolute_url(), "discussion"),
        ("discussion, short", "50 messages", short_thread.get_absolute_url(), None),
        ("agenda", "a member of 1,000 groups", "/agenda/", "directory"),
        ("search", "“Beställargrupp”, 1,000 groups match", "/search/?q=Best%C3%A4llargrupp", "directory"),
    ]
    client = Client()
    client.force_login(coordinator)

    def count(path: str) -> int:
        # The queries of making the page: a kept page served again (core/kept_pages.py) costs only
        # the middleware's.
        with override_settings(KEPT_PAGES_SECONDS=0), CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return len(queries)

    queries = {}
    for name in grow:
        grow[name](10)
    counted = [(label, path) for label, _size, path, grows in pages if grows]
    for label, path in counted:
        count(path)  # warm caches (content types, templates) before counting
        queries[label] = {"n10": count(path)}
    for name in grow:
        grow[name](1000)
    seed.analyze()
    for label, path in counted:
        count(path)  # a page that caches what it renders is counted as it is served most often
        queries[label]["n1000"] = count(path)
        print(f"queries {label}: {queries[label]}", flush=True)

    # The discussion of 50 messages, in process: the whole middleware chain, no network; as
    # served (kept after the first request) and as made every time (kept pages off).
    short_path = short_thread.get_absolute_url()

    def timed(requests: int) -> list[float]:
        for _ in range(20):
            client.get(short_path)
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(short_path)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        return times

    time.sleep(0.5)  # the writes above are older than KEPT_PAGES_MARGIN_MS
    served = timed(200)
    with override_settings(KEPT_PAGES_SECONDS=0):
        made = timed(100)
    discussion_50 = {
        "p50_ms": round(statistics.median(served), 2),
        "p95_ms": round(common.percentile(served, 0.95), 2),
        "made_p50_ms": round(statistics.median(made), 2),
        "made_p95_ms": round(common.percentile(made, 0.95), 2),
        "queries": count(short_path),
    }
    print(f"discussion of 50 messages, in process: {discussion_50}", flush=True)

    # As a browser after its first page: the session and the CSRF cookie (a page is kept for both).
    cookie = f"{seed.sign_in([coordinator])[coordinator.pk]}; csrftoken={live.CSRF}"
    seed.analyze()
    measure = common.wrk_load if common.wrk_available() else _python_load

    def run(port: int, concurrency: int, path: str, seconds: float = SLICE_SECONDS, warmup: float = 0) -> dict:
        return measure(port, path, cookie=cookie, concurrency=concurrency, seconds=seconds, warmup=warmup)

    busy_thread = seed.thread(group, coordinator, title="Ett livligt samtal")
    posted = []

    def while_posting(port: int, concurrency: int, path: str, **timing) -> dict:
        """The page read while WRITES_PER_S messages a second are posted in another discussion of
        the group, through the service (each makes the tables it writes new for kept pages)."""
        stop, before = threading.Event(), len(posted)

        def post():
            while not stop.wait(1 / WRITES_PER_S):
                author = authors[len(posted) % len(authors)]
                post_message(thread=busy_thread, author=author, body=f"Svar {len(posted)} om laddning.")
                posted.append(1)
            connection.close()

        writer = threading.Thread(target=post)
        writer.start()
        try:
            figures = run(port, concurrency, path, **timing)
        finally:
            stop.set()
            writer.join()
        return {**figures, "writes": len(posted) - before}

    results = []
    signed_in = reverse("account_logout").encode()  # the header's sign-out: the page is the person's

    def paired(port: int, concurrency: int, server: str, label: str, size: str, path: str, measure_page) -> None:
        """The bare view and the page in alternating slices: this machine's speed drifts (other
        tenants) by up to a factor of two within a minute, so the two are measured side by side,
        several times, and compared by their totals."""
        common.check_page(port, path, cookie=cookie, expect=signed_in)
        measure_page(port, concurrency, path, seconds=1, warmup=WARMUP)  # made, then kept
        bare_slices, page_slices = [], []
        for _ in range(SLICES):
            bare_slices.append(run(port, concurrency, BARE))
            page_slices.append(measure_page(port, concurrency, path))
        bare, figures = _combined(bare_slices), _combined(page_slices)
        print(concurrency, label, "bare", bare["requests_per_s"], "page", figures["requests_per_s"], flush=True)
        row = {"server": server, "concurrency": concurrency, "size": "-", "path": BARE}
        results.append({**row, "page": "bare view", "before": label, **bare})
        row = {"server": server, "concurrency": concurrency, "size": size, "path": path, "page": label}
        results.append({**row, "bare_before": bare["requests_per_s"], **figures})

    # "web" serves as production does; "web, made" makes every page on every request (kept pages
    # off): what a page costs when a table it reads was just written, and the figures before them.
    for server, env in (("web", {}), (MADE, {"KEPT_PAGES_SECONDS": "0"})):
        with common.Platform(workers=PROCESSES, extra_env=env) as platform:
            for concurrency in LEVELS:
                for label, size, path, _ in pages:
                    paired(platform.port, concurrency, server, label, size, path, run)
                if server == "web":
                    for label, size, path, _ in pages:
                        if label in BUSY_PAGES:
                            busy = f"{label}, {BUSY}"
                            paired(platform.port, concurrency, server, busy, size, path, while_posting)
    with common.Platform(workers=PROCESSES, server="wsgi", celery=False) as wsgi:
        for concurrency in LEVELS:
            common.check_page(wsgi.port, BARE, cookie=cookie)
            figures = run(wsgi.port, concurrency, BARE, seconds=SECONDS, warmup=WARMUP)
            row = {"page": "bare view", "size": "-", "path": BARE, "server": "wsgi", "concurrency": concurrency}
            results.append({**row, **figures})

    table, verdicts = _table(results, queries)
    write(
        "pages",
        figures={
            "concurrency": list(LEVELS),
            "slices_per_page": SLICES,
            "seconds_per_slice": SLICE_SECONDS,
            "wsgi_seconds": SECONDS,
            "server_processes": PROCESSES,
            "client": "wrk" if measure is common.wrk_load else "python",
            "targets": {"page_ratio": PAGE_RATIO, "server_ratio": SERVER_RATIO, "discussion_p50_ms": DISCUSSION_P50_MS},
            "pages": results,
            "queries": queries,
            "discussion_50_in_process": discussion_50,
            "verdicts": verdicts,
        },
        headers=(
            "page",
            "data",
            "server",
            "concurrency",
            "req/s",
            "bare view beside it, req/s",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "ratio",
            "errors",
            "queries N=10 / N=1,000",
            "target met",
        ),
        table=table,
        notes=(
            f"Signed in as the group's coordinator (each page is checked to answer 200 with the header's "
            f"sign-out before it is measured); {', '.join(map(str, LEVELS))} keep-alive connections over "
            f"loopback, from "
            f'{"wrk" if measure is common.wrk_load else "a Python asyncio client"}. Server "web" is the '
            f"production server (scripts/web: uvicorn, {PROCESSES} processes on one socket, core/asgi_handler.py) "
            f'with the Redis channel layer and a Celery worker; "{MADE}" is the same with kept pages off '
            "(KEPT_PAGES_SECONDS=0): every page made on every request, as after a write to a table it reads "
            f'(its ratios are for comparison, not the target); "wsgi" is gunicorn with {PROCESSES} synchronous '
            "workers on the same settings, middleware and database. All of it shares this machine with "
            "PostgreSQL, Redis and the load generator.\n\n"
            f"Each page is read for {WARMUP + 1} s unmeasured (made once, then kept), then it and the bare view "
            f"are measured in turn, {SLICE_SECONDS} s each, {SLICES} times (same server, same concurrency): this "
            "machine's speed drifts during a run, by up to a factor of two within a minute, with other tenants, "
            "so the two are measured side by side and compared by their totals (req/s: requests ÷ seconds over "
            "the slices; p50: the slices' median; p95 and p99: the slices' worst). Ratio: the page's req/s ÷ "
            f"the bare view's beside it, target ≥ {PAGE_RATIO} with equal query counts at 10 and 1,000 rows; "
            f"for the WSGI bare view ({SECONDS} s after {WARMUP} s unmeasured), the production server's bare "
            f"req/s (the mean of its rows) ÷ this one, target ≥ {SERVER_RATIO}.\n\n"
            f"Discussion of 50 messages, in process through the whole middleware chain (django.test.Client, "
            f"200 requests after 20 unmeasured): as served, kept (core/kept_pages.py), p50 "
            f"{discussion_50['p50_ms']} ms, p95 {discussion_50['p95_ms']} ms; target p50 ≤ {DISCUSSION_P50_MS} ms: "
            f"{'yes' if discussion_50['p50_ms'] <= DISCUSSION_P50_MS else 'NO'}. Made afresh on every request "
            f"(kept pages off, 100 requests): p50 {discussion_50['made_p50_ms']} ms, p95 "
            f"{discussion_50['made_p95_ms']} ms, {discussion_50['queries']} queries.\n\n"
            "Pages are kept per reader (core/kept_pages.py): each page here is made on the first request "
            "and whenever a table it read is written, and served from the cache in between; the query "
            "counts are those of making the page. No writes happen during these runs but in the rows "
            f'"{BUSY}": there a thread of the driver posts {WRITES_PER_S} messages a second through the service '
            "(post_message) to another discussion of the same group while the page is read; each post writes "
            "tables the page read (the group's last activity, threads, messages), so the page is made again "
            "after every post (ratios for comparison, not the target)."
        ),
    )


def _python_load(port, path, *, cookie, concurrency, seconds, warmup):
    return asyncio.run(common.load(port, path, cookie=cookie, concurrency=concurrency, seconds=seconds, warmup=warmup))


def _combined(slices: list[dict]) -> dict:
    """Slices of one measurement as one: requests ÷ seconds over all, the median p50, the worst
    p95, p99 and maximum, the errors and writes summed."""
    seconds = sum(piece["count"] / piece["requests_per_s"] for piece in slices if piece["requests_per_s"])
    count = sum(piece["count"] for piece in slices)
    figures = {
        "requests_per_s": round(count / seconds, 1) if seconds else 0.0,
        "count": count,
        "slices": [piece["requests_per_s"] for piece in slices],
        "errors": sum(piece["errors"] for piece in slices),
        "error_statuses": {},
        "p50_ms": round(statistics.median(piece["p50_ms"] for piece in slices), 2),
        **{name: max(piece[name] for piece in slices) for name in ("p95_ms", "p99_ms", "max_ms")},
    }
    for piece in slices:
        for status, n in piece.get("error_statuses", {}).items():
            figures["error_statuses"][status] = figures["error_statuses"].get(status, 0) + n
    if any("writes" in piece for piece in slices):
        figures["writes"] = sum(piece.get("writes", 0) for piece in slices)
    return figures


def _table(results: list[dict], queries: dict) -> tuple[list[tuple], dict]:
    def bare(server: str, concurrency: int) -> float:
        return statistics.mean(r["requests_per_s"] for r in _rows(results, server, concurrency) if r["path"] == BARE)

    table, verdicts = [], {}
    for row in results:
        concurrency, met, ratio, before = row["concurrency"], "", "-", "-"
        counts = queries.get(row["page"], {})
        if row["server"] == "wsgi":
            value = bare("web", concurrency) / row["requests_per_s"]
            ratio, met = f"web {value:.2f}×", "yes" if value >= SERVER_RATIO else "NO"
            verdicts[f"server ratio at {concurrency}"] = round(value, 3)
        elif row["path"] == BARE:
            continue  # in its page's row, as "bare view beside it"
        else:
            before = row["bare_before"]
            value = row["requests_per_s"] / before
            ratio = f"{value:.2f}×"
            name = f"{row['page']} at {concurrency}{', made' if row['server'] == MADE else ''}"
            verdicts[name] = round(value, 3)
            if row["server"] == MADE or BUSY in row["page"]:
                met = "-"  # for comparison: not what is served, or not without writes
            else:
                equal = not counts or counts["n10"] == counts["n1000"]
                met = "yes" if value >= PAGE_RATIO and equal and not row["errors"] else "NO"
        table.append(
            (
                row["page"],
                row["size"],
                row["server"],
                concurrency,
                row["requests_per_s"],
                before,
                row["p50_ms"],
                row["p95_ms"],
                row["p99_ms"],
                ratio,
                row["errors"],
                f"{counts['n10']} / {counts['n1000']}" if counts else "-",
                met,
            )
        )
    return table, verdicts


def _rows(results, server, concurrency):
    return [r for r in results if r["server"] == server and r["concurrency"] == concurrency]


if __name__ == "__main__":
    main()
