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
from dialogues.models import Dialogue, Participation
from discussions.models import Message, Thread
from discussions.services import start_group_thread
from groups.models import BuyerGroup, Membership, NeedStatement, NeedVersion
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
