"""A rejected registration no longer holds its organisation number; its administrator can
correct it and send it again, and the facilitator sees who registered it."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import Organisation, OrganisationMember
from accounts.services import review_organisation
from audit.models import Action, AuditEntry
from tests.factories import OrganisationFactory, UserFactory, luhn_number, person_at

pytestmark = pytest.mark.django_db

NUMBER = luhn_number("556000900")
CORRECTED = luhn_number("556000901")


@pytest.fixture
def rejected(facilitator):
    organisation = OrganisationFactory(
        name="Fel AB",
        kind=Organisation.Kind.SUPPLIER,
        organisation_number=NUMBER,
        status=Organisation.Status.UNVERIFIED,
    )
    registrant = person_at(organisation, role=OrganisationMember.Role.ADMIN, email="rolf@fel.se", name="Rolf")
    Organisation.objects.filter(pk=organisation.pk).update(created_by=registrant)
    review_organisation(organisation=organisation, reviewer=facilitator, verify=False, reason="Fel nummer.")
    organisation.refresh_from_db()
    return organisation


def registrant_of(organisation):
    return organisation.staff.get(role=OrganisationMember.Role.ADMIN).user


def test_a_rejected_registration_does_not_block_its_number(client, rejected):
    client.force_login(UserFactory())
    response = client.post(
        reverse("accounts:organisation-create"), {"name": "Rätt AB", "kind": "supplier", "organisation_number": NUMBER}
    )
    assert response.status_code == 302
    assert Organisation.objects.get(name="Rätt AB").status == Organisation.Status.UNVERIFIED


def test_a_number_still_belongs_to_one_registration_that_is_not_rejected(client, rejected):
    OrganisationFactory(name="Rätt AB", kind=Organisation.Kind.SUPPLIER, organisation_number=NUMBER)
    client.force_login(UserFactory())
    response = client.post(
        reverse("accounts:organisation-create"),
        {"name": "Tredje AB", "kind": "supplier", "organisation_number": NUMBER},
    )
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["organisation_number"]] == ["unique"]
    with pytest.raises(IntegrityError), transaction.atomic():  # and the database says so too
        OrganisationFactory(name="Tredje AB", kind=Organisation.Kind.SUPPLIER, organisation_number=NUMBER)


def test_the_registrant_corrects_and_resubmits_a_rejected_registration(client, rejected, facilitator):
    registrant = registrant_of(rejected)
    client.force_login(registrant)
    url = reverse("accounts:organisation-resubmit", args=[rejected.pk])
    assert url in client.get(rejected.get_absolute_url()).content.decode()  # the way there
    assert client.get(url).status_code == 200
    data = {"name": "Fel AB", "kind": "supplier", "organisation_number": CORRECTED, "subject_to_public_access": ""}
    response = client.post(url, data)
    assert response.status_code == 302
    rejected.refresh_from_db()
    assert rejected.status == Organisation.Status.UNVERIFIED
    assert rejected.organisation_number == CORRECTED
    entry = AuditEntry.objects.get(action=Action.ORG_RESUBMITTED)
    assert entry.actor_id == registrant.pk and entry.target_id == str(rejected.pk)

    client.force_login(facilitator)
    waiting = client.get(reverse("accounts:organisation-review-list"))
    assert list(waiting.context["organisations"]) == [rejected]
    review = client.get(reverse("accounts:organisation-review", args=[rejected.pk])).content.decode()
    assert "Fel nummer." in review  # the earlier decision, for the reviewer


def test_a_bad_correction_keeps_what_was_typed_and_stays_rejected(client, rejected):
    OrganisationFactory(name="Rätt AB", kind=Organisation.Kind.SUPPLIER, organisation_number=NUMBER)
    client.force_login(registrant_of(rejected))
    url = reverse("accounts:organisation-resubmit", args=[rejected.pk])
    response = client.post(url, {"name": "Nytt namn AB", "kind": "supplier", "organisation_number": NUMBER})
    assert response.status_code == 400
    assert 'value="Nytt namn AB"' in response.content.decode()
    assert "organisation_number" in response.context["form"].errors
    rejected.refresh_from_db()
    assert (rejected.status, rejected.name) == (Organisation.Status.REJECTED, "Fel AB")


def test_only_a_rejected_registration_can_be_resubmitted(client, admin_user, authority):
    client.force_login(admin_user)
    assert client.get(reverse("accounts:organisation-resubmit", args=[authority.pk])).status_code == 403


def test_a_colleague_who_is_no_administrator_cannot_resubmit(client, rejected):
    colleague = person_at(rejected, email="kollega@fel.se")
    client.force_login(colleague)
    assert client.get(reverse("accounts:organisation-resubmit", args=[rejected.pk])).status_code == 403


def test_outsider_and_anonymous_cannot_resubmit(client, rejected, outsider):
    url = reverse("accounts:organisation-resubmit", args=[rejected.pk])
    assert client.get(url).status_code == 302
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_the_review_page_shows_who_registered_the_organisation(client, facilitator, unverified_admin):
    organisation = unverified_admin.affiliations.get().organisation
    Organisation.objects.filter(pk=organisation.pk).update(created_by=unverified_admin)
    client.force_login(facilitator)
    page = client.get(reverse("accounts:organisation-review", args=[organisation.pk])).content.decode()
    assert unverified_admin.email in page and unverified_admin.name in page
