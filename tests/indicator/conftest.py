"""The cast around one authority's self-assessment, and a helper that answers through the service."""

from types import SimpleNamespace

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from accounts.models import Organisation, OrganisationMember, SizeClass
from indicator.models import Statement
from indicator.services import delegate_answering, save_assessment
from tests.factories import OrganisationFactory, UserFactory, person_at
from tests.indicator.programme_world import build_world


@pytest.fixture
def statements(db):
    return list(Statement.objects.filter(is_active=True))


@pytest.fixture
def cast(db, statements):
    sizes = list(SizeClass.objects.order_by("position"))
    vaxjo = OrganisationFactory(name="Växjö kommun", kind=Organisation.Kind.KOMMUN, size_class=sizes[3])
    lund = OrganisationFactory(name="Lunds kommun", kind=Organisation.Kind.KOMMUN, size_class=sizes[3])
    supplier = OrganisationFactory(name="Solvent AB", kind=Organisation.Kind.SUPPLIER)
    unverified = OrganisationFactory(name="Nya kommunen", status=Organisation.Status.UNVERIFIED)
    agency = OrganisationFactory(name="Upphandlingsmyndigheten", kind=Organisation.Kind.FACILITATING_AGENCY)

    admin = person_at(vaxjo, role=OrganisationMember.Role.ADMIN, name="Anna Admin")
    delegate = person_at(vaxjo, name="Dora Delegerad")
    member = person_at(vaxjo, name="Mats Medarbetare")
    other_authority = person_at(lund, role=OrganisationMember.Role.ADMIN, name="Erik Lund")
    supplier_user = person_at(supplier, role=OrganisationMember.Role.ADMIN, name="Sara Leverantör")
    unverified_admin = person_at(unverified, role=OrganisationMember.Role.ADMIN, name="Ulf Overifierad")
    facilitator = person_at(agency, name="Fia Processledare")
    TOTP.activate(facilitator, generate_totp_secret())
    delegate_answering(organisation=vaxjo, user=delegate, granted_by=admin)
    return SimpleNamespace(
        vaxjo=vaxjo,
        lund=lund,
        supplier_organisation=supplier,
        unverified_organisation=unverified,
        agency=agency,
        sizes=sizes,
        visitor=None,
        stranger=UserFactory(name="Ingen Organisation"),
        supplier=supplier_user,
        other_authority=other_authority,
        admin=admin,
        delegate=delegate,
        member=member,
        facilitator=facilitator,
        unverified_admin=unverified_admin,
    )


def answer(organisation, year, ratings, *, user=None, comments=None, base_revision=None):
    """Answer the active statements in order; None leaves one unanswered."""
    statements = list(Statement.objects.filter(is_active=True))
    comments = comments or [""] * len(ratings)
    return save_assessment(
        organisation=organisation,
        year=year,
        user=user,
        answers={s.pk: (rating, comment) for s, rating, comment in zip(statements, ratings, comments, strict=False)},
        base_revision=base_revision,
    )


@pytest.fixture
def world(cast):
    """Buyer groups, dialogues, questions and meetings last year and this year, for the
    programme view (tests/indicator/programme_world.py)."""
    return build_world(cast)
