"""Two-factor authentication for facilitators and staff: set up before anything else, and passed
in the very session (a password alone, or a session made some other way, opens nothing); the
Django admin is entered through the site's sign-in only (security test of issue 18, item 1)."""

from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import AnonymousUser
from django.test import Client, override_settings
from django.urls import reverse

from accounts.access import TWO_FACTOR_SET_UP, TWO_FACTOR_SIGN_IN, two_factor_owed
from accounts.models import Organisation, OrganisationMember, User
from tests.factories import PASSWORD, OrganisationFactory, UserFactory, person_at, with_totp
from tests.signing_in import TwoFactorClient
from tests.totp import current_code

pytestmark = pytest.mark.django_db

ENGLISH = {"accept-language": "en"}
# What the outside test opened with a password alone.
PRIVATE = ["/admin/", "/facilitator/", "/audit/", "/audit/export.csv", "/organisations/review/"]
SECRET = generate_totp_secret()


def code(secret=SECRET) -> str:
    return current_code(secret)


def next_of(location: str) -> str:
    return parse_qs(urlsplit(location).query).get("next", [""])[0]


def is_sign_in(location: str) -> bool:
    return urlsplit(location).path in (reverse("account_login"), reverse("admin:login"))


@pytest.fixture
def facilitator_without_totp(db):
    agency = OrganisationFactory(kind=Organisation.Kind.FACILITATING_AGENCY)
    return person_at(agency, role=OrganisationMember.Role.ADMIN)


@pytest.fixture
def staff_facilitator(db):
    """A facilitator who is also Django admin staff, with an authenticator app (SECRET)."""
    agency = OrganisationFactory(kind=Organisation.Kind.FACILITATING_AGENCY)
    user = person_at(agency, role=OrganisationMember.Role.ADMIN, email="staff@uhm.se", is_staff=True)
    TOTP.activate(user, SECRET)
    return user


@pytest.fixture
def staff_member(db):
    """Django admin staff, not a facilitator."""
    return UserFactory(email="drift@uhm.se", is_staff=True)


def sign_in_with_password(client, user, next_url=""):
    url = reverse("account_login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"login": user.email, "password": PASSWORD})


# --- the pages ---------------------------------------------------------------------------


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


@pytest.mark.parametrize("path", PRIVATE)
def test_a_facilitator_session_that_never_entered_the_code_is_signed_out(facilitator, path):
    facilitator.is_staff = True
    facilitator.save()
    client = Client()  # Django's own force_login: a session made without allauth's two steps
    client.force_login(facilitator)
    response = client.get(path, headers=ENGLISH)
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("account_login")
    assert next_of(response["Location"]) == path  # back here after signing in
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"], headers=ENGLISH).content.decode()
    assert "enter the code from your authenticator app" in page


def test_a_staff_member_who_is_not_a_facilitator_must_set_up_two_factor(client, staff_member):
    client.force_login(staff_member)
    for path in ("/admin/", reverse("home:dashboard")):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")


def test_a_staff_member_with_the_app_gets_into_the_admin(client, staff_member):
    staff_member.is_superuser = True
    staff_member.save()
    with_totp(staff_member)
    client.force_login(staff_member)  # both steps (tests/signing_in.py)
    assert client.get("/admin/").status_code == 200
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200


def test_a_staff_member_with_the_app_but_without_the_code_is_signed_out(staff_member):
    with_totp(staff_member)
    client = Client()
    client.force_login(staff_member)
    assert is_sign_in(client.get("/admin/")["Location"])
    assert "_auth_user_id" not in client.session


# --- the Django admin is entered through allauth --------------------------------------------


def test_the_admin_sign_in_sends_to_the_sites_sign_in_with_next_kept(client):
    response = client.get(reverse("admin:login") + "?next=/admin/accounts/user/")
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("account_login")
    assert next_of(response["Location"]) == "/admin/accounts/user/"


@pytest.mark.parametrize("foreign", ["https://evil.example/", "//evil.example/admin/", "javascript:alert(1)"])
def test_a_foreign_next_is_not_passed_on(client, foreign):
    response = client.get(reverse("admin:login"), {"next": foreign})
    assert next_of(response["Location"]) == reverse("admin:index")


def test_the_admin_from_anonymous_ends_at_the_sites_sign_in(client):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert next_of(response.redirect_chain[-1][0]) == "/admin/"
    assert 'name="login"' in response.content.decode()  # allauth's form, not the admin's


def test_a_password_posted_to_the_admin_signs_nobody_in(client, staff_facilitator):
    response = client.post(
        reverse("admin:login"), {"username": staff_facilitator.email, "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302 and is_sign_in(response["Location"])
    assert "_auth_user_id" not in client.session
    assert is_sign_in(client.get("/admin/")["Location"])


def test_a_signed_in_person_who_is_not_staff_is_refused_the_admin(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("admin:login")).status_code == 403


@override_settings(ACCOUNT_RATE_LIMITS={})  # allauth's defaults, as in production
def test_wrong_passwords_at_the_admin_sign_in_meet_allauths_limit(client, staff_facilitator):
    sign_in_page = client.get(reverse("admin:login") + "?next=/admin/")["Location"]
    for _attempt in range(15):
        client.post(sign_in_page, {"login": staff_facilitator.email, "password": "wrong"}, headers=ENGLISH)
    refused = client.post(sign_in_page, {"login": staff_facilitator.email, "password": PASSWORD}, headers=ENGLISH)
    assert "Too many failed login attempts" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    assert is_sign_in(client.get("/admin/")["Location"])


def test_a_password_alone_opens_nothing_for_a_staff_facilitator(client, staff_facilitator):
    response = sign_in_with_password(client, staff_facilitator, next_url="/admin/")
    assert response["Location"] == reverse("mfa_authenticate")
    for path in PRIVATE:
        assert is_sign_in(client.get(path)["Location"]), path
    assert "_auth_user_id" not in client.session


def test_after_the_code_the_staff_facilitator_gets_in(client, staff_facilitator):
    sign_in_with_password(client, staff_facilitator, next_url="/admin/")
    response = client.post(reverse("mfa_authenticate"), {"code": code()})
    assert response["Location"] == "/admin/"
    for path in PRIVATE:
        assert client.get(path).status_code == 200, path


@pytest.mark.django_db(transaction=True)  # allauth's signal comes on commit, inside the request
def test_setting_up_the_app_counts_as_passing_it(client, facilitator_without_totp):
    """The session that set up the authenticator app proved it has it: it goes on, not out.
    (accounts/receivers.py records that with allauth's internal record_authentication: this
    fails if an upgrade of allauth changes it.)"""
    sign_in_with_password(client, facilitator_without_totp)
    assert client.get("/facilitator/")["Location"] == reverse("mfa_activate_totp")
    response = client.get(reverse("mfa_activate_totp"))
    if response.status_code == 302:  # allauth asks for the password before the set-up
        client.post(response["Location"], {"password": PASSWORD})
        response = client.get(reverse("mfa_activate_totp"))
    secret = response.context["form"].secret
    assert client.post(reverse("mfa_activate_totp"), {"code": code(secret)}).status_code == 302
    assert client.get("/facilitator/").status_code == 200


# --- accounts.access.two_factor_owed: the one rule behind the pages and the sockets ---------


def passed_session(user) -> dict:
    """The session data of a sign-in with both steps."""
    client = TwoFactorClient()
    client.force_login(user)
    return dict(client.session.items())


def test_a_facilitator_without_totp_must_set_it_up(facilitator_without_totp):
    assert two_factor_owed(facilitator_without_totp, {}) == TWO_FACTOR_SET_UP


def test_recovery_codes_alone_are_not_two_factor(facilitator_without_totp):
    Authenticator.objects.create(user=facilitator_without_totp, type=Authenticator.Type.RECOVERY_CODES, data={})
    assert two_factor_owed(facilitator_without_totp, {}) == TWO_FACTOR_SET_UP


def test_a_facilitator_with_totp_owes_the_code_until_the_session_passed_it(facilitator):
    assert two_factor_owed(facilitator, {}) == TWO_FACTOR_SIGN_IN
    assert two_factor_owed(facilitator, passed_session(facilitator)) is None


def test_another_persons_passed_session_does_not_count(facilitator):
    other = with_totp(person_at(OrganisationFactory(kind=Organisation.Kind.FACILITATING_AGENCY)))
    assert two_factor_owed(facilitator, passed_session(other)) == TWO_FACTOR_SIGN_IN


def test_staff_and_superusers_owe_it_too(staff_member):
    superuser = UserFactory(is_superuser=True)
    assert two_factor_owed(staff_member, {}) == TWO_FACTOR_SET_UP
    assert two_factor_owed(superuser, {}) == TWO_FACTOR_SET_UP


def test_nobody_else_owes_anything(admin_user, unverified_admin):
    assert not any(two_factor_owed(user, {}) for user in (AnonymousUser(), admin_user, unverified_admin))


def test_a_facilitator_of_an_agency_not_yet_verified_does_not(facilitator_without_totp):
    # Not a facilitator until Upphandlingsmyndigheten's organisation is verified.
    Organisation.objects.filter(staff__user=facilitator_without_totp).update(status=Organisation.Status.UNVERIFIED)
    assert two_factor_owed(User.objects.get(pk=facilitator_without_totp.pk), {}) is None


@pytest.mark.parametrize("exempt", [True, False])
def test_demo_facilitators_are_exempt_only_in_debug(facilitator, facilitator_without_totp, exempt):
    for user in (facilitator, facilitator_without_totp):
        user.is_demo = True
        with override_settings(DEMO_MFA_EXEMPT=exempt):
            assert (two_factor_owed(user, {}) is None) is exempt
