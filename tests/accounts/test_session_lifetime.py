"""Sessions end after a while without a request and after a lifetime however busy, sooner for
facilitators and staff (accounts/session_policy.py, accounts.middleware.SessionLifetimeMiddleware;
issue 18, item 6). The clocks are moved back in the session instead of waiting."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import override_settings
from django.urls import reverse

from accounts.session_policy import SEEN_AT, SIGNED_IN_AT
from tests.factories import PASSWORD, with_totp
from tests.signing_in import age_session

pytestmark = pytest.mark.django_db

ENGLISH = {"accept-language": "en"}
MINUTES = 60
HOURS = 60 * MINUTES
DAYS = 24 * HOURS
DASHBOARD = reverse("home:dashboard")
PROFILE = reverse("accounts:profile")


def is_signed_out_to(response, next_url: str) -> bool:
    if response.status_code != 302:
        return False
    location = urlsplit(response["Location"])
    return location.path == reverse("account_login") and parse_qs(location.query).get("next", [""])[0] == next_url


@pytest.mark.parametrize(
    ("ages", "expired"),
    [
        ({"seen_ago": 7 * HOURS + 50 * MINUTES}, False),
        ({"seen_ago": 8 * HOURS + MINUTES}, True),  # idle: 8 hours by default
        ({"signed_in_ago": 6 * DAYS + 23 * HOURS}, False),
        ({"signed_in_ago": 7 * DAYS + MINUTES}, True),  # lifetime: 7 days, however busy
    ],
)
def test_a_members_session_ends_after_eight_idle_hours_or_seven_days(client, admin_user, ages, expired):
    client.force_login(admin_user)
    age_session(client, **ages)
    response = client.get(DASHBOARD)
    assert is_signed_out_to(response, DASHBOARD) is expired
    assert ("_auth_user_id" in client.session) is not expired


@pytest.mark.parametrize(
    ("ages", "expired"),
    [
        ({"seen_ago": 1 * HOURS + 50 * MINUTES}, False),
        ({"seen_ago": 2 * HOURS + MINUTES}, True),  # idle: 2 hours
        ({"signed_in_ago": 11 * HOURS + 50 * MINUTES}, False),
        ({"signed_in_ago": 12 * HOURS + MINUTES}, True),  # lifetime: 12 hours
    ],
)
def test_a_facilitators_session_ends_sooner(client, facilitator, ages, expired):
    client.force_login(facilitator)
    age_session(client, **ages)
    assert is_signed_out_to(client.get(DASHBOARD), DASHBOARD) is expired


def test_a_staff_members_session_ends_sooner_too(client, admin_user):
    admin_user.is_staff = True
    admin_user.save()
    with_totp(admin_user)
    client.force_login(admin_user)
    age_session(client, seen_ago=2 * HOURS + MINUTES)
    assert is_signed_out_to(client.get(DASHBOARD), DASHBOARD)


@override_settings(SESSION_IDLE_MINUTES=5, SESSION_LIFETIME_HOURS=1)
def test_the_limits_are_settings(client, admin_user):
    client.force_login(admin_user)
    age_session(client, seen_ago=6 * MINUTES)
    assert is_signed_out_to(client.get(DASHBOARD), DASHBOARD)
    client.force_login(admin_user)
    age_session(client, signed_in_ago=61 * MINUTES)
    assert is_signed_out_to(client.get(DASHBOARD), DASHBOARD)


def test_a_request_counts_as_activity(client, admin_user):
    client.force_login(admin_user)
    age_session(client, seen_ago=7 * HOURS)
    assert client.get(DASHBOARD).status_code == 200
    assert time.time() - client.session[SEEN_AT] < MINUTES
    age_session(client, seen_ago=7 * HOURS, signed_in_ago=7 * HOURS)
    client.get(DASHBOARD)
    assert time.time() - client.session[SIGNED_IN_AT] > 6 * HOURS  # the lifetime is not moved on


def test_signing_in_again_starts_the_clocks_afresh(client, admin_user):
    client.force_login(admin_user)
    age_session(client, signed_in_ago=6 * DAYS, seen_ago=HOURS)
    client.force_login(admin_user)  # the same person signs in again in the same browser
    assert time.time() - client.session[SIGNED_IN_AT] < MINUTES


def test_the_expired_page_explains_and_leads_back_after_signing_in(client, admin_user):
    client.force_login(admin_user)
    age_session(client, seen_ago=9 * HOURS)
    page = PROFILE + "?tab=language"
    response = client.get(page, headers=ENGLISH)
    assert is_signed_out_to(response, page)
    sign_in_page = client.get(response["Location"], headers=ENGLISH)
    assert "your session expired" in sign_in_page.content.decode()
    signed_in = client.post(response["Location"], {"login": admin_user.email, "password": PASSWORD})
    assert signed_in["Location"] == page


def test_an_expired_form_post_leads_back_to_the_page_it_came_from(client, admin_user):
    client.force_login(admin_user)
    age_session(client, seen_ago=9 * HOURS)
    response = client.post(PROFILE, {"name": "Ny"}, headers={"referer": f"http://testserver{PROFILE}"})
    assert is_signed_out_to(response, PROFILE)


def test_a_foreign_referer_is_not_followed(client, admin_user):
    client.force_login(admin_user)
    age_session(client, seen_ago=9 * HOURS)
    response = client.post(PROFILE, {"name": "Ny"}, headers={"referer": "https://evil.example/profile/"})
    assert response["Location"] == reverse("account_login")


def test_a_session_from_before_the_clocks_is_stamped_not_ended(client, admin_user):
    client.force_login(admin_user)
    session = client.session
    del session[SIGNED_IN_AT], session[SEEN_AT]
    session.save()
    assert client.get(DASHBOARD).status_code == 200
    assert time.time() - client.session[SIGNED_IN_AT] < MINUTES
