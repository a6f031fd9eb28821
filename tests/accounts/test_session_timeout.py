"""The warning before a session ends (WCAG 2.2.1): every signed-in page carries the time left,
asking how long is left is not activity, and "Stay signed in" moves the idle limit on but never
the lifetime (accounts/session_policy.py, static/js/session-timeout.js; in a browser:
tests/browser/test_session_timeout.py). The clocks are moved back in the session instead of waiting."""

import time

import pytest
from django.test import Client
from django.urls import reverse

from accounts.session_policy import SEEN_AT, SIGNED_IN_AT, TimeLeft, time_left
from tests.signing_in import age_session

pytestmark = pytest.mark.django_db

MINUTES = 60
HOURS = 60 * MINUTES
DAYS = 24 * HOURS
STATUS = reverse("accounts:session-status")
STAY = reverse("accounts:session-stay")
DASHBOARD = reverse("home:dashboard")
JSON = {"accept": "application/json"}


def session_at(*, signed_in_ago: float, seen_ago: float, now: float = 1_000_000_000.0) -> dict:
    return {SIGNED_IN_AT: now - signed_in_ago, SEEN_AT: now - seen_ago}


@pytest.mark.parametrize(
    ("ages", "seconds", "extendable"),
    [
        ({"signed_in_ago": HOURS, "seen_ago": HOURS}, 7 * HOURS, True),  # idle: 8 hours
        ({"signed_in_ago": 7 * DAYS - HOURS, "seen_ago": 0}, HOURS, False),  # lifetime: 7 days
        ({"signed_in_ago": 7 * DAYS - HOURS, "seen_ago": 7 * HOURS + 30 * MINUTES}, 30 * MINUTES, True),
        ({"signed_in_ago": HOURS, "seen_ago": 9 * HOURS}, 0, True),  # already over
    ],
)
def test_time_left_is_the_nearer_of_the_idle_limit_and_the_lifetime(admin_user, ages, seconds, extendable):
    left = time_left(admin_user, session_at(**ages), 1_000_000_000.0)
    assert left == TimeLeft(seconds=seconds, extendable=extendable)


@pytest.mark.parametrize(
    ("ages", "seconds", "extendable"),
    [
        ({"signed_in_ago": 0, "seen_ago": 30 * MINUTES}, 90 * MINUTES, True),  # idle: 2 hours
        ({"signed_in_ago": 11 * HOURS, "seen_ago": 0}, HOURS, False),  # lifetime: 12 hours
    ],
)
def test_a_facilitators_time_left_follows_the_shorter_limits(facilitator, ages, seconds, extendable):
    left = time_left(facilitator, session_at(**ages), 1_000_000_000.0)
    assert (left.seconds, left.extendable) == (seconds, extendable)


def test_a_session_without_the_clocks_has_its_whole_time_ahead(admin_user, settings):
    assert time_left(admin_user, {}, 1_000_000_000.0).seconds == settings.SESSION_IDLE_MINUTES * MINUTES


def test_asking_how_long_is_left_is_not_activity(client, admin_user):
    client.force_login(admin_user)
    age_session(client, seen_ago=7 * HOURS)
    answer = client.get(STATUS, headers=JSON).json()
    assert answer["signed_in"] is True and answer["extendable"] is True
    assert HOURS - MINUTES <= answer["seconds"] <= HOURS
    assert time.time() - client.session[SEEN_AT] >= 7 * HOURS - MINUTES


def test_staying_signed_in_moves_the_idle_limit_on(client, admin_user, settings):
    client.force_login(admin_user)
    age_session(client, seen_ago=7 * HOURS + 55 * MINUTES, signed_in_ago=2 * DAYS)
    answer = client.post(STAY, headers=JSON).json()
    assert answer == {"signed_in": True, "seconds": settings.SESSION_IDLE_MINUTES * MINUTES, "extendable": True}
    assert time.time() - client.session[SEEN_AT] < MINUTES
    assert time.time() - client.session[SIGNED_IN_AT] > 2 * DAYS - MINUTES  # the lifetime is not moved on


def test_staying_signed_in_cannot_move_the_lifetime(client, admin_user):
    client.force_login(admin_user)
    age_session(client, signed_in_ago=7 * DAYS - 3 * MINUTES)
    answer = client.post(STAY, headers=JSON).json()
    assert answer["extendable"] is False and answer["seconds"] <= 3 * MINUTES


def test_the_stay_form_without_javascript_comes_back_to_the_page(client, admin_user):
    client.force_login(admin_user)
    age_session(client, seen_ago=7 * HOURS + 55 * MINUTES)
    response = client.post(STAY, {"next": "/groups/?page=2"})
    assert response.status_code == 302 and response["Location"] == "/groups/?page=2"
    assert time.time() - client.session[SEEN_AT] < MINUTES


def test_the_stay_form_does_not_send_anywhere_else(client, admin_user):
    client.force_login(admin_user)
    for elsewhere in ("https://evil.example/", "abc"):
        assert client.post(STAY, {"next": elsewhere})["Location"] == DASHBOARD


def test_staying_signed_in_needs_a_post_with_the_csrf_token(admin_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    assert client.get(STAY).status_code == 405
    assert client.post(STAY, headers=JSON).status_code == 403


def test_an_ended_session_cannot_be_stayed_in(client, admin_user):
    client.force_login(admin_user)
    age_session(client, seen_ago=9 * HOURS)
    response = client.post(STAY, headers=JSON)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_an_ended_session_hears_so_when_it_asks_and_is_signed_out(client, admin_user):
    client.force_login(admin_user)
    age_session(client, seen_ago=9 * HOURS)
    assert client.get(STATUS, headers=JSON).json() == {"signed_in": False, "seconds": 0, "extendable": False}
    assert "_auth_user_id" not in client.session


def test_anonymous_visitors_are_sent_to_sign_in_to_stay(client):
    response = client.post(STAY, headers=JSON)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert client.get(STATUS).json()["signed_in"] is False


def test_a_signed_in_page_carries_the_time_left_and_the_wording(client, admin_user):
    client.force_login(admin_user)
    age_session(client, seen_ago=0)
    html = client.get(DASHBOARD).content.decode()
    assert 'id="session-timeout"' in html and 'role="alertdialog"' in html
    assert 'data-seconds-left="28' in html  # 8 hours: 28 800 seconds, less a moment
    assert 'data-warning-seconds="300"' in html and f'data-status-url="{STATUS}"' in html
    assert "js/session-timeout.js" in html


def test_a_page_for_anonymous_visitors_has_no_warning(client):
    html = client.get(reverse("home")).content.decode()
    assert "session-timeout" not in html and "data-seconds-left" not in html


def test_the_warning_can_be_turned_off(client, admin_user, settings):
    settings.SESSION_WARNING_SECONDS = 0
    client.force_login(admin_user)
    assert "session-timeout" not in client.get(DASHBOARD).content.decode()
