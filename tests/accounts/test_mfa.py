import pytest
from django.test import override_settings
from django.urls import reverse

from accounts.models import Organisation, OrganisationMember
from tests.factories import OrganisationFactory, person_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def facilitator_without_totp(db):
    agency = OrganisationFactory(kind=Organisation.Kind.FACILITATING_AGENCY)
    return person_at(agency, role=OrganisationMember.Role.ADMIN)


def test_facilitator_without_two_factor_is_sent_to_set_it_up(client, facilitator_without_totp):
    client.force_login(facilitator_without_totp)
    for path in (reverse("home:dashboard"), reverse("accounts:organisation-review-list"), "/groups/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")


def test_facilitator_with_two_factor_gets_in(client, facilitator):
    client.force_login(facilitator)
    assert client.get(reverse("home:dashboard")).status_code == 200


def test_other_users_are_not_forced(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("home:dashboard")).status_code == 200


@pytest.mark.parametrize(("exempt", "status"), [(True, 200), (False, 302)])
def test_demo_facilitator_is_exempt_only_in_debug(client, facilitator_without_totp, exempt, status):
    facilitator_without_totp.is_demo = True
    facilitator_without_totp.save()
    client.force_login(facilitator_without_totp)
    with override_settings(DEMO_MFA_EXEMPT=exempt):
        assert client.get(reverse("home:dashboard")).status_code == status
