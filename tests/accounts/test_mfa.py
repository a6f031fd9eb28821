import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import AnonymousUser
from django.test import override_settings
from django.urls import reverse

from accounts.access import needs_two_factor
from accounts.models import Organisation, OrganisationMember, User
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


# --- accounts.access.needs_two_factor: the one rule behind the pages and the sockets -------


def test_a_facilitator_without_totp_needs_two_factor(facilitator_without_totp):
    assert needs_two_factor(facilitator_without_totp)


def test_recovery_codes_alone_are_not_two_factor(facilitator_without_totp):
    Authenticator.objects.create(user=facilitator_without_totp, type=Authenticator.Type.RECOVERY_CODES, data={})
    assert needs_two_factor(facilitator_without_totp)


def test_a_facilitator_with_totp_does_not(facilitator):
    assert not needs_two_factor(facilitator)


def test_nobody_else_needs_it(admin_user, unverified_admin):
    assert not any(needs_two_factor(user) for user in (AnonymousUser(), admin_user, unverified_admin))


def test_a_facilitator_of_an_agency_not_yet_verified_does_not(facilitator_without_totp):
    # Not a facilitator until Upphandlingsmyndigheten's organisation is verified.
    Organisation.objects.filter(staff__user=facilitator_without_totp).update(status=Organisation.Status.UNVERIFIED)
    assert not needs_two_factor(User.objects.get(pk=facilitator_without_totp.pk))


@pytest.mark.parametrize("exempt", [True, False])
def test_demo_facilitators_are_exempt_only_in_debug(facilitator_without_totp, exempt):
    facilitator_without_totp.is_demo = True
    with override_settings(DEMO_MFA_EXEMPT=exempt):
        assert needs_two_factor(facilitator_without_totp) is not exempt
