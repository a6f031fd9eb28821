"""Data for the benchmarks, written straight into the scenario's database: the first objects
through the platform's services (so they are what the pages expect), the many rows behind
them with bulk inserts. Every person signs in with a session made here."""

import itertools
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone
from django.utils.crypto import get_random_string

from accounts.models import CodeOfConductAcceptance, Organisation, OrganisationMember, User
from dialogues.models import Dialogue, DialogueNeedVersion, Participation
from dialogues.record import build_record
from discussions.models import Message, Thread
from discussions.services import start_group_thread
from groups.models import BuyerGroup, Endorsement, Membership, NeedStatement, NeedVersion
from groups.services.group import create_group
from groups.services.needs import create_need, move_need

REQUIREMENTS = [
    {"number": None, "text": "Åtta timmars drift.", "priority": "must", "rationale": "", "verification": ""},
    {"number": None, "text": "Laddas över natten.", "priority": "should", "rationale": "", "verification": ""},
]
NEED_FIELDS = {
    "title": "Fossilfria hjullastare",
    "background": "Kommunernas hjullastare går på diesel och ska bytas de närmaste fem åren.",
    "challenge": "Få leverantörer erbjuder eldrivna maskiner i den storleken.",
    "constraints": "",
    "sustainability_goals": "Fossilfri maskinpark 2030.",
    "timeline": "",
    "market_questions": "",
}
_serials = itertools.count(1)
_people = itertools.count(1)
_password = None


def analyze() -> None:
    """Refresh PostgreSQL's statistics after the bulk inserts, as autovacuum does for a live
    database; on a freshly loaded table the planner guesses one row and picks nested loops."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _organisation_number(authority: bool) -> str:
    first_nine = f"{'21' if authority else '55'}{next(_serials):07d}"
    total = 0
    for index, char in enumerate(first_nine):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return f"{first_nine[:6]}-{first_nine[6:]}{(10 - total % 10) % 10}"


def organisations(n: int, *, kind=Organisation.Kind.KOMMUN, name="Kommun") -> list[Organisation]:
    authority = kind != Organisation.Kind.SUPPLIER
    return Organisation.objects.bulk_create(
        Organisation(
            name=f"{name} {next(_serials)}",
            kind=kind,
            organisation_number=_organisation_number(authority),
            status=Organisation.Status.VERIFIED,
        )
        for _ in range(n)
    )


def people(organisations_, *, role=OrganisationMember.Role.ADMIN, language="sv") -> list[User]:
    """One person working for each organisation, with a verified e-mail address."""
    global _password
    _password = _password or make_password("bench-2026")
    users = User.objects.bulk_create(
        User(email=f"person{n}@bench.example", name=f"Person {n}", password=_password, language=language)
        for n in (next(_people) for _ in organisations_)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
    )
    OrganisationMember.objects.bulk_create(
        OrganisationMember(organisation=organisation, user=user, role=role)
        for organisation, user in zip(organisations_, users, strict=True)
    )
    # Everyone has accepted the code of conduct, as the people who post on a live site have.
    CodeOfConductAcceptance.objects.bulk_create(CodeOfConductAcceptance(user=user) for user in users)
    return users


def person(organisation: Organisation, **fields) -> User:
    return people([organisation], **fields)[0]


def sign_in(users) -> dict[int, str]:
    """A database session for each user, as after signing in: {user pk: Cookie header value}."""
    store, expires, cookies, rows = SessionStore(), timezone.now() + timedelta(days=1), {}, []
    for user in users:
        key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expires))
        cookies[user.pk] = f"sessionid={key}"
    Session.objects.bulk_create(rows)
    return cookies


def group(coordinator: User, organisation: Organisation, name: str = "Fossilfria arbetsmaskiner") -> BuyerGroup:
    return create_group(
        creator=coordinator,
        organisation=organisation,
        name=name,
        theme="transport",
        summary="Kommuner som vill byta till fossilfria arbetsmaskiner.",
        challenge="För små volymer var för sig.",
        is_open=True,
    )


def add_members(group_: BuyerGroup, organisations_, *, role=Membership.Role.MEMBER) -> None:
    Membership.objects.bulk_create(
        Membership(group=group_, organisation=o, role=role, status=Membership.Status.ACTIVE) for o in organisations_
    )


def add_groups(n: int, creator: User, organisation: Organisation) -> None:
    """n more buyer groups in the directory, each with its creator's organisation as member."""
    start = BuyerGroup.objects.count()
    groups = BuyerGroup.objects.bulk_create(
        BuyerGroup(
            name=f"Beställargrupp {start + i:04d}",
            slug=f"bestallargrupp-{start + i:04d}",
            theme="transport",
            summary="En grupp kommuner med ett gemensamt behov.",
            challenge="Utmaning",
            created_by=creator,
        )
        for i in range(n)
    )
    Membership.objects.bulk_create(
        Membership(group=g, organisation=organisation, status=Membership.Status.ACTIVE) for g in groups
    )


def need(group_: BuyerGroup, user: User) -> NeedStatement:
    need_ = create_need(group=group_, user=user, fields=NEED_FIELDS, requirements=REQUIREMENTS, change_note="v1")
    move_need(need=need_, user=user, to_state=NeedStatement.State.PUBLISHED)
    need_.refresh_from_db()
    return need_


def add_versions(need_: NeedStatement, total: int, author: User) -> None:
    """Versions up to `total`, the newest the current one."""
    latest = NeedStatement.objects.get(pk=need_.pk).current_version
    versions = NeedVersion.objects.bulk_create(
        NeedVersion(
            need=need_,
            number=number,
            author=author,
            change_note=f"Ändring {number}",
            title=latest.title,
            background=latest.background,
            challenge=latest.challenge,
            sustainability_goals=latest.sustainability_goals,
            requirements=latest.requirements,
        )
        for number in range(latest.number + 1, total + 1)
    )
    if versions:
        NeedStatement.objects.filter(pk=need_.pk).update(current_version=versions[-1])


def dialogue(group_: BuyerGroup, need_: NeedStatement, user: User, title="Dialog om hjullastare") -> Dialogue:
    now = timezone.now()
    return Dialogue.objects.create(
        group=group_,
        need=need_,
        title=title,
        purpose="Vi vill veta vilka fossilfria hjullastare som finns.",
        question_deadline=now + timedelta(days=20),
        submission_deadline=now + timedelta(days=30),
        state=Dialogue.State.OPEN,
        opened_at=now,
        created_by=user,
    )


def add_participants(dialogue_: Dialogue, n: int, *, language="sv") -> list[User]:
    """n more supplier organisations taking part, each with one person; returns the people."""
    suppliers = organisations(n, kind=Organisation.Kind.SUPPLIER, name="Leverantör AB")
    staff = people(suppliers, language=language)
    Participation.objects.bulk_create(
        Participation(dialogue=dialogue_, organisation=o, registered_by=u)
        for o, u in zip(suppliers, staff, strict=True)
    )
    return staff


def thread(group_: BuyerGroup, author: User, title="Laddning vid depåerna") -> Thread:
    return start_group_thread(group=group_, author=author, title=title, body="Hur gör vi med laddningen?")


def add_messages(thread_: Thread, authors, total: int) -> None:
    """Messages up to `total` by the given people, as the page would show them."""
    have = thread_.messages.count()
    Message.objects.bulk_create(
        Message(
            thread=thread_,
            author=authors[n % len(authors)],
            body=f"Meddelande {n} om laddning och **drifttid**.",
            html=f"<p>Meddelande {n} om laddning och <strong>drifttid</strong>.</p>",
        )
        for n in range(have, total)
    )
    Thread.objects.filter(pk=thread_.pk).update(message_count=total)


def open_data(n: int) -> dict[str, list[int]]:
    """What the open data API shows, n of each kind: n buyer groups with five member authorities,
    each with one published need statement (five requirements; two committed endorsements with
    quantity, budget and start, one interested) and one market dialogue on it (three in four open,
    the rest closed with a published public record), three suppliers taking part in each. The
    first group, need and dialogue come through the platform (services, build_record); the rest
    are bulk-inserted copies, the public record of each closed dialogue the first one's with
    three published answers. Returns the ids: {"groups", "needs", "dialogues"}."""
    now = timezone.now()
    authorities = organisations(5)
    coordinator = person(authorities[0])
    first = group(coordinator, authorities[0])
    add_groups(n - 1, coordinator, authorities[0])
    groups = list(BuyerGroup.objects.order_by("pk"))
    Membership.objects.bulk_create(
        Membership(group=g, organisation=o, status=Membership.Status.ACTIVE) for g in groups for o in authorities[1:]
    )

    requirements = [
        {
            "number": k,
            "text": f"Krav {k}: minst åtta timmars drift.",
            "priority": priority,
            "rationale": "Skäl.",
            "verification": "Intyg.",
        }
        for k, priority in zip(range(1, 6), ["must", "must", "must", "should", "should"], strict=True)
    ]
    first_need = need(first, coordinator)
    NeedVersion.objects.filter(pk=first_need.published_version_id).update(requirements=requirements)
    needs = NeedStatement.objects.bulk_create(
        NeedStatement(group=g, state=NeedStatement.State.PUBLISHED, published_at=now, next_requirement_number=6)
        for g in groups
        if g.pk != first.pk
    )
    versions = NeedVersion.objects.bulk_create(
        NeedVersion(need=s, number=1, author=coordinator, change_note="v1", requirements=requirements, **NEED_FIELDS)
        for s in needs
    )
    for statement, version in zip(needs, versions, strict=True):
        statement.current_version = statement.published_version = version
    NeedStatement.objects.bulk_update(needs, ["current_version", "published_version"], batch_size=500)
    needs = [first_need, *needs]
    start = now.date() + timedelta(days=365)
    Endorsement.objects.bulk_create(
        Endorsement(
            need=s,
            organisation=o,
            commitment=commitment,
            quantity=quantity,
            unit=unit,
            budget_min=budget,
            budget_max=budget and budget * 2,
            wanted_start=quantity and start,
        )
        for s in needs
        for o, commitment, quantity, unit, budget in [
            (authorities[1], Endorsement.Commitment.COMMITTED, 10, "maskiner", 1_000_000),
            (authorities[2], Endorsement.Commitment.COMMITTED, 4, "maskiner", 400_000),
            (authorities[3], Endorsement.Commitment.INTERESTED, None, "", None),
        ]
    )

    suppliers = organisations(3, kind=Organisation.Kind.SUPPLIER, name="Leverantör AB")
    supplier_staff = people(suppliers)
    first_dialogue = dialogue(first, first_need, coordinator)
    dialogues = [first_dialogue]
    dialogues += Dialogue.objects.bulk_create(
        Dialogue(
            group=s.group,
            need=s,
            title=f"Dialog om hjullastare {i}",
            purpose="Vi vill veta vilka fossilfria hjullastare som finns.",
            question_deadline=now + timedelta(days=20),
            submission_deadline=now + timedelta(days=30),
            state=Dialogue.State.OPEN,
            opened_at=now,
            created_by=coordinator,
        )
        for i, s in enumerate(needs[1:], start=1)
    )
    DialogueNeedVersion.objects.bulk_create(
        DialogueNeedVersion(dialogue=d, version_id=s.published_version_id)
        for d, s in zip(dialogues, needs, strict=True)
    )
    Participation.objects.bulk_create(
        Participation(dialogue=d, organisation=o, registered_by=u, label_number=label)
        for d in dialogues
        for label, (o, u) in enumerate(zip(suppliers, supplier_staff, strict=True), start=1)
    )
    record = build_record(first_dialogue, public=True)
    record["answers"] = [
        {
            "number": k,
            "kind": "answer",
            "question": f"Fråga {k} om laddning?",
            "answer": f"Svar {k}: laddning sker vid depån.",
            "requirement": f"R{k}",
            "amends": None,
            "published_at": record["generated_at"],
            "changes": [],
            "changes_summary": "",
            "withdrawn": False,
            "withdrawn_at": None,
            "withdrawal_reason": "",
        }
        for k in (1, 2, 3)
    ]
    closed = [d.pk for i, d in enumerate(dialogues) if i % 4 == 3]
    Dialogue.objects.filter(pk__in=closed).update(
        state=Dialogue.State.CLOSED, closed_at=now, public_record=record, public_record_published_at=now
    )
    return {
        "groups": [g.pk for g in groups],
        "needs": sorted(s.pk for s in needs),
        "dialogues": sorted(d.pk for d in dialogues),
    }
