"""Delivery of outbox rows, called directly as the worker calls it."""

import re

import pytest
from django.urls import reverse

from groups.models import BuyerGroup
from notifications.delivery import deliver
from notifications.models import Notification, NotificationPreference, OutgoingEmail
from notifications.services import queue_email

pytestmark = pytest.mark.django_db


def make(people, recipients, kind="join_request", **extra):
    from notifications.services import notify

    notify(
        kind=kind,
        recipients=recipients,
        params={"organisation": "Lunds kommun", "group": "Solceller", **extra.pop("params", {})},
        url="/groups/solceller/members/",
        **extra,
    )
    return list(Notification.objects.filter(recipient__in=recipients).order_by("pk"))


def test_immediate_kind_is_emailed_once_in_the_recipients_language(people, mailoutbox):
    rows = make(people, [people.anna, people.erik])
    assert deliver([n.pk for n in rows]) == []
    by_address = {m.to[0]: m for m in mailoutbox}
    assert set(by_address) == {"anna@vaxjo.se", "erik@vaxjo.se"}
    assert by_address["anna@vaxjo.se"].subject == "Lunds kommun ansöker om att gå med i Solceller."
    assert by_address["erik@vaxjo.se"].subject == "Lunds kommun asks to join Solceller."
    assert "Ändra dina inställningar för aviseringar" in by_address["anna@vaxjo.se"].body
    for row in rows:
        row.refresh_from_db()
        assert row.delivered_at and row.email_state == Notification.EmailState.SENT and row.emailed_at


def test_a_second_delivery_of_the_same_rows_sends_nothing(people, mailoutbox):
    rows = make(people, [people.anna])
    deliver([rows[0].pk])
    deliver([rows[0].pk])
    assert len(mailoutbox) == 1


def test_email_has_plain_text_and_html_with_links_to_object_preferences_and_unsubscribe(people, mailoutbox):
    rows = make(people, [people.erik])
    deliver([rows[0].pk])
    message = mailoutbox[0]
    html = message.alternatives[0].content
    open_url = f"http://127.0.0.1:8000{rows[0].get_absolute_url()}"
    assert open_url in message.body and f'href="{open_url}"' in html
    assert "http://127.0.0.1:8000/notifications/preferences/" in message.body
    unsubscribe = re.search(r"http://127\.0\.0\.1:8000(/notifications/unsubscribe/[^/\s]+/)", message.body).group(1)
    assert unsubscribe in html
    assert message.extra_headers["List-Unsubscribe"] == f"<http://127.0.0.1:8000{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_link_in_the_email_marks_read_and_leads_to_the_object(client, people, mailoutbox):
    rows = make(people, [people.erik])
    client.force_login(people.erik)
    response = client.get(rows[0].get_absolute_url())
    assert response.status_code == 302 and response.url == "/groups/solceller/members/"
    rows[0].refresh_from_db()
    assert rows[0].is_read


def test_person_without_a_verified_address_gets_it_in_app_only(people, mailoutbox):
    rows = make(people, [people.unverified])
    deliver([rows[0].pk])
    rows[0].refresh_from_db()
    assert mailoutbox == []
    assert rows[0].delivered_at and rows[0].email_state == Notification.EmailState.SKIPPED


def test_preference_off_means_no_email_but_the_item_stays(people, mailoutbox):
    NotificationPreference.objects.create(user=people.anna, kind="join_request", delivery="off")
    rows = make(people, [people.anna])
    deliver([rows[0].pk])
    assert mailoutbox == []
    assert Notification.objects.filter(recipient=people.anna).unread().count() == 1


def test_preference_is_read_at_delivery_not_at_creation(people, mailoutbox):
    rows = make(people, [people.anna])
    NotificationPreference.objects.create(user=people.anna, kind="join_request", delivery="digest")
    deliver([rows[0].pk])
    rows[0].refresh_from_db()
    assert mailoutbox == [] and rows[0].email_state == Notification.EmailState.DIGEST


def test_thread_activity_defaults_to_the_digest(people, mailoutbox):
    rows = make(people, [people.anna], kind="thread_message", params={"person": "Erik", "thread": "Allmänt"})
    deliver([rows[0].pk])
    rows[0].refresh_from_db()
    assert mailoutbox == [] and rows[0].email_state == Notification.EmailState.DIGEST


def test_item_read_before_delivery_is_not_emailed(people, mailoutbox):
    rows = make(people, [people.anna])
    Notification.objects.filter(pk=rows[0].pk).update(read_at=rows[0].created_at)
    deliver([rows[0].pk])
    assert mailoutbox == []


def test_item_whose_object_was_deleted_says_so_in_the_email(people, mailoutbox):
    group = BuyerGroup.objects.create(name="Solceller", slug="solceller", theme="energy", summary="s", challenge="c")
    rows = make(people, [people.erik], target=group, place=group)
    group.delete()
    deliver([rows[0].pk])
    assert "no longer available" in mailoutbox[0].body


def test_failed_send_is_recorded_and_returned_for_retry(people, tmp_path, settings):
    settings.MAILERS = {
        "default": {"BACKEND": "tests.notifications.mailbox.DirectoryBackend", "OPTIONS": {"directory": tmp_path}}
    }
    (tmp_path / "fail-next").write_text("1")
    rows = make(people, [people.anna, people.erik])
    failed = deliver([n.pk for n in rows])
    assert len(failed) == 1
    row = Notification.objects.get(pk=failed[0])
    assert row.delivered_at is None and row.attempts == 1 and "SMTPServerDisconnected" in row.last_error
    assert deliver(failed) == []
    assert len(list(tmp_path.glob("*.eml"))) == 2


def test_after_the_last_attempt_the_email_is_given_up(people, tmp_path, settings):
    settings.MAILERS = {
        "default": {"BACKEND": "tests.notifications.mailbox.DirectoryBackend", "OPTIONS": {"directory": tmp_path}}
    }
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    (tmp_path / "fail-next").write_text("5")
    rows = make(people, [people.anna])
    assert deliver([rows[0].pk]) == [rows[0].pk]
    assert deliver([rows[0].pk]) == []
    rows[0].refresh_from_db()
    assert rows[0].email_state == Notification.EmailState.FAILED and rows[0].delivered_at is not None


def test_queued_direct_email_is_sent_once(people, mailoutbox, deliver_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queue_email(
            to="ny@vaxjo.se",
            template="accounts/email/invitation",
            context={"invitation": None, "url": "http://x/invitations/abc/", "signup_url": "http://x/signup/"},
            language="sv",
        )
    deliver_outbox()
    deliver_outbox()
    assert [m.to for m in mailoutbox] == [["ny@vaxjo.se"]]
    assert "http://x/invitations/abc/" in mailoutbox[0].body
    assert OutgoingEmail.objects.get().sent_at is not None


def test_notification_centre_link_in_the_nav_reaches_the_centre(client, people):
    client.force_login(people.anna)
    assert reverse("notifications:notification-list") in client.get(reverse("home:dashboard")).content.decode()
