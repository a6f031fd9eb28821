"""Every e-mail the platform sends, as the SMTP backend would put it on the wire: a Message-ID
in the site's domain, links only to settings.SITE_URL, and (on notification e-mails) a
List-Unsubscribe header that mail programs can read (RFC 2369, RFC 8058): the bare
"<https://…>", never RFC 2047-encoded."""

import email.policy
import re

import pytest
from django.core.mail import EmailMultiAlternatives
from django.test import override_settings
from django.urls import reverse

from accounts.models import OrganisationMember
from accounts.services import invite_colleague
from core.mail import site_headers
from notifications.delivery import deliver, send_digests_to, users_with_digest_items
from notifications.models import Notification
from notifications.services import notify
from tests.factories import OrganisationFactory, UserFactory, person_at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_url")]

SITE = "https://example.test"
UNSUBSCRIBE = re.compile(
    rb"\r\nList-Unsubscribe:(?:\r\n)? (<https://example\.test/notifications/unsubscribe/[^\s>]+/>)\r\n"
)
LINK = re.compile(r"""https?://[^\s"'<>]+""")


@pytest.fixture
def site_url():
    with override_settings(SITE_URL=SITE):
        yield


def wire_bytes(message) -> bytes:
    """What django.core.mail.backends.smtp sends: the message serialised with the SMTP policy."""
    return message.message(policy=email.policy.SMTP).as_bytes()


def header_block(raw: bytes) -> bytes:
    return raw.split(b"\r\n\r\n", 1)[0] + b"\r\n"


def assert_from_the_site(message):
    raw = wire_bytes(message)
    assert re.search(rb"\r\nMessage-ID: <[^@>\s]+@example\.test>\r\n", header_block(raw)), header_block(raw)
    bodies = [message.body, *(alternative.content for alternative in getattr(message, "alternatives", []))]
    links = [link for body in bodies for link in LINK.findall(body)]
    assert links, "the e-mail links to the site"
    assert [link for link in links if not link.startswith(f"{SITE}/")] == []


def assert_one_click_unsubscribe(message):
    headers = header_block(wire_bytes(message))
    found = UNSUBSCRIBE.search(headers)
    assert found, headers
    assert b"=?" not in found.group(0)
    assert b"\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in headers
    # The address is the one the e-mail's own unsubscribe link shows.
    assert found.group(1).decode()[1:-1] in message.body


@pytest.fixture
def reader():
    authority = OrganisationFactory(name="Växjö kommun")
    return person_at(authority, role=OrganisationMember.Role.ADMIN, name="Åsa Öberg", language="sv")


def test_a_long_unsubscribe_address_is_folded_not_encoded():
    address = f"{SITE}/notifications/unsubscribe/{'a' * 120}/"
    message = EmailMultiAlternatives(
        "Ämne", "Text", None, ["a@example.test"], headers=site_headers(unsubscribe_url=address)
    )
    headers = header_block(wire_bytes(message))
    assert f"\r\nList-Unsubscribe:\r\n <{address}>\r\n".encode() in headers
    assert re.search(rb"\r\nSubject: =\?utf-8\?", headers)  # text headers are still encoded as they must be


def test_a_short_unsubscribe_address_stays_on_one_line():
    message = EmailMultiAlternatives(
        "S", "T", None, ["a@example.test"], headers=site_headers(unsubscribe_url=f"{SITE}/u/")
    )
    assert b"\r\nList-Unsubscribe: <https://example.test/u/>\r\n" in wire_bytes(message)


def test_an_unsubscribe_address_that_is_not_plain_ascii_is_refused():
    with pytest.raises(ValueError):
        site_headers(unsubscribe_url=f"{SITE}/u/\r\nBcc: x@example.test")
    with pytest.raises(ValueError):
        site_headers(unsubscribe_url=f"{SITE}/ö/")


def test_notification_email(reader, mailoutbox):
    notify(
        kind="join_request",
        recipients=[reader],
        params={"organisation": "Lunds kommun", "group": "Solceller"},
        url="/groups/solceller/members/",
    )
    deliver(list(Notification.objects.values_list("pk", flat=True)))
    [message] = mailoutbox
    assert_from_the_site(message)
    assert_one_click_unsubscribe(message)


def test_digest_email(reader, mailoutbox):
    notify(kind="thread_message", recipients=[reader], params={"person": "Erik", "thread": "Allmänt"}, url="/x/")
    deliver(list(Notification.objects.values_list("pk", flat=True)))
    assert send_digests_to(users_with_digest_items()) == 1
    [message] = mailoutbox
    assert_from_the_site(message)
    assert_one_click_unsubscribe(message)


def test_invitation_email(reader, mailoutbox, deliver_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite_colleague(
            organisation=reader.affiliations.get().organisation,
            invited_by=reader,
            email="ny@vaxjo.se",
            role=OrganisationMember.Role.MEMBER,
        )
    deliver_outbox()
    [message] = mailoutbox
    assert message.to == ["ny@vaxjo.se"]
    assert_from_the_site(message)


# allauth's e-mails: the test client's requests come to http://testserver, the links must not.


def test_signup_verification_email(client, mailoutbox):
    client.post(
        reverse("account_signup"),
        {"email": "ny.person@vaxjo.se", "password1": "a-long-passphrase-2026", "password2": "a-long-passphrase-2026"},
    )
    [message] = mailoutbox
    assert "/accounts/confirm-email/" in message.body
    assert_from_the_site(message)
    assert "testserver" not in message.body


def test_signup_with_a_taken_address_email(client, reader, mailoutbox):
    client.post(
        reverse("account_signup"),
        {"email": reader.email, "password1": "a-long-passphrase-2026", "password2": "a-long-passphrase-2026"},
    )
    [message] = mailoutbox
    assert message.to == [reader.email]
    assert_from_the_site(message)
    assert "testserver" not in message.body


def test_password_reset_email(client, mailoutbox):
    user = UserFactory()
    client.post(reverse("account_reset_password"), {"email": user.email})
    [message] = mailoutbox
    assert "/accounts/password/reset/key/" in message.body
    assert_from_the_site(message)
    assert "testserver" not in message.body
