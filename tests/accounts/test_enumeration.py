"""Sign-up and adding an e-mail address answer the same, in text and in the work done, whether
or not the address already has an account (ACCOUNT_PREVENT_ENUMERATION). Speed is measured by
bench/signup.py, not here: these tests check what made the times differ."""

import re

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import override_settings
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-passphrase-2026"
MESSAGE = re.compile(r'<p class="message message-\w+">([^<]*)</p>')
COOLDOWN = {"VERIFICATION_EMAIL_COOLDOWN_SECONDS": 180, "ACCOUNT_RATE_LIMITS": {"confirm_email": None}}


class CountingHasher(MD5PasswordHasher):
    """The test hasher, counting the passwords it hashes."""

    hashed = 0

    def encode(self, password, salt):
        CountingHasher.hashed += 1
        return super().encode(password, salt)


def shown(response, email) -> list[str]:
    """The messages on the page the answer redirected to, the address written as <address>."""
    return [text.strip().replace(email, "<address>") for text in MESSAGE.findall(response.content.decode())]


def sign_up(client, email):
    data = {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    response = client.post(reverse("account_signup"), data, follow=True)
    return response, shown(response, email)


def add_address(client, email):
    response = client.post(reverse("account_email"), {"email": email, "action_add": ""}, follow=True)
    return response, shown(response, email)


def test_sign_up_with_a_used_address_answers_as_with_a_new_one(client, colleague, mailoutbox):
    new, new_messages = sign_up(client, "ny.person@vaxjo.se")
    client.logout()
    used, used_messages = sign_up(client, colleague.email)
    assert new.redirect_chain == used.redirect_chain and new.redirect_chain
    assert new_messages == used_messages and new_messages
    # One e-mail each: a link to the new address, "you already have an account" to the used one.
    assert [m.to for m in mailoutbox] == [["ny.person@vaxjo.se"], [colleague.email]]
    assert "/accounts/confirm-email/" in mailoutbox[0].body
    assert "/accounts/password/reset/" in mailoutbox[1].body
    assert User.objects.filter(email=colleague.email).count() == 1


@override_settings(PASSWORD_HASHERS=["tests.accounts.test_enumeration.CountingHasher"])
@pytest.mark.parametrize("address", ["ny.person@vaxjo.se", "colleague@vaxjo.se"])
def test_both_sign_up_paths_hash_the_password_once(client, colleague, address):
    """The hash is what took the time (about 350 ms with the production hasher): a used address
    must pay for it as a new one does."""
    CountingHasher.hashed = 0
    response, _messages = sign_up(client, address)
    assert response.redirect_chain
    assert CountingHasher.hashed == 1


@override_settings(**COOLDOWN)
def test_sign_up_just_after_someone_else_signed_up_still_says_a_link_was_sent(client, mailoutbox):
    """allauth's limit on confirmation e-mails left the message out with the e-mail: a sign-up
    with an address someone had just signed up with said less than one with a new address."""
    _first, first_messages = sign_up(client, "ny.person@vaxjo.se")
    client.logout()
    _again, again_messages = sign_up(client, "ny.person@vaxjo.se")
    client.logout()
    _other, other_messages = sign_up(client, "annan.person@vaxjo.se")
    assert again_messages == first_messages == other_messages and first_messages
    # The address still hears from us once per cooldown, not once per attempt.
    assert [m.to for m in mailoutbox] == [["ny.person@vaxjo.se"], ["annan.person@vaxjo.se"]]


def test_adding_a_used_address_answers_as_adding_a_free_one(client, admin_user, colleague, mailoutbox):
    client.force_login(admin_user)
    free, free_messages = add_address(client, "fri.adress@vaxjo.se")
    used, used_messages = add_address(client, colleague.email)
    assert free.redirect_chain == used.redirect_chain
    assert free_messages == used_messages and free_messages
    page = client.get(reverse("account_email")).content.decode()
    assert "fri.adress@vaxjo.se" in page and colleague.email in page  # both listed, both unverified
    assert [m.to for m in mailoutbox] == [["fri.adress@vaxjo.se"], [colleague.email]]


def test_the_owner_of_a_used_address_gets_a_notice_without_a_link(client, admin_user, colleague, mailoutbox):
    client.force_login(admin_user)
    add_address(client, colleague.email)
    (notice,) = mailoutbox
    assert notice.to == [colleague.email]
    assert "/accounts/confirm-email/" not in notice.body
    assert admin_user.name not in notice.body and admin_user.email not in notice.body
    assert colleague.email in notice.body


@override_settings(**COOLDOWN)
def test_adding_an_address_someone_just_signed_up_with_says_the_same(client, admin_user, mailoutbox):
    sign_up(client, "ny.person@vaxjo.se")  # its confirmation e-mail starts the address's cooldown
    client.logout()
    client.force_login(admin_user)
    _pending, pending_messages = add_address(client, "ny.person@vaxjo.se")
    _free, free_messages = add_address(client, "fri.adress@vaxjo.se")
    assert pending_messages == free_messages and free_messages
    assert [m.to for m in mailoutbox] == [["ny.person@vaxjo.se"], ["fri.adress@vaxjo.se"]]
