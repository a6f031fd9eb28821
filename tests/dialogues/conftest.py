"""Fixtures for the dialogue tests.

- `dc` and friends: one open market dialogue built through the dialogue services on top of the
  buyer group cast (tests/groups/conftest.py), with two participating suppliers A and B, a
  verified supplier that does not take part, and an unverified supplier.
- `thread_cast`: the discussion threads' own cast (issue 5), with the three kinds of thread.
"""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone, translation

from accounts.models import Organisation, OrganisationMember
from dialogues.models import Dialogue, Participation
from dialogues.services import (
    ask_question,
    create_dialogue,
    declare_conflict,
    open_dialogue,
    register_participation,
    submit_proposal,
)
from dialogues.thread_services import (
    get_or_create_dialogue_thread,
    get_or_create_private_thread,
    start_group_thread,
)
from groups.models import NeedStatement
from groups.services import create_group, create_need, decide_membership, move_need, request_membership
from tests.factories import OrganisationFactory, UserFactory, person_at
from tests.groups.conftest import cast, published_need  # noqa: F401 (fixtures used by the ones below)

PURPOSE = "Vi vill veta vilka fossilfria hjullastare som finns."


@pytest.fixture(autouse=True)
def english():
    """Services speak the active language (Swedish by default); these tests read English."""
    with translation.override("en"):
        yield


def supplier(name, **fields):
    return OrganisationFactory(name=name, kind=Organisation.Kind.SUPPLIER, **fields)


@pytest.fixture
def dc(cast, published_need):  # noqa: F811
    """An open dialogue with suppliers A and B taking part."""
    now = timezone.now()
    solvent = supplier("Solvent Energi AB")
    nordlys = supplier("Nordlys Teknik AB")
    third = supplier("Tredje Maskin AB")
    unverified = supplier("Oprövad AB", status=Organisation.Status.UNVERIFIED)
    supplier_a = person_at(solvent, role=OrganisationMember.Role.ADMIN, name="Sara Säljare", email="sara@solvent.se")
    supplier_b = person_at(nordlys, role=OrganisationMember.Role.ADMIN, name="Omar Produkt", email="omar@nordlys.se")
    dialogue = create_dialogue(
        group=cast.group,
        need=published_need,
        user=cast.coordinator,
        title="Dialog om hjullastare",
        purpose=PURPOSE,
        schedule="Frågor i två veckor.",
        meeting_plan="Enskilda möten.",
        question_deadline=now + timedelta(days=14),
        submission_deadline=now + timedelta(days=30),
        answer_days=5,
    )
    dialogue = open_dialogue(dialogue=dialogue, user=cast.coordinator)
    register_participation(dialogue=dialogue, organisation=solvent, user=supplier_a)
    register_participation(dialogue=dialogue, organisation=nordlys, user=supplier_b)
    return SimpleNamespace(
        **vars(cast),
        dialogue=dialogue,
        solvent=solvent,
        nordlys=nordlys,
        third=third,
        supplier_a=supplier_a,
        supplier_b=supplier_b,
        outside_supplier=person_at(third, name="Tina Tredje", email="tina@tredje.se"),
        unverified_supplier=person_at(unverified, name="Ulla Oprövad", email="ulla@oprovad.se"),
    )


@pytest.fixture
def question_a(dc):
    """Supplier A's question, not yet answered; its text names A."""
    return ask_question(
        dialogue=dc.dialogue,
        organisation=dc.solvent,
        user=dc.supplier_a,
        text="Vi på Solvent Energi AB undrar om batteribyte godtas?",
        requirement_number=1,
    )


@pytest.fixture
def declared(dc):
    """The group's member users have declared no conflict of interest."""
    for person in (dc.coordinator, dc.member):
        declare_conflict(dialogue=dc.dialogue, user=person, has_conflict=False)
    return dc


@pytest.fixture
def submission_a(dc):
    version = submit_proposal(
        dialogue=dc.dialogue,
        organisation=dc.solvent,
        user=dc.supplier_a,
        text="Hemligt förslag från Solvent: 2 x 40 kWh batteri.",
        secret_parts="Batterikemin",
        secret_reason="Visar vår kostnadsstruktur.",
        uploads=[(ContentFile(b"pris: 1 000 000 kr\n", name="pris.txt"), "text/plain; charset=utf-8", True)],
    )
    return version.submission


# --- Discussion threads (issue 5) ---

NEED_FIELDS = {
    "title": "Fossilfria hjullastare",
    "background": "",
    "challenge": "Utmaning",
    "constraints": "",
    "sustainability_goals": "",
    "timeline": "",
    "market_questions": "",
}
NEED_REQUIREMENTS = [{"number": None, "text": "Åtta timmar.", "priority": "must", "rationale": "", "verification": ""}]

# Every role and who may read each kind of discussion (PRODUCT.md §2.5).
ROLES = [
    "visitor",
    "stranger",
    "non_member",
    "unverified",
    "member",
    "observer",
    "coordinator",
    "facilitator",
    "supplier",
    "other_supplier",
    "outside_supplier",
]
READERS = {
    "group": {"member", "observer", "coordinator", "facilitator"},
    "open": {"member", "observer", "coordinator", "facilitator", "supplier", "other_supplier"},
    "private": {"member", "coordinator", "facilitator", "supplier"},  # the private thread with `supplier`
}


def make_open_dialogue(group, need, user, **fields) -> Dialogue:
    now = timezone.now()
    return Dialogue.objects.create(
        group=group,
        need=need,
        title=fields.pop("title", "Marknadsdialog om hjullastare"),
        purpose="Vi vill veta vad marknaden kan leverera.",
        question_deadline=now + timedelta(days=20),
        submission_deadline=now + timedelta(days=30),
        state=fields.pop("state", Dialogue.State.OPEN),
        opened_at=now,
        created_by=user,
        **fields,
    )


@pytest.fixture
def thread_cast(db):
    """One buyer group with an open dialogue, two participating suppliers and the three kinds
    of discussion: `group_thread`, `open_thread` and `private_thread` (with Solvent)."""
    vaxjo = OrganisationFactory(name="Växjö kommun")
    lund = OrganisationFactory(name="Lunds kommun")
    energi = OrganisationFactory(name="Energimyndigheten", kind=Organisation.Kind.STATLIG_MYNDIGHET)
    trafikverket = OrganisationFactory(name="Trafikverket", kind=Organisation.Kind.STATLIG_MYNDIGHET)
    solvent = OrganisationFactory(name="Solvent AB", kind=Organisation.Kind.SUPPLIER)
    nordlys = OrganisationFactory(name="Nordlys AB", kind=Organisation.Kind.SUPPLIER)
    tredje = OrganisationFactory(name="Tredje AB", kind=Organisation.Kind.SUPPLIER)
    unverified = OrganisationFactory(
        name="Oprövad AB", kind=Organisation.Kind.SUPPLIER, status=Organisation.Status.UNVERIFIED
    )
    agency = OrganisationFactory(name="Upphandlingsmyndigheten", kind=Organisation.Kind.FACILITATING_AGENCY)

    admin = OrganisationMember.Role.ADMIN
    tc = SimpleNamespace(
        visitor=None,
        stranger=UserFactory(name="Ingen Organisation"),
        coordinator=person_at(vaxjo, role=admin, name="Anna Samordnare"),
        member=person_at(lund, role=admin, name="Erik Medlem"),
        observer=person_at(energi, role=admin, name="Olle Observatör"),
        non_member=person_at(trafikverket, role=admin, name="Maria Utanför"),
        supplier=person_at(solvent, role=admin, name="Sara Leverantör"),
        other_supplier=person_at(nordlys, role=admin, name="Omar Konkurrent"),
        outside_supplier=person_at(tredje, role=admin, name="Kalle Tredje"),
        unverified=person_at(unverified, role=admin, name="Ulf Overifierad"),
        facilitator=person_at(agency, name="Fia Processledare"),
        vaxjo=vaxjo,
        lund=lund,
        energi=energi,
        solvent=solvent,
        nordlys=nordlys,
        tredje=tredje,
    )
    TOTP.activate(tc.facilitator, generate_totp_secret())
    group = create_group(
        creator=tc.coordinator,
        organisation=vaxjo,
        name="Fossilfria arbetsmaskiner",
        theme="transport",
        summary="Kommuner som vill byta till fossilfria arbetsmaskiner.",
        challenge="För små volymer var för sig.",
        is_open=True,
    )
    for organisation, person, role in ((lund, tc.member, "member"), (energi, tc.observer, "observer")):
        membership = request_membership(group=group, organisation=organisation, user=person, motivation="Vi", role=role)
        decide_membership(membership=membership, user=tc.coordinator, approve=True)
    need = create_need(
        group=group, user=tc.coordinator, fields=NEED_FIELDS, requirements=NEED_REQUIREMENTS, change_note="v1"
    )
    move_need(need=need, user=tc.coordinator, to_state=NeedStatement.State.PUBLISHED)
    dialogue = make_open_dialogue(group, need, tc.coordinator)
    for organisation, person in ((solvent, tc.supplier), (nordlys, tc.other_supplier)):
        Participation.objects.create(dialogue=dialogue, organisation=organisation, registered_by=person)
    tc.group, tc.need, tc.dialogue = group, need, dialogue
    tc.group_thread = start_group_thread(
        group=group, author=tc.coordinator, title="Laddning vid depåerna", body="Hur gör vi med laddningen?"
    )
    tc.open_thread = get_or_create_dialogue_thread(dialogue=dialogue, user=tc.coordinator)
    tc.private_thread = get_or_create_private_thread(dialogue=dialogue, supplier=solvent, user=tc.supplier)
    tc.threads = {"group": tc.group_thread, "open": tc.open_thread, "private": tc.private_thread}
    return tc


def signed_in(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def session_cookie(user) -> bytes:
    return f"sessionid={signed_in(user).cookies['sessionid'].value}".encode()
