"""Sensitive actions ask to prove who one is again when the last sign-in or confirmation is older
than ACCOUNT_REAUTHENTICATION_TIMEOUT (core/reauthentication.py; issue 18, item 6): allauth's
re-authentication, which keeps a posted form and carries it out once confirmed."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import override_settings
from django.urls import reverse

from accounts.models import Organisation, OrganisationDomain
from tests.factories import PASSWORD
from tests.signing_in import age_session

pytestmark = pytest.mark.django_db

MINUTES = 60


def asks_to_reauthenticate(response, next_url: str) -> bool:
    if response.status_code != 302:
        return False
    location = urlsplit(response["Location"])
    return location.path == reverse("account_reauthenticate") and parse_qs(location.query)["next"] == [next_url]


def signed_in_long_ago(client, user, minutes=11):
    client.force_login(user)
    age_session(client, authenticated_ago=minutes * MINUTES)


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("admin_user", reverse("accounts:data-export")),
        ("admin_user", reverse("accounts:account-delete")),
        ("facilitator", reverse("audit:entry-export")),
    ],
)
def test_a_sensitive_page_asks_again_after_ten_minutes(client, request, who, url):
    user = request.getfixturevalue(who)
    signed_in_long_ago(client, user, minutes=11)
    assert asks_to_reauthenticate(client.get(url), url)
    client.force_login(user)  # just signed in: no need to ask
    assert client.get(url).status_code == 200


def test_confirming_the_password_opens_it(client, admin_user):
    url = reverse("accounts:data-export")
    signed_in_long_ago(client, admin_user)
    confirmed = client.post(reverse("account_reauthenticate") + f"?next={url}", {"password": PASSWORD})
    assert confirmed["Location"] == url
    assert client.get(url).status_code == 200


def test_a_wrong_password_does_not(client, admin_user):
    url = reverse("accounts:data-export")
    signed_in_long_ago(client, admin_user)
    client.post(reverse("account_reauthenticate") + f"?next={url}", {"password": "wrong"})
    assert asks_to_reauthenticate(client.get(url), url)


def test_an_organisation_review_is_kept_and_carried_out_once_confirmed(client, facilitator, unverified_admin):
    organisation = Organisation.objects.get(staff__user=unverified_admin)
    url = reverse("accounts:organisation-review", args=[organisation.pk])
    signed_in_long_ago(client, facilitator)
    assert client.get(url).status_code == 200  # reading the organisation asks nothing
    response = client.post(url, {"decision": "verify"})
    assert asks_to_reauthenticate(response, url)
    organisation.refresh_from_db()
    assert not organisation.is_verified
    client.post(response["Location"], {"password": PASSWORD})  # the decision waited for this
    organisation.refresh_from_db()
    assert organisation.is_verified and organisation.reviewed_by == facilitator


@pytest.mark.parametrize("action", ["domain-create", "invitation-create"])
def test_roles_and_domains_of_an_organisation_ask_again(client, authority, admin_user, action):
    url = reverse(f"accounts:{action}", args=[authority.pk])
    data = {"domain": "vaxjo.se", "email": "ny@vaxjo.se", "role": "admin"}
    signed_in_long_ago(client, admin_user)
    assert asks_to_reauthenticate(client.post(url, data), url)
    assert not OrganisationDomain.objects.exists() and not authority.invitations.exists()


@override_settings(ACCOUNT_REAUTHENTICATION_TIMEOUT=30 * MINUTES)
def test_the_timeout_is_a_setting(client, admin_user):
    url = reverse("accounts:data-export")
    signed_in_long_ago(client, admin_user, minutes=20)
    assert client.get(url).status_code == 200
    signed_in_long_ago(client, admin_user, minutes=31)
    assert asks_to_reauthenticate(client.get(url), url)


def test_adding_an_email_address_asks_again_only_after_ten_minutes(client, admin_user):
    """allauth asks before e-mail addresses change; a sign-in a minute ago counts, as for our own
    sensitive actions (accounts.adapter.AccountAdapter.is_reauthentication_required)."""
    url = reverse("account_email")
    form = {"action_add": "", "email": "ny.adress@vaxjo.se"}
    signed_in_long_ago(client, admin_user, minutes=11)
    assert client.post(url, form).url.startswith(reverse("account_reauthenticate"))
    assert not admin_user.emailaddress_set.filter(email="ny.adress@vaxjo.se").exists()
    client.force_login(admin_user)
    assert client.post(url, form)["Location"] == url
    assert admin_user.emailaddress_set.filter(email="ny.adress@vaxjo.se").exists()
