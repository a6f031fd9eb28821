from types import SimpleNamespace

import pytest
from allauth.account.models import EmailAddress

from accounts.models import Organisation, OrganisationMember
from notifications import registry
from tests.factories import OrganisationFactory, UserFactory, person_at
from tests.groups.conftest import cast  # noqa: F401 (the cast of one buyer group, for the event tests)


@pytest.fixture
def people(db):
    """Two authority colleagues (one reads English, one Swedish), a supplier, and one person
    whose e-mail address is not verified."""
    authority = OrganisationFactory(name="Växjö kommun")
    supplier = OrganisationFactory(name="Solvent AB", kind=Organisation.Kind.SUPPLIER)
    anna = person_at(authority, role=OrganisationMember.Role.ADMIN, name="Anna", email="anna@vaxjo.se", language="sv")
    erik = person_at(authority, name="Erik", email="erik@vaxjo.se", language="en")
    sara = person_at(supplier, name="Sara", email="sara@solvent.se", language="sv")
    unverified = person_at(authority, name="Ulla", email="ulla@vaxjo.se", language="sv")
    EmailAddress.objects.filter(user=unverified).update(verified=False)
    return SimpleNamespace(
        authority=authority, supplier=supplier, anna=anna, erik=erik, sara=sara, unverified=unverified
    )


def many_users(n, **fields):
    return [UserFactory(**fields) for _ in range(n)]


@pytest.fixture
def isolated_registry(monkeypatch):
    """The registry as the apps left it, for a test that registers more: put back afterwards."""
    monkeypatch.setattr(registry, "_kinds", dict(registry._kinds))
    monkeypatch.setattr(registry, "_reminder_sources", list(registry._reminder_sources))
    monkeypatch.setattr(registry, "_preferences_sections", list(registry._preferences_sections))
    return registry
