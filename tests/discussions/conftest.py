"""Fixtures for the discussion tests: `thread_cast`, the discussions' own cast (issue 5), with
the three kinds of thread, on top of the dialogue fixtures (tests/dialogues/conftest.py);
`module_thread_cast` is the same built once per test module, for modules whose tests only read
it (tests/module_data.py)."""

from types import SimpleNamespace

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import translation

from accounts.models import Organisation, OrganisationMember
from dialogues.models import Participation
from discussions.services import get_or_create_dialogue_thread, get_or_create_private_thread, start_group_thread
from groups.models import NeedStatement
from groups.services.group import create_group
from groups.services.memberships import decide_membership, request_membership
from groups.services.needs import create_need, move_need
from tests.dialogues.conftest import NEED_FIELDS, NEED_REQUIREMENTS, english, make_open_dialogue  # noqa: F401
from tests.factories import OrganisationFactory, UserFactory, person_at
from tests.module_data import kept_for_the_module


def build_thread_cast() -> SimpleNamespace:
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


@pytest.fixture
def thread_cast(db):
    return build_thread_cast()


@pytest.fixture(scope="module")
def _module_thread_cast(django_db_setup, django_db_blocker):
    with kept_for_the_module(django_db_blocker):
        with translation.override("en"):
            built = build_thread_cast()
        yield built


@pytest.fixture
def module_thread_cast(_module_thread_cast, db):
    """`thread_cast`, built once for the test module: for tests that only read it."""
    return _module_thread_cast
