"""The daily digest: only people with unread digest items, grouped by place, newest first."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.text import slugify

from groups.models import BuyerGroup
from notifications.delivery import deliver, send_digests_to, users_with_digest_items
from notifications.models import Notification, NotificationPreference
from notifications.services import notify
from tests.notifications.conftest import many_users

pytestmark = pytest.mark.django_db


def group(name):
    return BuyerGroup.objects.create(name=name, slug=slugify(name), theme="energy", summary="s", challenge="c")


def thread_message(recipients, place, person, thread, *, minutes_ago):
    with time_machine.travel(timezone.now() - timedelta(minutes=minutes_ago), tick=False):
        notify(kind="thread_message", recipients=recipients, params={"person": person, "thread": thread}, place=place)
    pks = list(Notification.objects.undelivered().values_list("pk", flat=True))
    deliver(pks)


def test_digest_groups_by_place_newest_first_in_the_readers_language(people, mailoutbox):
    solar, water = group("Solceller"), group("Vattenmätare")
    thread_message([people.anna], solar, "Erik", "Solceller: allmänt", minutes_ago=50)
    thread_message([people.anna], water, "Maria", "Vatten: allmänt", minutes_ago=30)
    thread_message([people.anna], solar, "Olle", "Solceller: teknik", minutes_ago=10)
    assert mailoutbox == []

    assert send_digests_to(users_with_digest_items()) == 1
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert mailoutbox[0].subject == "Din dagliga sammanfattning från Beställargrupper"
    assert "Du har 3 olästa aviseringar" in body
    # Solceller has the newest item, so it comes first; within it, Olle (newest) before Erik.
    assert body.index("== Solceller ==") < body.index("Olle skrev") < body.index("Erik skrev")
    assert body.index("Erik skrev") < body.index("== Vattenmätare ==") < body.index("Maria skrev")
    assert "unsubscribe" in body
    assert set(Notification.objects.values_list("email_state", flat=True)) == {Notification.EmailState.SENT}


def test_items_read_in_the_platform_are_left_out_and_an_empty_digest_is_never_sent(people, mailoutbox):
    solar = group("Solceller")
    thread_message([people.anna], solar, "Erik", "Allmänt", minutes_ago=20)
    thread_message([people.anna], solar, "Olle", "Teknik", minutes_ago=10)
    Notification.objects.filter(params__person="Erik").update(read_at=timezone.now())
    send_digests_to(users_with_digest_items())
    assert "Olle" in mailoutbox[0].body and "Erik" not in mailoutbox[0].body

    Notification.objects.update(read_at=timezone.now(), email_state=Notification.EmailState.DIGEST)
    mailoutbox.clear()
    assert users_with_digest_items() == []
    assert send_digests_to([people.anna.pk]) == 0 and mailoutbox == []


def test_preferences_are_checked_again_when_the_digest_is_sent(people, mailoutbox):
    thread_message([people.anna, people.erik], group("Solceller"), "Maria", "Allmänt", minutes_ago=5)
    NotificationPreference.objects.create(user=people.anna, kind="thread_message", delivery="off")
    send_digests_to(users_with_digest_items())
    assert [m.to for m in mailoutbox] == [["erik@vaxjo.se"]]
    assert Notification.objects.get(recipient=people.anna).email_state == Notification.EmailState.SKIPPED


def test_a_digest_is_sent_once_even_if_its_batch_runs_twice(people, mailoutbox):
    thread_message([people.erik], group("Solceller"), "Maria", "Allmänt", minutes_ago=5)
    selected = users_with_digest_items()
    assert send_digests_to(selected) == 1
    assert send_digests_to(selected) == 0  # a redelivered task finds nothing left
    assert len(mailoutbox) == 1


def test_people_are_selected_in_one_query_whatever_their_number(people):
    readers = many_users(30)
    thread_message(readers, group("Solceller"), "Maria", "Allmänt", minutes_ago=5)
    with CaptureQueriesContext(connection) as queries:
        selected = users_with_digest_items()
    assert len(queries) == 1 and sorted(selected) == sorted(u.pk for u in readers)


def test_digest_queries_are_a_fixed_few_per_person(people, mailoutbox):
    def run(n):
        readers = many_users(n)
        thread_message(readers, group(f"Grupp{n}"), "Maria", "Allmänt", minutes_ago=5)
        with CaptureQueriesContext(connection) as queries:
            assert send_digests_to([u.pk for u in readers]) == n
        return len(queries)

    small, large = run(3), run(12)
    per_person = (large - small) / 9
    # lock the items (targets prefetched), mark them sent: no query depends on how many items
    assert per_person == int(per_person) <= 4
    assert small - 3 * per_person <= 3  # the people, their preferences, their addresses
