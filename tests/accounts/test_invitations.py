import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, OrganisationMember
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def invite(client, organisation, email, role="member"):
    return client.post(reverse("accounts:invitation-create", args=[organisation.pk]), {"email": email, "role": role})


def test_admin_invites_and_the_colleague_accepts(
    client, authority, admin_user, mailoutbox, django_capture_on_commit_callbacks, deliver_outbox
):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        assert invite(client, authority, "Ny@Vaxjo.se").status_code == 302
    deliver_outbox()
    invitation = Invitation.objects.get()
    assert invitation.email == "ny@vaxjo.se"
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["ny@vaxjo.se"]
    path = re.search(r"https?://[^/\s]+(/invitations/[\w-]+/)", mailoutbox[0].body).group(1)
    assert path == invitation.get_absolute_url()

    newcomer = UserFactory(email="ny@vaxjo.se")
    client.force_login(newcomer)
    assert client.get(path).status_code == 200
    response = client.post(path)
    assert response.status_code == 302
    assert newcomer.affiliations.filter(organisation=authority, role="member").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == newcomer


def test_someone_else_cannot_accept(client, authority, admin_user, outsider):
    invitation = Invitation.objects.create(organisation=authority, email="ny@vaxjo.se", invited_by=admin_user)
    client.force_login(outsider)
    response = client.post(invitation.get_absolute_url())
    assert response.status_code == 200
    assert "was sent to ny@vaxjo.se" in response.content.decode()
    assert not outsider.affiliations.filter(organisation=authority).exists()


def test_an_unverified_address_cannot_accept(client, authority, admin_user):
    invitation = Invitation.objects.create(organisation=authority, email="ny@vaxjo.se", invited_by=admin_user)
    person = UserFactory(email="other@vaxjo.se")
    EmailAddress.objects.create(user=person, email="ny@vaxjo.se", verified=False)
    client.force_login(person)
    client.post(invitation.get_absolute_url())
    assert not OrganisationMember.objects.filter(user=person, organisation=authority).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"expires_at": timezone.now() - timedelta(minutes=1)}, "has expired"),
        ({"revoked_at": timezone.now()}, "withdrawn"),
        ({"accepted_at": timezone.now()}, "already been used"),
    ],
)
def test_spent_invitations_are_refused(client, authority, admin_user, change, message):
    invitation = Invitation.objects.create(organisation=authority, email="ny@vaxjo.se", invited_by=admin_user, **change)
    person = UserFactory(email="ny@vaxjo.se")
    client.force_login(person)
    response = client.post(invitation.get_absolute_url())
    assert message in response.content.decode()
    assert not person.affiliations.exists()


def test_duplicate_invitation_and_existing_member_get_field_errors(client, authority, admin_user, colleague):
    client.force_login(admin_user)
    invite(client, authority, "ny@vaxjo.se")
    response = invite(client, authority, "ny@vaxjo.se")
    assert response.status_code == 400 and "has not expired" in response.content.decode()
    response = invite(client, authority, colleague.email)
    assert response.status_code == 400 and "already belongs" in response.content.decode()
    assert Invitation.objects.count() == 1


def test_unverified_organisation_cannot_invite(client, unverified_admin):
    organisation = unverified_admin.affiliations.get().organisation
    client.force_login(unverified_admin)
    response = invite(client, organisation, "kollega@nylev.se")
    assert response.status_code == 403
    assert "not been verified" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_plain_member_cannot_invite(client, authority, colleague):
    client.force_login(colleague)
    assert invite(client, authority, "ny@vaxjo.se").status_code == 403
    assert not Invitation.objects.exists()


def test_admin_withdraws_an_invitation(client, authority, admin_user):
    invitation = Invitation.objects.create(organisation=authority, email="ny@vaxjo.se", invited_by=admin_user)
    client.force_login(admin_user)
    client.post(reverse("accounts:invitation-revoke", args=[authority.pk, invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
