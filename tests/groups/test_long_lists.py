"""Long lists are shown a page at a time (issue 22): a group's member organisations."""

import pytest
from django.urls import reverse

from groups.models import Membership
from groups.views.memberships import MEMBERS_PER_PAGE
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_the_members_are_listed_a_page_at_a_time_with_the_requests_on_every_page(client, cast):
    organisations = [OrganisationFactory(name=f"Kommun {n:03d}") for n in range(MEMBERS_PER_PAGE + 10)]
    Membership.objects.bulk_create(
        Membership(group=cast.group, organisation=o, status="active", role="member") for o in organisations
    )
    Membership.objects.create(group=cast.group, organisation=cast.trafikverket, status="requested", motivation="Vi")
    client.force_login(cast.coordinator)
    url = reverse("groups:member-list", args=[cast.group.slug])
    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()
    listed = [o.name for o in organisations]
    assert all(name in first for name in listed[: MEMBERS_PER_PAGE - 3])  # the cast's own come first by name
    assert listed[-1] not in first and listed[-1] in second
    assert "Trafikverket" in first and "Trafikverket" in second
    assert client.get(url, {"page": "x"}).status_code == 200
