"""groups/access.py: each queryset twin gives the answer of its rule for one group, for every
user and group of a world with groups the users are in, are not in, have left, have asked to
join, and belong to only through an organisation that is not verified."""

import pytest

from accounts.models import Organisation
from groups.access import group_access, groups_managed_by, groups_of_member_user, groups_with_workspace_for
from groups.models import BuyerGroup, Membership
from groups.services.group import create_group
from groups.services.memberships import end_membership, request_membership
from tests.access_twins import assert_twins_agree, fresh

ROLES = [
    "visitor",
    "stranger",
    "coordinator",
    "member",
    "observer",
    "non_member",
    "supplier",
    "unverified",
    "facilitator",
]


@pytest.fixture
def world(cast):
    # Trafikverket (non_member) runs a group of its own, and asks to join the cast's.
    own = create_group(
        creator=cast.non_member,
        organisation=cast.trafikverket,
        name="Laddinfrastruktur",
        theme="transport",
        summary="Laddning längs vägarna.",
        challenge="Ingen vet vem som bygger.",
        is_open=True,
    )
    request_membership(group=cast.group, organisation=cast.trafikverket, user=cast.non_member, motivation="Vi")
    # Lund (member) was in Trafikverket's group and left; Energimyndigheten (observer) is a member there.
    for organisation, role in ((cast.lund, "member"), (cast.energi, "member")):
        Membership.objects.create(group=own, organisation=organisation, role=role, status=Membership.Status.ACTIVE)
    end_membership(membership=own.memberships.get(organisation=cast.lund), user=cast.member, removed=False)
    # An organisation that is not verified is an active member of a third group.
    unverified = Organisation.objects.get(staff__user=cast.unverified)
    third = create_group(
        creator=cast.coordinator,
        organisation=cast.vaxjo,
        name="Fossilfria bussar",
        theme="transport",
        summary="Bussar.",
        challenge="Bussar.",
        is_open=False,
    )
    Membership.objects.create(group=third, organisation=unverified, role="observer", status=Membership.Status.ACTIVE)
    return cast


@pytest.mark.parametrize(
    "rule, twin",
    [
        (lambda user, group: group_access(user, group).can_see_workspace, groups_with_workspace_for),
        (lambda user, group: group_access(user, group).is_member, groups_of_member_user),
        (lambda user, group: group_access(user, group).can_manage, groups_managed_by),
    ],
    ids=["workspace", "member-user", "manager"],
)
def test_the_queryset_twin_agrees_with_the_rule_for_one_group(world, rule, twin):
    users = [fresh(getattr(world, role)) for role in ROLES]
    assert_twins_agree(users, list(BuyerGroup.objects.all()), rule, twin)
