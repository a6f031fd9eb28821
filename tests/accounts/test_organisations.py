import pytest
from django.urls import reverse

from accounts.models import Organisation, OrganisationMember
from tests.factories import OrganisationFactory, UserFactory, person_at

pytestmark = pytest.mark.django_db


def test_registering_makes_an_unverified_organisation_with_the_creator_as_admin(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:organisation-create"),
        {"name": "Alvesta kommun", "kind": "kommun", "organisation_number": "212000-0142"},
    )
    organisation = Organisation.objects.get(name="Alvesta kommun")
    assert response.status_code == 302
    assert organisation.status == Organisation.Status.UNVERIFIED
    assert user.is_admin_of(organisation)


def test_bad_number_shows_the_error_and_keeps_what_was_typed(client):
    client.force_login(UserFactory())
    response = client.post(
        reverse("accounts:organisation-create"),
        {"name": "Alvesta kommun", "kind": "kommun", "organisation_number": "212000-0143"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "wrong check digit" in html
    assert 'value="Alvesta kommun"' in html
    assert not Organisation.objects.exists()


def test_facilitator_sees_organisations_waiting_for_review(client, facilitator, unverified_admin):
    client.force_login(facilitator)
    response = client.get(reverse("accounts:organisation-review-list"))
    assert response.status_code == 200
    assert "Ny Leverantör AB" in response.content.decode()


def test_facilitator_verifies_and_the_admins_are_told(
    client, facilitator, unverified_admin, mailoutbox, django_capture_on_commit_callbacks, deliver_outbox
):
    organisation = unverified_admin.affiliations.get().organisation
    client.force_login(facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:organisation-review", args=[organisation.pk]), {"decision": "verify"})
    assert response.status_code == 302
    deliver_outbox()
    organisation.refresh_from_db()
    assert organisation.is_verified and organisation.reviewed_by == facilitator
    assert [m.to for m in mailoutbox] == [[unverified_admin.email]]


def test_rejecting_needs_a_reason(client, facilitator, unverified_admin):
    organisation = unverified_admin.affiliations.get().organisation
    client.force_login(facilitator)
    url = reverse("accounts:organisation-review", args=[organisation.pk])
    response = client.post(url, {"decision": "reject", "reason": "  "})
    assert response.status_code == 200
    assert "Say why" in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.UNVERIFIED

    client.post(url, {"decision": "reject", "reason": "Numret tillhör ett annat bolag."})
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.REJECTED
    assert organisation.status_reason == "Numret tillhör ett annat bolag."


def test_review_list_is_for_facilitators_only(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("accounts:organisation-review-list"))
    assert response.status_code == 403
    assert "Only facilitators" in response.content.decode()


def test_outsider_gets_404_on_another_organisation(client, authority, outsider):
    client.force_login(outsider)
    assert client.get(authority.get_absolute_url()).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, authority):
    response = client.get(authority.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_staff_see_their_organisation_with_its_people(client, admin_user, colleague, authority):
    client.force_login(colleague)
    html = client.get(authority.get_absolute_url()).content.decode()
    assert "Anna Admin" in html and "Cecilia Kollega" in html


def test_roles_are_answered_on_the_user(authority, admin_user, colleague, facilitator, unverified_admin):
    assert admin_user.is_admin_of(authority) and not colleague.is_admin_of(authority)
    assert colleague.can_act and not unverified_admin.can_act
    assert facilitator.is_facilitator and not admin_user.is_facilitator
    unverified_agency = OrganisationFactory(
        kind=Organisation.Kind.FACILITATING_AGENCY, status=Organisation.Status.UNVERIFIED
    )
    assert not person_at(unverified_agency, role=OrganisationMember.Role.ADMIN).is_facilitator
