"""Who is told: the people of organisations, and an organisation's administrators."""

import pytest

from accounts.models import OrganisationMember
from accounts.services import admins_of_organisation, delete_account, users_of_organisations
from tests.factories import OrganisationFactory, UserFactory, person_at

pytestmark = pytest.mark.django_db


def test_users_of_organisations_are_their_active_people_once_each():
    first, second, elsewhere = OrganisationFactory(), OrganisationFactory(), OrganisationFactory()
    anna = person_at(first)
    OrganisationMember.objects.create(organisation=second, user=anna)  # works for both
    erik = person_at(second)
    person_at(elsewhere)
    inactive = person_at(first, is_active=False)
    gone = person_at(first)
    delete_account(user=gone)
    people = users_of_organisations([first.pk, second.pk])
    assert sorted(people, key=lambda user: user.pk) == [anna, erik]
    assert inactive not in people


def test_admins_of_organisation_are_its_active_administrators_only():
    organisation = OrganisationFactory()
    admin = person_at(organisation, role=OrganisationMember.Role.ADMIN)
    person_at(organisation)  # a member, not an administrator
    person_at(organisation, role=OrganisationMember.Role.ADMIN, is_active=False)
    person_at(OrganisationFactory(), role=OrganisationMember.Role.ADMIN)  # administers another
    UserFactory()
    assert list(admins_of_organisation(organisation)) == [admin]
