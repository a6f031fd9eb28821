"""A group's public page lists its member authorities, with kind and county (issue 21):
active members that are verified contracting authorities, and nobody else."""

import re

import pytest

from accounts.models import County, Organisation
from groups.models import Membership
from groups.services.memberships import end_membership, public_member_authorities, request_membership
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def member_list(client, group):
    body = client.get(group.get_absolute_url(), **EN).content.decode()
    found = re.search(r'<ul id="member-authorities">(.*?)</ul>', body, re.S)
    return body, [" ".join(re.sub(r"<[^>]+>", "", item).split()) for item in re.findall(r"<li>(.*?)</li>", found[1])]


@pytest.fixture
def counties(cast):
    Organisation.objects.filter(pk=cast.vaxjo.pk).update(county=County.KRONOBERG)
    Organisation.objects.filter(pk=cast.energi.pk).update(county=County.SODERMANLAND)
    return cast


def test_anyone_sees_the_member_authorities_with_kind_and_county(client, counties):
    body, members = member_list(client, counties.group)
    assert members == ["Lunds kommun — Municipality (kommun)", "Växjö kommun — Municipality (kommun), Kronobergs län"]
    assert "2 member authorities" in body
    assert '<h2 id="member-authorities-heading">Member authorities</h2>' in body


def test_observers_pending_and_ended_memberships_and_unverified_organisations_are_not_listed(client, counties):
    cast = counties
    request_membership(group=cast.group, organisation=cast.trafikverket, user=cast.non_member, motivation="Vi vill")
    Membership.objects.create(
        group=cast.group,
        organisation=OrganisationFactory(name="Ny kommun 2", status=Organisation.Status.UNVERIFIED),
        role=Membership.Role.MEMBER,
        status=Membership.Status.ACTIVE,
    )
    end_membership(membership=cast.group.memberships.get(organisation=cast.lund), user=cast.coordinator, removed=True)
    supplier = OrganisationFactory(name="Leverantören AB", kind=Organisation.Kind.SUPPLIER)
    Membership.objects.create(
        group=cast.group, organisation=supplier, role=Membership.Role.MEMBER, status=Membership.Status.ACTIVE
    )
    body, members = member_list(client, cast.group)
    assert members == ["Växjö kommun — Municipality (kommun), Kronobergs län"]
    for hidden in ("Energimyndigheten", "Trafikverket", "Ny kommun 2", "Lunds kommun", "Leverantören AB"):
        assert hidden not in body


def test_the_public_list_is_sorted_by_name(counties):
    Membership.objects.create(
        group=counties.group,
        organisation=OrganisationFactory(name="Alvesta kommun", county=County.KRONOBERG),
        role=Membership.Role.MEMBER,
        status=Membership.Status.ACTIVE,
    )
    names = [o.name for o in public_member_authorities(counties.group)]
    assert names == ["Alvesta kommun", "Lunds kommun", "Växjö kommun"]


def test_a_signed_in_outsider_sees_the_list_too(client, counties):
    client.force_login(counties.supplier)
    _body, members = member_list(client, counties.group)
    assert len(members) == 2


def test_members_see_the_workspace_not_the_public_list(client, counties):
    client.force_login(counties.member)
    assert 'id="member-authorities"' not in client.get(counties.group.get_absolute_url()).content.decode()
