"""The cast of one buyer group, built through the services so the data is realistic.

`cast` is built for each test; `module_cast` once per test module, for modules whose tests only
read it (tests/module_data.py)."""

from types import SimpleNamespace

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from accounts.models import Organisation, OrganisationMember
from groups.models import NeedStatement
from groups.services.group import create_group
from groups.services.memberships import decide_membership, request_membership
from groups.services.needs import create_need, move_need
from tests.factories import OrganisationFactory, UserFactory, person_at
from tests.module_data import kept_for_the_module

REQUIREMENTS = [
    {
        "number": None,
        "text": "Åtta timmars drift utan laddning.",
        "priority": "must",
        "rationale": "",
        "verification": "",
    },
    {"number": None, "text": "Laddas över natten.", "priority": "should", "rationale": "", "verification": ""},
]
FIELDS = {
    "title": "Fossilfria hjullastare",
    "background": "Bakgrund",
    "challenge": "Utmaning",
    "constraints": "",
    "sustainability_goals": "",
    "timeline": "",
    "market_questions": "",
}


def build_cast() -> SimpleNamespace:
    vaxjo = OrganisationFactory(name="Växjö kommun")
    lund = OrganisationFactory(name="Lunds kommun")
    energi = OrganisationFactory(name="Energimyndigheten", kind=Organisation.Kind.STATLIG_MYNDIGHET)
    trafikverket = OrganisationFactory(name="Trafikverket", kind=Organisation.Kind.STATLIG_MYNDIGHET)
    supplier = OrganisationFactory(name="Solvent AB", kind=Organisation.Kind.SUPPLIER)
    unverified = OrganisationFactory(name="Ny kommun", status=Organisation.Status.UNVERIFIED)
    agency = OrganisationFactory(name="Upphandlingsmyndigheten", kind=Organisation.Kind.FACILITATING_AGENCY)

    coordinator = person_at(vaxjo, role=OrganisationMember.Role.ADMIN, name="Anna Samordnare")
    member = person_at(lund, role=OrganisationMember.Role.ADMIN, name="Erik Medlem")
    observer = person_at(energi, role=OrganisationMember.Role.ADMIN, name="Olle Observatör")
    non_member = person_at(trafikverket, role=OrganisationMember.Role.ADMIN, name="Maria Utanför")
    supplier_user = person_at(supplier, name="Sara Leverantör")
    unverified_user = person_at(unverified, name="Ulf Overifierad")
    facilitator = person_at(agency, name="Fia Processledare")
    TOTP.activate(facilitator, generate_totp_secret())

    group = create_group(
        creator=coordinator,
        organisation=vaxjo,
        name="Fossilfria arbetsmaskiner",
        theme="transport",
        summary="Kommuner som vill byta till fossilfria arbetsmaskiner.",
        challenge="För små volymer var för sig.",
        is_open=True,
    )
    for organisation, person, role in ((lund, member, "member"), (energi, observer, "observer")):
        membership = request_membership(
            group=group, organisation=organisation, user=person, motivation="Vi vill", role=role
        )
        decide_membership(membership=membership, user=coordinator, approve=True)
    need = create_need(group=group, user=coordinator, fields=FIELDS, requirements=REQUIREMENTS, change_note="v1")
    return SimpleNamespace(
        group=group,
        need=need,
        vaxjo=vaxjo,
        lund=lund,
        energi=energi,
        trafikverket=trafikverket,
        coordinator=coordinator,
        member=member,
        observer=observer,
        non_member=non_member,
        supplier=supplier_user,
        unverified=unverified_user,
        facilitator=facilitator,
        visitor=None,
        stranger=UserFactory(name="Ingen Organisation"),
    )


def publish_need(cast):
    move_need(need=cast.need, user=cast.coordinator, to_state=NeedStatement.State.PUBLISHED)
    cast.need.refresh_from_db()
    return cast.need


@pytest.fixture
def cast(db):
    return build_cast()


@pytest.fixture(scope="module")
def _module_cast(django_db_setup, django_db_blocker):
    with kept_for_the_module(django_db_blocker):
        yield build_cast()


@pytest.fixture
def module_cast(_module_cast, db):
    """`cast`, built once for the test module: for tests that only read it."""
    return _module_cast


@pytest.fixture
def published_need(cast):
    return publish_need(cast)
