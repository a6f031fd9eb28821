"""Steering (issue 20): the pages that grow with the number of groups a person works in or the
platform holds. Each page's SQL query count with 10 and with 1,000 groups (in-process,
CaptureQueriesContext), which must be equal, and its latency over loopback against the
production-like platform at 1,000 groups, next to a bare view on the same server:

- the agenda ("Att göra", /agenda/) of a coordinator of every group, each with a join request
  waiting and a need in review;
- the header's count on another page (/profile/), which every signed-in page pays;
- the facilitators' programme view (/indicator/programme/?year=all) and annual report
  (/indicator/report/<year>/), signed in with password and two-factor code as a facilitator
  must be.

    python -m bench.steering        (BENCH_QUICK=1: 4 s per page instead of 10)
"""

import asyncio

from bench import common

SECONDS = 4 if common.QUICK else 10
TARGET_P95_MS = 100


def main() -> None:
    common.setup("steering")
    from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.models import Organisation
    from bench import seed
    from groups.models import BuyerGroup, Coordinator, Membership, NeedStatement, NeedVersion

    authority = seed.organisations(1, name="Växjö kommun")[0]
    coordinator = seed.person(authority)
    applicant = seed.organisations(1, name="Sökande kommun")[0]
    agency = seed.organisations(1, kind=Organisation.Kind.FACILITATING_AGENCY, name="Upphandlingsmyndigheten")[0]
    facilitator = seed.person(agency)
    secret = generate_totp_secret()
    TOTP.activate(facilitator, secret)

    def grow(total: int) -> None:
        """Groups up to `total`, each coordinated by the coordinator, with a join request waiting
        and a need in review."""
        seed.add_groups(total - BuyerGroup.objects.count(), coordinator, authority)
        new = BuyerGroup.objects.exclude(coordinators__user=coordinator)
        Coordinator.objects.bulk_create(Coordinator(group=g, user=coordinator) for g in new)
        waiting = BuyerGroup.objects.exclude(memberships__organisation=applicant)
        Membership.objects.bulk_create(
            Membership(group=g, organisation=applicant, status=Membership.Status.REQUESTED, created_by=coordinator)
            for g in waiting
        )
        for group in BuyerGroup.objects.filter(needs__isnull=True):
            need = NeedStatement.objects.create(group=group, state=NeedStatement.State.IN_REVIEW)
            version = NeedVersion.objects.create(
                need=need, number=1, author=coordinator, change_note="v1", **seed.NEED_FIELDS
            )
            NeedStatement.objects.filter(pk=need.pk).update(current_version=version)
        seed.analyze()

    coordinator_client = Client()
    coordinator_client.force_login(coordinator)
    facilitator_client = Client()
    facilitator_client.post("/accounts/login/", {"login": facilitator.email, "password": "bench-2026"})
    code = format_hotp_value(hotp_value(secret, int(timezone.now().timestamp()) // 30))
    facilitator_client.post("/accounts/2fa/authenticate/", {"code": code})
    year = timezone.localdate().year
    pages = {
        "agenda": (coordinator_client, "/agenda/"),
        "header count (profile)": (coordinator_client, "/profile/"),
        "programme view": (facilitator_client, "/indicator/programme/?year=all"),
        "annual report": (facilitator_client, f"/indicator/report/{year}/"),
    }

    def count(client, path: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return len(queries)

    queries = {}
    grow(10)
    for name, (client, path) in pages.items():
        count(client, path)  # warm caches (content types, templates) before counting
        queries[name] = {"n10": count(client, path)}
    grow(1000)
    for name, (client, path) in pages.items():
        queries[name]["n1000"] = count(client, path)
        print(f"queries {name}: {queries[name]}", flush=True)
    agenda_rows = coordinator_client.get("/agenda/").content.decode().count('class="card agenda-item')

    cookies = {
        "coordinator": f"sessionid={coordinator_client.cookies['sessionid'].value}",
        "facilitator": f"sessionid={facilitator_client.cookies['sessionid'].value}",
    }
    timed = [
        ("bare view (baseline)", "/bench/bare/", "coordinator"),
        ("agenda", "/agenda/", "coordinator"),
        ("header count (profile)", "/profile/", "coordinator"),
        ("programme view", "/indicator/programme/?year=all", "facilitator"),
        ("annual report", f"/indicator/report/{year}/", "facilitator"),
    ]
    results = []
    levels = sorted({1, common.CONCURRENCY})
    with common.Platform() as platform:
        for concurrency in levels:
            for label, path, who in timed:
                figures = asyncio.run(
                    common.load(platform.port, path, cookie=cookies[who], concurrency=concurrency, seconds=SECONDS)
                )
                print(concurrency, label, figures, flush=True)
                results.append({"page": label, "path": path, "concurrency": concurrency, **figures})

    table = []
    for row in results:
        bare = next(r for r in results if r["concurrency"] == row["concurrency"] and r["path"] == "/bench/bare/")
        counts = queries.get(row["page"], {})
        met = ""
        if counts:
            met = "yes" if row["p95_ms"] < TARGET_P95_MS and counts["n10"] == counts["n1000"] else "NO"
        table.append(
            (
                row["page"],
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
    write_results(levels=levels, results=results, queries=queries, table=table, agenda_rows=agenda_rows)


def write_results(*, levels, results, queries, table, agenda_rows) -> None:
    from bench.report import write

    write(
        "steering",
        table=table,
        figures={
            "concurrency": levels,
            "seconds_per_page": SECONDS,
            "server_processes": common.WORKERS,
            "target_p95_ms": TARGET_P95_MS,
            "agenda_rows_at_1000_groups": agenda_rows,
            "pages": results,
            "queries": queries,
        },
        headers=(
            "page",
            "concurrency",
            "req/s",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "p95 vs bare",
            "errors",
            "queries 10 / 1,000 groups",
            "target met",
        ),
        notes=(
            f"1,000 buyer groups, all coordinated by the person whose agenda is read, each with a join "
            f"request waiting and a need in review (the agenda shows {agenda_rows} rows: each source stops "
            f"at 100). The facilitator signed in with password and two-factor code. {SECONDS} s per page "
            f"after a 1.5 s warm-up, over loopback, against {common.WORKERS} daphne processes, the Redis "
            "channel layer and a Celery worker, all on this machine with PostgreSQL, Redis and the load "
            f"generator. Target: p95 < {TARGET_P95_MS} ms at 1,000 groups and equal query counts."
        ),
    )


if __name__ == "__main__":
    main()
