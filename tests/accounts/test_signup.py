import re

import pytest
from django.test import override_settings
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db


def confirmation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body).group(1)


def test_sign_up_verify_then_reach_the_dashboard(client, mailoutbox):
    response = client.post(
        reverse("account_signup"),
        {"email": "Ny.Person@Vaxjo.se", "password1": "a-long-passphrase-2026", "password2": "a-long-passphrase-2026"},
    )
    assert response.status_code == 302
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["ny.person@vaxjo.se"]
    user = User.objects.get(email="ny.person@vaxjo.se")

    # Not verified yet: signing in stops at "verify your e-mail", never the dashboard.
    client.logout()
    response = client.post(reverse("account_login"), {"login": user.email, "password": "a-long-passphrase-2026"})
    assert response.status_code == 302
    assert "dashboard" not in response["Location"]
    assert client.get(reverse("home:dashboard")).status_code == 302

    link = confirmation_link(mailoutbox[0])
    assert client.get(link).status_code == 200  # a page with a button, not a state change on GET
    response = client.post(link)
    assert response.status_code == 302
    assert client.get(reverse("home:dashboard")).status_code == 200


def test_password_reset_sends_a_link(client, admin_user, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": admin_user.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "3/m/ip,3/5m/key"})
def test_repeated_wrong_passwords_are_rate_limited(client, admin_user):
    for _ in range(3):
        response = client.post(reverse("account_login"), {"login": admin_user.email, "password": "wrong"})
        assert response.status_code == 200  # the form with an error
    response = client.post(
        reverse("account_login"), {"login": admin_user.email, "password": "pw-test-2026"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    # Even the right password is refused until the window passes, with a message that says so.
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get(reverse("home:dashboard")).status_code == 302
