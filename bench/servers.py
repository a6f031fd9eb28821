"""Servers: one web server process at concurrency 8 (wrk), signed in, on a bare view, the group
directory, a workspace and a discussion of 50 messages, for each way the platform can be
served: daphne and uvicorn, each with Django's own ASGIHandler (how production served before
issue 22) and with the one-hop handler (core/asgi_handler.py), and gunicorn's synchronous WSGI
worker. The table issue 22 opened with, measured again; bench/README.md keeps it.

    python -m bench.servers      (BENCH_QUICK=1: 3 s per row instead of 6)
"""

from bench import common, live

SECONDS = 3 if common.QUICK else 6
CONCURRENCY = 8
SERVERS = [
    # (label, Platform options)
    (
        "daphne, Django's ASGIHandler (the server production ran)",
        {"server": "daphne", "application": "bench.asgi_stock:application"},
    ),
    ("daphne, one hop", {"server": "daphne", "application": "config.asgi:application"}),
    ("uvicorn, Django's ASGIHandler", {"server": "uvicorn", "application": "bench.asgi_stock:application"}),
    ("uvicorn, one hop (production: scripts/web)", {"server": "web"}),
    ("gunicorn, WSGI sync", {"server": "wsgi"}),
]


def main() -> None:
    common.setup("servers")
    from django.urls import reverse

    from bench import seed
    from bench.report import write

    if not common.wrk_available():
        raise SystemExit("bench.servers needs wrk (scripts/ensure-wrk)")
    authority = seed.organisations(1, name="Växjö kommun")[0]
    coordinator = seed.person(authority)
    group = seed.group(coordinator, authority)
    seed.add_groups(999, coordinator, authority)
    members = seed.organisations(99)
    seed.add_members(group, members)
    people = seed.people(members[:20])
    thread = seed.thread(group, coordinator)
    seed.add_messages(thread, [coordinator, *people], 50)
    # As a browser after its first page: the session and the CSRF cookie (a page is kept for both).
    cookie = f"{seed.sign_in([coordinator])[coordinator.pk]}; csrftoken={live.CSRF}"
    seed.analyze()
    paths = [
        ("bare view", "/bench/bare/"),
        ("directory", "/groups/"),
        ("workspace", group.get_absolute_url()),
        ("discussion (50 msgs)", thread.get_absolute_url()),
    ]

    signed_in = reverse("account_logout").encode()  # the header's sign-out
    results = []
    for label, options in SERVERS:
        with common.Platform(workers=1, celery=False, **options) as platform:
            row = {"server": label}
            for name, path in paths:
                expect = None if path == "/bench/bare/" else signed_in
                common.check_page(platform.port, path, cookie=cookie, expect=expect)  # signed in, not redirected
                figures = common.wrk_load(platform.port, path, cookie=cookie, concurrency=CONCURRENCY, seconds=SECONDS)
                print(label, name, figures, flush=True)
                row[name] = figures
            results.append(row)

    table = [(row["server"], *(row[name]["requests_per_s"] for name, _ in paths)) for row in results]
    wsgi_bare = results[-1]["bare view"]["requests_per_s"]
    table += [
        (
            f"{row['server']}: ÷ gunicorn's bare view",
            *(f"{row[name]['requests_per_s'] / wsgi_bare:.2f}" for name, _ in paths),
        )
        for row in results
    ]
    write(
        "servers",
        figures={"concurrency": CONCURRENCY, "seconds": SECONDS, "processes": 1, "results": results},
        headers=("server (requests/s)", *(name for name, _ in paths)),
        table=table,
        notes=(
            f"One server process, signed in, wrk with {CONCURRENCY} keep-alive connections for {SECONDS} s per "
            "row after a 1.5 s warm-up, over loopback, on bench.settings and one database; the directory has "
            "1,000 groups, the workspace 100 member organisations. The second half divides each figure by "
            "gunicorn's bare view in the same run."
        ),
    )


if __name__ == "__main__":
    main()
