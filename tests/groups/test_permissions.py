"""The permission matrix: role × page or action, for one group (PRODUCT.md §4, Security).

Visitors are sent to sign in on private pages; people who may not see the workspace get
404 there (nothing to probe) and the public summary on the group's own address; members
without the needed role get 403."""

import pytest
from django.urls import reverse

from groups.models import Endorsement, Membership
from groups.services.documents import add_document
from groups.services.memberships import request_membership
from groups.services.needs import save_endorsement
from tests.core.test_uploads import PDF

pytestmark = pytest.mark.django_db

ROLES = [
    "visitor",
    "stranger",
    "unverified",
    "supplier",
    "non_member",
    "member",
    "observer",
    "coordinator",
    "facilitator",
]
WORKSPACE = {"member", "observer", "coordinator", "facilitator"}
MANAGERS = {"coordinator", "facilitator"}
EDITORS = {"member", "coordinator", "facilitator"}


def client_for(client, cast, role):
    user = getattr(cast, role)
    if user is not None:
        client.force_login(user)
    return client


def expected_private(role, allowed):
    """visitor → login redirect; outside the workspace → 404; inside without the role → 403."""
    if role in allowed:
        return 200
    if role == "visitor":
        return 302
    return 404 if role not in WORKSPACE else 403


@pytest.fixture
def document(cast):
    from django.core.files.base import ContentFile

    return add_document(
        group=cast.group,
        title="Inventering",
        upload=ContentFile(PDF, name="inventering.pdf"),
        content_type="application/pdf",
        user=cast.coordinator,
    )


@pytest.mark.parametrize("role", ROLES)
def test_directory_is_public(client, cast, role):
    response = client_for(client, cast, role).get(reverse("groups:group-list"))
    assert response.status_code == 200
    assert "Fossilfria arbetsmaskiner" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_group_address_shows_workspace_or_summary(client, cast, role):
    response = client_for(client, cast, role).get(cast.group.get_absolute_url())
    assert response.status_code == 200
    templates = {t.name for t in response.templates}
    if role in WORKSPACE:
        assert "groups/group_workspace.html" in templates
    else:
        assert "groups/group_summary.html" in templates and "groups/group_workspace.html" not in templates
        assert "Fossilfria hjullastare" not in response.content.decode()  # the draft need's title


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", ["groups:member-list", "groups:document-list", "groups:stage-plan"])
def test_workspace_pages(client, cast, role, page):
    response = client_for(client, cast, role).get(reverse(page, args=[cast.group.slug]))
    assert response.status_code == expected_private(role, WORKSPACE)


@pytest.mark.parametrize("role", ROLES)
def test_document_download(client, cast, document, role):
    url = reverse("groups:document-download", args=[cast.group.slug, document.pk, document.latest_version.pk])
    response = client_for(client, cast, role).get(url)
    assert response.status_code == expected_private(role, WORKSPACE)
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize("role", ROLES)
def test_draft_need_is_for_the_workspace(client, cast, role):
    response = client_for(client, cast, role).get(cast.need.get_absolute_url())
    expected = 200 if role in WORKSPACE else 404
    assert response.status_code == expected


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


@pytest.mark.parametrize("role", ROLES)
def test_edit_need(client, cast, role):
    response = client_for(client, cast, role).get(reverse("groups:need-edit", args=[cast.group.slug, cast.need.pk]))
    assert response.status_code == expected_private(role, EDITORS)


@pytest.mark.parametrize("role", ROLES)
def test_group_history(client, cast, role):
    response = client_for(client, cast, role).get(reverse("groups:group-history", args=[cast.group.slug]))
    assert response.status_code == expected_private(role, MANAGERS)


def test_removed_member_loses_the_workspace_at_once(client, cast):
    client.force_login(cast.member)
    assert client.get(reverse("groups:member-list", args=[cast.group.slug])).status_code == 200
    membership = cast.group.memberships.get(organisation=cast.lund)
    client.force_login(cast.coordinator)
    client.post(reverse("groups:membership-end", args=[cast.group.slug, membership.pk]), {"reason": "Avslutat"})
    client.force_login(cast.member)
    assert client.get(reverse("groups:member-list", args=[cast.group.slug])).status_code == 404
