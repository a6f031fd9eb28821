"""Open redirects: every place that honours a `next` parameter (sign-in, sign-out, the
language switch, the notification buttons, "Stay signed in") stays on this site whatever it is given."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory
from tests.security.matrix import client_for

pytestmark = pytest.mark.django_db

ELSEWHERE = [
    "https://evil.example/",
    "http://evil.example",
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    "  https://evil.example",
    "https://testserver@evil.example/",
    "/%2F%2Fevil.example",
    "http://testserver.evil.example/",
]


def stays_here(response) -> bool:
    """The redirect's target is a path on this site (or there is no redirect at all)."""
    if response.status_code not in (301, 302, 303, 307, 308):
        return True
    return is_local(response["Location"])


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return url.startswith("/") and not url.startswith(("//", "/\\")) and not parts.scheme and not parts.netloc


@pytest.mark.parametrize("target", ELSEWHERE)
def test_sign_in_does_not_send_people_elsewhere(client, target):
    user = UserFactory(email="next@example.se")
    response = client.post(
        reverse("account_login") + f"?next={target}", {"login": user.email, "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302  # signed in
    assert stays_here(response), response["Location"]


def test_sign_in_page_escapes_what_next_carries(client):
    """allauth carries `next` into the form (and checks it again when it redirects): escaped."""
    response = client.get(reverse("account_login"), {"next": '"><script>alert(1)</script>'})
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.content.decode()


@pytest.mark.parametrize("target", ELSEWHERE)
def test_sign_out_stays_here(target):
    client = client_for(UserFactory())
    assert stays_here(client.post(reverse("account_logout"), {"next": target}))


@pytest.mark.parametrize("target", ELSEWHERE)
@pytest.mark.parametrize("signed_in", [False, True])
def test_language_switch_stays_here(target, signed_in):
    client = client_for(UserFactory() if signed_in else None)
    response = client.post(reverse("language-set"), {"language": "en", "next": target}, headers={"referer": target})
    assert stays_here(response), response["Location"]


@pytest.mark.parametrize("target", [*ELSEWHERE, "abc", "-1", "a\x00b"])
def test_notification_buttons_stay_here(target):
    client = client_for(UserFactory())
    response = client.post(reverse("notifications:notification-read-all"), {"next": target})
    assert response.status_code == 302
    assert stays_here(response), response["Location"]


def test_notification_buttons_return_to_the_page_they_were_on():
    client = client_for(UserFactory())
    back = reverse("notifications:notification-list") + "?page=2"
    assert client.post(reverse("notifications:notification-read-all"), {"next": back})["Location"] == back


@pytest.mark.parametrize("target", ELSEWHERE)
def test_staying_signed_in_stays_here(target):
    client = client_for(UserFactory())
    response = client.post(reverse("accounts:session-stay"), {"next": target})
    assert response.status_code == 302
    assert stays_here(response), response["Location"]
