"""groups/access.py reads what one user may do in one group with one written-out query (issue 22:
building the two querysets it replaced cost more than running them). It must say what those
querysets say, for every user and group of a world with groups the users are in, are not in,
have left, have asked to join, coordinate, and belong to only through an organisation that is
not verified."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from groups.access import _memberships_and_coordination, group_access
from groups.models import BuyerGroup, Membership
from tests.access_twins import fresh
from tests.groups.test_access_twins import ROLES, world  # noqa: F401 - the fixture

SIGNED_IN = [role for role in ROLES if role != "visitor"]


def test_the_written_query_says_what_the_querysets_say(world):  # noqa: F811
    answers = set()
    for role in SIGNED_IN:
        user = fresh(getattr(world, role))
        own = [a.organisation_id for a in user.active_affiliations]
        for group in BuyerGroup.objects.all():
            memberships, coordinates = _memberships_and_coordination(user, group, own)
            expected = group.memberships.filter(
                organisation_id__in=own, status__in=Membership.OPEN_STATUSES
            ).values_list("organisation_id", "status", "role")
            assert sorted(memberships) == sorted(expected), (role, group)
            assert coordinates == group.coordinators.filter(user=user).exists(), (role, group)
            answers.add((bool(memberships), coordinates))
    assert answers == {(True, True), (True, False), (False, False)}, "the world is too plain"


def test_a_person_without_organisations_is_asked_only_whether_they_coordinate(world):  # noqa: F811
    user = fresh(world.coordinator)
    user.affiliations.all().delete()
    user = fresh(user)
    memberships, coordinates = _memberships_and_coordination(user, world.group, [])
    assert memberships == [] and coordinates is True


@pytest.mark.parametrize("role", SIGNED_IN)
def test_one_query_answers_what_a_person_may_do_in_a_group(world, role):  # noqa: F811
    user = fresh(getattr(world, role))
    user.is_facilitator  # noqa: B018 (read with the person's affiliations, as every request has)
    with CaptureQueriesContext(connection) as queries:
        group_access(user, world.group)
    assert len(queries) == 1
