"""Fixtures for the discussion threads (issue 5). The dialogue rows are made directly with the
ORM (the dialogue services arrive with issue 4); everything else goes through the services."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.utils import timezone

from accounts.models import Organisation, OrganisationMember
from dialogues.models import Dialogue, Participation
from dialogues.thread_services import (
    get_or_create_dialogue_thread,
    get_or_create_private_thread,
    start_group_thread,
)
from groups.models import NeedStatement
from groups.services import create_group, create_need, decide_membership, move_need, request_membership
from tests.factories import OrganisationFactory, UserFactory, person_at

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
    cast = SimpleNamespace(
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
    TOTP.activate(cast.facilitator, generate_totp_secret())
    group = create_group(
        creator=cast.coordinator,
        organisation=vaxjo,
        name="Fossilfria arbetsmaskiner",
        theme="transport",
        summary="Kommuner som vill byta till fossilfria arbetsmaskiner.",
        challenge="För små volymer var för sig.",
        is_open=True,
    )
    for organisation, person, role in ((lund, cast.member, "member"), (energi, cast.observer, "observer")):
        membership = request_membership(group=group, organisation=organisation, user=person, motivation="Vi", role=role)
        decide_membership(membership=membership, user=cast.coordinator, approve=True)
    need = create_need(
        group=group, user=cast.coordinator, fields=NEED_FIELDS, requirements=NEED_REQUIREMENTS, change_note="v1"
    )
    move_need(need=need, user=cast.coordinator, to_state=NeedStatement.State.PUBLISHED)
    dialogue = make_open_dialogue(group, need, cast.coordinator)
    for organisation, person in ((solvent, cast.supplier), (nordlys, cast.other_supplier)):
        Participation.objects.create(dialogue=dialogue, organisation=organisation, registered_by=person)
    cast.group, cast.need, cast.dialogue = group, need, dialogue
    cast.group_thread = start_group_thread(
        group=group, author=cast.coordinator, title="Laddning vid depåerna", body="Hur gör vi med laddningen?"
    )
    cast.open_thread = get_or_create_dialogue_thread(dialogue=dialogue, user=cast.coordinator)
    cast.private_thread = get_or_create_private_thread(dialogue=dialogue, supplier=solvent, user=cast.supplier)
    cast.threads = {"group": cast.group_thread, "open": cast.open_thread, "private": cast.private_thread}
    return cast


def signed_in(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def session_cookie(user) -> bytes:
    return f"sessionid={signed_in(user).cookies['sessionid'].value}".encode()
