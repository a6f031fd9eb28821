"""The group permission tests that change something (an endorsement, a publication, a
membership decision, a removal): each builds its own cast (test_permissions.py reads one)."""

import pytest
from django.urls import reverse

from groups.models import Endorsement, Membership
from groups.services.memberships import request_membership
from groups.services.needs import save_endorsement
from tests.groups.test_permissions import MANAGERS, ROLES, WORKSPACE, client_for, expected_private

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_published_need_is_public_and_shows_only_the_aggregate(client, cast, published_need, role):
    save_endorsement(
        need=published_need,
        organisation=cast.lund,
        user=cast.member,
        commitment="committed",
        decision_reference="KS-LUND-77",
        quantity=8,
        unit="maskiner",
    )
    response = client_for(client, cast, role).get(published_need.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Fossilfria hjullastare" in html
    if role in WORKSPACE:
        assert "KS-LUND-77" in html
    else:
        assert "KS-LUND-77" not in html and "Commitments per authority" not in html
        assert "Åtaganden per myndighet" not in html


@pytest.mark.parametrize("role", ROLES)
def test_endorse(client, cast, role):
    organisation = cast.lund if role != "coordinator" else cast.vaxjo
    url = reverse("groups:endorsement-edit", args=[cast.group.slug, cast.need.pk, organisation.pk])
    response = client_for(client, cast, role).post(url, {"commitment": "committed"})
    if role in {"member", "coordinator"}:
        assert response.status_code == 302
        assert Endorsement.objects.filter(organisation=organisation).exists()
    else:
        assert response.status_code == expected_private(role, set())
        assert not Endorsement.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_publish(client, cast, role):
    url = reverse("groups:need-move", args=[cast.group.slug, cast.need.pk])
    response = client_for(client, cast, role).post(url, {"state": "published"})
    cast.need.refresh_from_db()
    if role in MANAGERS:
        assert response.status_code == 302 and cast.need.published_version_id is not None
    else:
        assert response.status_code == expected_private(role, MANAGERS)
        assert cast.need.published_version_id is None


@pytest.mark.parametrize("role", ROLES)
def test_approve_membership(client, cast, role):
    membership = request_membership(
        group=cast.group, organisation=cast.trafikverket, user=cast.non_member, motivation="Vi vill"
    )
    url = reverse("groups:membership-decide", args=[cast.group.slug, membership.pk])
    response = client_for(client, cast, role).post(url, {"decision": "approve"})
    membership.refresh_from_db()
    if role in MANAGERS:
        assert membership.status == Membership.Status.ACTIVE
    else:
        assert response.status_code == expected_private(role, MANAGERS)
        assert membership.status == Membership.Status.REQUESTED


def test_removed_member_loses_the_workspace_at_once(client, cast):
    client.force_login(cast.member)
    assert client.get(reverse("groups:member-list", args=[cast.group.slug])).status_code == 200
    membership = cast.group.memberships.get(organisation=cast.lund)
    client.force_login(cast.coordinator)
    client.post(reverse("groups:membership-end", args=[cast.group.slug, membership.pk]), {"reason": "Avslutat"})
    client.force_login(cast.member)
    assert client.get(reverse("groups:member-list", args=[cast.group.slug])).status_code == 404
