"""Events with one collapse key (new messages in one discussion) make one unread item per
person and kind that counts them; reading it lets the next event start a new one."""

import pytest
from django.utils import translation

from groups.models import BuyerGroup
from notifications.delivery import deliver, send_digests_to, users_with_digest_items
from notifications.models import Notification
from notifications.registry import Delivery, register_kind
from notifications.services import mark_read, notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def chatter(isolated_registry):
    """A kind whose items collapse, e-mailed in the daily digest."""
    register_kind(
        "test_chatter",
        label="Chatter",
        default=Delivery.DIGEST,
        messages={"": "%(person)s wrote in %(room)s."},
        collapsed="%(count)d new messages in %(room)s.",
    )


def say(person, recipients, *, room="Rum A", key="room-a", dedupe_key="", kind="test_chatter"):
    return notify(
        kind=kind,
        recipients=recipients,
        params={"person": person, "room": room},
        url=f"/rooms/{key}/{person}/",
        collapse_key=key,
        dedupe_key=dedupe_key,
    )


def shown(item) -> str:
    with translation.override("en"):
        return item.message()


def test_events_with_one_key_are_one_unread_item_that_counts_them(chatter, people):
    for person in ("Erik", "Maria", "Olle"):
        assert say(person, [people.anna, people.erik]) == 2
    items = Notification.objects.filter(recipient=people.anna)
    assert [(item.count, shown(item)) for item in items] == [(3, "3 new messages in Rum A.")]
    assert items.get().url == "/rooms/room-a/Erik/"  # the link leads to the first one unread
    assert Notification.objects.filter(recipient=people.erik).get().count == 3


def test_a_single_event_says_who_wrote(chatter, people):
    say("Erik", [people.anna])
    assert shown(Notification.objects.get()) == "Erik wrote in Rum A."


def test_other_keys_kinds_and_people_are_items_of_their_own(chatter, people):
    say("Erik", [people.anna], key="room-a")
    say("Erik", [people.anna], key="room-b", room="Rum B")
    say("Erik", [people.anna, people.erik], key="")  # no key: never collapses
    say("Erik", [people.anna], key="")
    assert Notification.objects.filter(recipient=people.anna).count() == 4
    assert Notification.objects.filter(recipient=people.erik).count() == 1


def test_after_reading_the_next_event_starts_a_new_item(chatter, people):
    say("Erik", [people.anna])
    say("Maria", [people.anna])
    assert mark_read(user=people.anna, collapse_key="room-a") == 1
    say("Olle", [people.anna])
    unread = Notification.objects.unread().get()
    assert (unread.count, shown(unread)) == (1, "Olle wrote in Rum A.")
    assert Notification.objects.count() == 2


def test_marking_one_key_read_leaves_the_others_unread(chatter, people):
    say("Erik", [people.anna], key="room-a")
    say("Erik", [people.anna], key="room-b")
    say("Erik", [people.erik], key="room-a")
    mark_read(user=people.anna, collapse_key="room-a")
    assert set(Notification.objects.unread().values_list("recipient__name", "collapse_key")) == {
        ("Anna", "room-b"),
        ("Erik", "room-a"),
    }


def test_the_same_event_twice_is_counted_once(chatter, people):
    say("Erik", [people.anna], dedupe_key="m-1")
    say("Maria", [people.anna], dedupe_key="m-2")
    assert say("Maria", [people.anna], dedupe_key="m-2") == 0
    assert Notification.objects.get().count == 2


def test_the_digest_has_one_line_per_key_with_the_count(chatter, people, mailoutbox):
    group = BuyerGroup.objects.create(name="Solceller", slug="solceller", theme="energy", summary="s", challenge="c")
    for person in ("Erik", "Maria", "Olle", "Per", "Lisa"):
        notify(
            kind="test_chatter",
            recipients=[people.erik],
            params={"person": person, "room": "Allmänt"},
            place=group,
            collapse_key="room-a",
        )
        deliver(list(Notification.objects.undelivered().values_list("pk", flat=True)))
    assert send_digests_to(users_with_digest_items()) == 1
    body = mailoutbox[0].body
    assert body.count("5 new messages in Allmänt.") == 1
    assert "wrote in" not in body
    assert "You have 1 unread notification" in body


def test_a_counted_up_item_is_delivered_again(chatter, people, mailoutbox):
    register_kind(
        "test_shout",
        label="Shout",
        default=Delivery.IMMEDIATELY,
        messages={"": "%(person)s shouted in %(room)s."},
        collapsed="%(count)d shouts in %(room)s.",
    )
    say("Erik", [people.erik], kind="test_shout")
    deliver(list(Notification.objects.undelivered().values_list("pk", flat=True)))
    say("Maria", [people.erik], kind="test_shout")
    item = Notification.objects.get()
    assert item.delivered_at is None and item.email_state == Notification.EmailState.PENDING
    deliver([item.pk])
    assert [m.subject for m in mailoutbox] == ["Erik shouted in Rum A.", "2 shouts in Rum A."]
