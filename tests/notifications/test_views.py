"""The notification centre, preferences and unsubscribe pages."""

from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from groups.models import BuyerGroup
from notifications.models import Notification, NotificationPreference
from notifications.registry import registered_kinds
from notifications.services import notify
from notifications.tokens import SALT, unsubscribe_token
from tests.signing_in import TwoFactorClient

pytestmark = pytest.mark.django_db

CENTRE = reverse("notifications:notification-list")
PREFERENCES = reverse("notifications:preferences")
KINDS = [kind.key for kind in registered_kinds()]


def join_request(recipient, *, group="Solceller", target=None):
    notify(
        kind="join_request",
        recipients=[recipient],
        params={"organisation": "Lunds kommun", "group": group},
        url="/groups/solceller/members/",
        target=target,
    )
    return Notification.objects.filter(recipient=recipient).latest("pk")


# --- The centre -------------------------------------------------------------------------


def test_centre_lists_own_items_in_the_users_language_with_the_unread_count(client, people):
    join_request(people.anna)
    join_request(people.erik, group="Någon annans grupp")
    client.force_login(people.anna)
    html = client.get(CENTRE).content.decode()
    assert "Lunds kommun ansöker om att gå med i Solceller." in html
    assert "Någon annans grupp" not in html
    assert "Du har 1 oläst avisering." in html
    assert 'data-unread-count="1"' in html  # the header count, right without JavaScript


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(CENTRE)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_someone_elses_item_is_404(client, people):
    item = join_request(people.anna)
    client.force_login(people.erik)
    assert client.get(item.get_absolute_url()).status_code == 404
    assert client.post(reverse("notifications:notification-read", args=[item.pk])).status_code == 404
    item.refresh_from_db()
    assert not item.is_read


def test_mark_one_read(client, people):
    first, second = join_request(people.anna), join_request(people.anna)
    client.force_login(people.anna)
    response = client.post(reverse("notifications:notification-read", args=[first.pk]), {"next": CENTRE + "?page=1"})
    assert response.status_code == 302 and response.url == CENTRE + "?page=1"
    first.refresh_from_db(), second.refresh_from_db()
    assert first.is_read and not second.is_read


def test_mark_read_ignores_a_next_address_on_another_site(client, people):
    item = join_request(people.anna)
    client.force_login(people.anna)
    response = client.post(
        reverse("notifications:notification-read", args=[item.pk]), {"next": "https://evil.example/"}
    )
    assert response.url == CENTRE


def test_mark_all_read(client, people):
    for _ in range(3):
        join_request(people.anna)
    other = join_request(people.erik)
    client.force_login(people.anna)
    client.post(reverse("notifications:notification-read-all"))
    assert not Notification.objects.filter(recipient=people.anna).unread().exists()
    other.refresh_from_db()
    assert not other.is_read
    assert 'data-unread-count="0"' in client.get(CENTRE).content.decode()


def test_item_whose_object_was_deleted_says_so_instead_of_failing(client, people):
    group = BuyerGroup.objects.create(name="Solceller", slug="solceller", theme="energy", summary="s", challenge="c")
    item = join_request(people.anna, target=group)
    group.delete()
    client.force_login(people.anna)
    html = client.get(CENTRE, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "finns inte längre" in html
    assert f'href="{item.get_absolute_url()}"' not in html
    response = client.get(item.get_absolute_url(), follow=True)
    assert response.status_code == 200
    assert "Det som aviseringen gällde finns inte längre." in response.content.decode()


def test_centre_is_paginated(client, people):
    for _ in range(25):
        join_request(people.anna)
    client.force_login(people.anna)
    assert client.get(CENTRE).content.decode().count('<li class="card') == 20
    assert client.get(CENTRE + "?page=2").content.decode().count('<li class="card') == 5


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_centre_query_count_does_not_grow_with_items(client, people):
    group = BuyerGroup.objects.create(name="Solceller", slug="solceller", theme="energy", summary="s", challenge="c")
    client.force_login(people.anna)
    for _ in range(5):
        join_request(people.anna, target=group)
    small = count_queries(client, CENTRE)
    for _ in range(200):
        join_request(people.anna, target=group)
    assert count_queries(client, CENTRE) == small


# --- Preferences ------------------------------------------------------------------------


def test_preferences_show_the_defaults_and_save_a_choice(client, people):
    client.force_login(people.anna)
    html = client.get(PREFERENCES).content.decode()
    assert '<option value="digest" selected>' in html  # thread messages default to the digest
    data = {f"kind_{kind}": "immediately" for kind in KINDS}
    data["kind_thread_message"] = "off"
    response = client.post(PREFERENCES, data)
    assert response.status_code == 302
    assert list(NotificationPreference.objects.filter(user=people.anna).values_list("kind", "delivery")) == [
        ("organisation_invitation", "immediately"),
        ("thread_message", "off"),
    ]


def test_bad_choice_keeps_what_was_chosen_and_says_what_is_wrong(client, people):
    client.force_login(people.anna)
    data = {f"kind_{kind}": "off" for kind in KINDS}
    data["kind_mention"] = "hourly"
    response = client.post(PREFERENCES, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Välj ett giltigt alternativ" in html
    assert '<option value="off" selected>' in html
    assert not NotificationPreference.objects.exists()


def test_person_without_verified_address_is_told_they_get_in_app_only(client, people):
    client.force_login(people.unverified)
    assert "inte verifierad" in client.get(PREFERENCES).content.decode()
    client.force_login(people.anna)
    assert "inte verifierad" not in client.get(PREFERENCES).content.decode()


# --- Unsubscribe without signing in -----------------------------------------------------------


def unsubscribe_url(user, scope):
    return reverse("notifications:unsubscribe", args=[unsubscribe_token(user, scope)])


def test_valid_link_asks_first_then_turns_the_kind_off(client, people):
    url = unsubscribe_url(people.erik, "join_request")
    page = client.get(url)
    assert page.status_code == 200 and "erik@vaxjo.se" in page.content.decode()
    assert not NotificationPreference.objects.exists()  # a link scanner's GET changes nothing
    done = client.post(url)
    assert done.status_code == 200
    assert "Requests to join a group you coordinate" in done.content.decode()  # in Erik's language
    assert NotificationPreference.objects.get(user=people.erik).delivery == "off"


def test_one_click_unsubscribe_from_a_mail_program_needs_no_csrf_token(people):

    client = TwoFactorClient(enforce_csrf_checks=True)
    response = client.post(unsubscribe_url(people.anna, "join_request"), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert NotificationPreference.objects.get(user=people.anna).delivery == "off"


def test_digest_link_turns_off_every_kind_now_in_the_digest(client, people):
    NotificationPreference.objects.create(user=people.anna, kind="need_review", delivery="digest")
    client.post(unsubscribe_url(people.anna, "digest"))
    assert dict(NotificationPreference.objects.filter(user=people.anna).values_list("kind", "delivery")) == {
        "need_review": "off",
        "thread_message": "off",
    }


def test_tampered_link_gets_a_clear_page_not_an_error(client, people):
    token = unsubscribe_token(people.anna, "join_request")
    tampered = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")
    response = client.post(reverse("notifications:unsubscribe", args=[tampered]), HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 400
    assert "Länken är inte giltig" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_link_for_another_purpose_is_refused(client, people):
    token = signing.dumps({"user": people.anna.pk, "scope": "join_request"}, salt="some.other.purpose")
    response = client.get(reverse("notifications:unsubscribe", args=[token]))
    assert response.status_code == 400


def test_expired_link_gets_a_clear_page(client, people, settings):
    settings.NOTIFICATION_UNSUBSCRIBE_VALID_DAYS = 90
    with time_machine.travel(timezone.now() - timedelta(days=91)):
        url = unsubscribe_url(people.anna, "join_request")
    response = client.post(url, HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 400
    assert "Länken har gått ut" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_link_with_an_unknown_kind_is_refused(client, people):
    token = signing.dumps({"user": people.anna.pk, "scope": "everything"}, salt=SALT, compress=True)
    assert client.post(reverse("notifications:unsubscribe", args=[token])).status_code == 400
