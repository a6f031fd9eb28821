"""Search latency with 100,000 messages on PostgreSQL (PRODUCT.md §2.8, issue 7).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/anything .venv/bin/python -m bench.search [--reseed] [--messages=N]

Works in a database of its own, bg_bench_search, on the server DATABASE_URL names (created and
seeded on the first run, kept for the next; --reseed starts it again). --messages=N seeds N
messages instead of 100,000, in bg_bench_search_N, for a quicker run. The seed: 40 buyer groups
with their needs, open dialogues, questions and answers, documents, and 100,000 messages in
their internal, open and private discussions, written with bulk_create from a Swedish
vocabulary in which a few words are very common.

Then ~200 searches for common Swedish words (one word, inflected forms, two words) run
through search.services.search as a facilitator (sees everything) and as a supplier (sees
its dialogues' open discussions and its own private ones): everything at once (the page a
search box leads to) and the messages alone. The baseline, in the same run, is a trivial
indexed query (a message by primary key). Results: bench/results/search.{json,md}.

The same searches with one typo in a word ("upphandlng") find nothing as typed, so each goes
on to the fallback (the texts with a word much like it, then the search again with the words
meant); they are timed apart, for everything at once.
"""

import os
import random
import statistics
import sys
import time
from urllib.parse import urlsplit, urlunsplit

BENCH_DATABASE = "bg_bench_search"
MESSAGES = 100_000
GROUPS = 40
SUPPLIERS = 12
THE_SUPPLIER_TAKES_PART_IN = 10  # dialogues
QUERIES = 200
SEED = 20261124

# Domain words; the first ones more common than the rest (a flattened Zipf draw, so that the
# most common word is in about a third of the messages and the rarest in a few per cent).
WORDS = (
    "upphandling upphandlingen upphandlingar leverantör leverantörer leverantören kommun kommunen kommunerna "
    "laddning laddningen batteri batterier fordon fordonen krav kraven avtal avtalet dialog dialogen pris priset "
    "leverans leveransen energi energin hållbarhet skola skolan skolor måltider maskiner maskinen hjullastare "
    "depå depåer service garanti underhåll drift driften el elen ström solceller värmepump fjärrvärme belysning "
    "buller utsläpp koldioxid diesel biogas vätgas laddstolpe laddstolpar effekt kapacitet räckvidd vinter "
    "snöröjning sopning gräsklippning redskap reservdelar utbildning förare personal budget kostnad kostnader "
    "livscykel återvinning material trä betong stål isolering ventilation fastighet fastigheter lokaler "
    "kök livsmedel ekologiskt närproducerat transporter logistik tidplan marknaden innovation förstudie "
    "behovet funktionskrav verifiering uppföljning kontrakt anbud offert referenser volym volymer"
).split()
FILLER = "och att det som en på är av för med till den har de inte om ett vi kan så men från vid också".split()
QUERY_WORDS = [
    "upphandling",
    "upphandlingar",
    "leverantörer",
    "kommunerna",
    "laddning",
    "batterier",
    "fordon",
    "krav",
    "avtal",
    "dialogen",
    "priset",
    "energi",
    "hållbarhet",
    "skolan",
    "måltider",
    "hjullastare",
    "depåer",
    "garanti",
    "underhåll",
    "solceller",
    "vinter",
    "reservdelar",
    "livscykel",
    "ventilation",
    "livsmedel",
    "transporter",
    "innovation",
    "funktionskrav",
    "anbud",
    "volymer",
]
TYPO_WORDS = [  # one typo each, in no text as typed
    "upphandlng",
    "leverantörr",
    "kommunrna",
    "batterir",
    "hjullastre",
    "solcelller",
    "reservdeler",
    "ventilaton",
    "livsmedl",
    "funktionskav",
]


def bench_database_url(name: str) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench.search needs DATABASE_URL pointing at a PostgreSQL server")
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def ensure_database(url: str, name: str, *, fresh: bool) -> None:
    import psycopg

    maintenance = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


WEIGHTS = [1 / (rank + 10) for rank in range(1, len(WORDS) + 1)]
CUMULATIVE = [sum(WEIGHTS[: n + 1]) for n in range(len(WEIGHTS))]


def text(rng: random.Random, low: int, high: int) -> str:
    words = []
    for _ in range(rng.randint(low, high)):
        if rng.random() < 0.6:
            words.append(rng.choice(FILLER))
        else:
            words.append(rng.choices(WORDS, cum_weights=CUMULATIVE)[0])
    return (" ".join(words).capitalize() + ".")[:4900]


def seed(rng: random.Random, messages: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import Organisation, OrganisationMember, User
    from dialogues.models import Answer, Dialogue, Participation, Question
    from discussions.models import Message, Thread
    from groups.models import BuyerGroup, Coordinator, Document, Membership, NeedStatement, NeedVersion

    started = time.perf_counter()
    now = timezone.now()
    with transaction.atomic():
        agency = Organisation.objects.create(
            name="Upphandlingsmyndigheten",
            kind=Organisation.Kind.FACILITATING_AGENCY,
            organisation_number="202100-5489",
            status=Organisation.Status.VERIFIED,
        )
        authorities = Organisation.objects.bulk_create(
            Organisation(
                name=f"Kommun {n}",
                kind=Organisation.Kind.KOMMUN,
                organisation_number=f"212000-{n:04d}",
                status=Organisation.Status.VERIFIED,
            )
            for n in range(GROUPS * 2)
        )
        suppliers = Organisation.objects.bulk_create(
            Organisation(
                name=f"Leverantör {n} AB",
                kind=Organisation.Kind.SUPPLIER,
                organisation_number=f"556000-{n:04d}",
                status=Organisation.Status.VERIFIED,
            )
            for n in range(SUPPLIERS)
        )
        people = User.objects.bulk_create(
            [
                User(email="facilitator@bench.example", name="Fia", password="!"),
                User(email="supplier@bench.example", name="Sara", password="!"),
            ]
            + [User(email=f"person{n}@bench.example", name=f"Person {n}", password="!") for n in range(GROUPS * 2)]
            + [User(email=f"seller{n}@bench.example", name=f"Säljare {n}", password="!") for n in range(1, SUPPLIERS)]
        )
        facilitator, authority_people, supplier_people = (
            people[0],
            people[2 : 2 + GROUPS * 2],
            [people[1]] + people[2 + GROUPS * 2 :],
        )
        OrganisationMember.objects.bulk_create(
            [OrganisationMember(organisation=agency, user=facilitator)]
            + [OrganisationMember(organisation=o, user=p) for o, p in zip(authorities, authority_people, strict=True)]
            + [OrganisationMember(organisation=o, user=p) for o, p in zip(suppliers, supplier_people, strict=True)]
        )
        groups = BuyerGroup.objects.bulk_create(
            BuyerGroup(
                name=f"Grupp {n}: {' '.join(rng.sample(WORDS[:40], 2))}",
                slug=f"grupp-{n}",
                theme="transport",
                summary=text(rng, 15, 30),
                challenge=text(rng, 15, 30),
            )
            for n in range(GROUPS)
        )
        Membership.objects.bulk_create(
            Membership(group=group, organisation=authorities[2 * n + offset], status="active", role="member")
            for n, group in enumerate(groups)
            for offset in (0, 1)
        )
        Coordinator.objects.bulk_create(
            Coordinator(group=group, user=authority_people[2 * n]) for n, group in enumerate(groups)
        )
        needs = NeedStatement.objects.bulk_create(
            NeedStatement(group=group, state=NeedStatement.State.PUBLISHED, published_at=now) for group in groups
        )
        versions = NeedVersion.objects.bulk_create(
            NeedVersion(
                need=need,
                number=1,
                change_note="v1",
                title=f"Behov: {' '.join(rng.sample(WORDS[:60], 3))}",
                background=text(rng, 40, 80),
                challenge=text(rng, 20, 40),
                market_questions=text(rng, 10, 30),
            )
            for need in needs
        )
        for need, version in zip(needs, versions, strict=True):
            need.current_version = need.published_version = version
        NeedStatement.objects.bulk_update(needs, ["current_version", "published_version"])
        dialogues = Dialogue.objects.bulk_create(
            Dialogue(
                group=group,
                need=need,
                title=f"Marknadsdialog: {' '.join(rng.sample(WORDS[:60], 2))}",
                purpose=text(rng, 30, 60),
                question_deadline=now + timezone.timedelta(days=20),
                submission_deadline=now + timezone.timedelta(days=30),
                state=Dialogue.State.OPEN,
                opened_at=now,
            )
            for group, need in zip(groups, needs, strict=True)
        )
        takes_part = {  # the bench supplier (index 0) in the first dialogues, the others in all
            (d.pk, s.pk)
            for n, d in enumerate(dialogues)
            for i, s in enumerate(suppliers)
            if i or n < THE_SUPPLIER_TAKES_PART_IN
        }
        Participation.objects.bulk_create(
            Participation(dialogue_id=d, organisation_id=s, registered_at=now) for d, s in takes_part
        )
        threads = []
        for group, dialogue in zip(groups, dialogues, strict=True):
            threads += [Thread(kind="group", group=group, title=f"Internt {n}") for n in range(3)]
            threads.append(Thread(kind="dialogue", group=group, dialogue=dialogue))
            threads += [
                Thread(kind="private", group=group, dialogue=dialogue, supplier=s)
                for s in suppliers
                if (dialogue.pk, s.pk) in takes_part
            ]
        threads = Thread.objects.bulk_create(threads)
        answers = Answer.objects.bulk_create(
            Answer(
                dialogue=dialogue,
                number=n + 1,
                question_text=text(rng, 10, 25),
                body=text(rng, 20, 60),
                published_at=now,
            )
            for dialogue in dialogues
            for n in range(10)
        )
        Question.objects.bulk_create(
            Question(
                dialogue=answer.dialogue,
                organisation=rng.choice(suppliers),
                text=text(rng, 10, 30),
                answer_due_at=now,
                answer=answer if n % 2 else None,
            )
            for answer in answers
            for n in range(2)
        )
        Document.objects.bulk_create(
            Document(group=group, title=f"Rapport om {' '.join(rng.sample(WORDS, 3))}")
            for group in groups
            for _ in range(15)
        )
        batch = []
        for n in range(messages):
            thread = rng.choice(threads)
            body = text(rng, 8, 45)
            batch.append(
                Message(
                    thread=thread,
                    author=rng.choice(authority_people),
                    body=body,
                    html=f"<p>{body}</p>",
                    created_at=now,
                    hidden_at=now if n % 100 == 0 else None,
                )
            )
            if len(batch) == 5000:
                Message.objects.bulk_create(batch)
                batch = []
        Message.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"seeded {messages} messages in {time.perf_counter() - started:.1f} s", file=sys.stderr)


def percentiles(samples_ms: list[float]) -> dict:
    ordered = sorted(samples_ms)
    quantiles = statistics.quantiles(ordered, n=100, method="inclusive")
    return {
        "n": len(ordered),
        "p50": round(statistics.median(ordered), 2),
        "p95": round(quantiles[94], 2),
        "p99": round(quantiles[98], 2),
        "max": round(ordered[-1], 2),
    }


def queries(rng: random.Random) -> list[str]:
    """Single words (inflected forms too) and pairs, QUERIES in all."""
    chosen = []
    for n in range(QUERIES):
        if n % 4 == 3:
            chosen.append(" ".join(rng.sample(QUERY_WORDS, 2)))
        else:
            chosen.append(QUERY_WORDS[n % len(QUERY_WORDS)])
    return chosen


def run(fresh: bool, messages: int = MESSAGES) -> None:
    name = BENCH_DATABASE if messages == MESSAGES else f"{BENCH_DATABASE}_{messages}"
    url = bench_database_url(name)
    ensure_database(url, name, fresh=fresh)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from accounts.models import User
    from discussions.models import Message
    from search.access import messages_filter, search_scope
    from search.services import search

    rng = random.Random(SEED)
    if not Message.objects.exists():
        seed(rng, messages)
    message_count = Message.objects.count()
    ids = list(Message.objects.values_list("pk", flat=True)[:5000])
    words = queries(rng)

    def fresh_user(email):
        # A request loads its user anew; the user's organisations are read within the search.
        return User.objects.get(email=email)

    visible = {}
    for role, email in (("facilitator", "facilitator@bench.example"), ("supplier", "supplier@bench.example")):
        scope_user = fresh_user(email)
        visible[role] = Message.objects.filter(messages_filter(search_scope(scope_user))).count()

    for query in words[:20]:  # warm the caches the measured runs will find warm too
        search(fresh_user("facilitator@bench.example"), query)

    # The scenarios take turns query by query, so that whatever else the machine does at the
    # time weighs on all of them alike (the load average is reported with the figures).
    scenarios = [("baseline", "baseline: one message by primary key", None, None)]
    for role, email in (("facilitator", "facilitator@bench.example"), ("supplier", "supplier@bench.example")):
        for kind, label in ((None, "everything"), ("messages", "messages only")):
            scenarios.append((f"{role}_{kind or 'all'}", f"{role}, {label}", email, kind))
        scenarios.append((f"{role}_typos", f"{role}, everything, one typo", email, None))
    samples = {key: [] for key, _label, _email, _kind in scenarios}
    message_ids = rng.sample(ids, len(words))
    load_before = os.getloadavg()[0]
    for number, words_typed in enumerate(words):
        for key, _label, email, kind in scenarios:
            if email is None:
                started = time.perf_counter()
                Message.objects.filter(pk=message_ids[number]).first()
            else:
                user = fresh_user(email)
                typed = TYPO_WORDS[number % len(TYPO_WORDS)] if key.endswith("_typos") else words_typed
                started = time.perf_counter()
                search(user, typed, kind=kind)
            samples[key].append((time.perf_counter() - started) * 1000)
    load_after = os.getloadavg()[0]

    figures = {
        "messages": message_count,
        "queries_per_scenario": len(words),
        "load_average_1min": [round(load_before, 2), round(load_after, 2)],
    }
    rows = []
    baseline_p50 = percentiles(samples["baseline"])["p50"]
    for key, label, email, _kind in scenarios:
        stats = percentiles(samples[key])
        role = "facilitator" if email and email.startswith("facilitator") else "supplier"
        ratio = round(stats["p50"] / baseline_p50, 1)
        figures[key] = {**stats, "p50_to_baseline": ratio, **({"visible_messages": visible[role]} if email else {})}
        rows.append((label, *stats.values(), ratio, visible[role] if email else ""))

    from bench.report import write

    worst_p95 = max(value["p95"] for key, value in figures.items() if key.startswith(("facilitator", "supplier")))
    write(
        "search",
        figures=figures,
        table=rows,
        headers=(
            "scenario",
            "n",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "max ms",
            "p50 ÷ baseline p50",
            "messages the user may read",
        ),
        notes=(
            f"{message_count} messages in {GROUPS} groups; {len(words)} queries of common Swedish words "
            "(single words, inflected forms, pairs; and words with one typo, which go on to the "
            "fallback) through search.services.search, timed with the "
            "user's scope and every result list built (no HTTP, no template); the scenarios take turns "
            "query by query. Load average (1 min) before and after: "
            f"{load_before:.1f} and {load_after:.1f} on {os.cpu_count()} CPUs. "
            f"Target: p95 under 100 ms; worst p95 here {worst_p95} ms."
        ),
    )


if __name__ == "__main__":
    sizes = [int(arg.split("=", 1)[1]) for arg in sys.argv[1:] if arg.startswith("--messages=")]
    run(fresh="--reseed" in sys.argv, messages=sizes[-1] if sizes else MESSAGES)
