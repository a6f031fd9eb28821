"""The thread services: mentions only of readers, who hears of a message, the database keeping
one open and one private thread, revisions in order, and storing even when Redis is down."""

import pytest
from django.db import IntegrityError, transaction
from django.test import override_settings

from discussions.models import Message, Thread
from discussions.services import (
    ThreadRuleError,
    edit_message,
    get_or_create_dialogue_thread,
    get_or_create_private_thread,
    hide_message,
    notify_thread_readers,
    post_message,
)

pytestmark = pytest.mark.django_db


def test_mentions_reach_only_people_who_can_read_the_thread(thread_cast):
    message = post_message(
        thread=thread_cast.group_thread,
        author=thread_cast.coordinator,
        body="@Erik Medlem och @Olle Observatör, men inte @Maria Utanför eller @Sara Leverantör",
    )
    assert set(message.mentions.all()) == {thread_cast.member, thread_cast.observer}
    assert "@Maria Utanför" in message.html and 'href="#person-' in message.html


def test_supplier_in_the_open_thread_cannot_reach_competitors_by_mention(thread_cast):
    message = post_message(
        thread=thread_cast.open_thread,
        author=thread_cast.supplier,
        body="@Anna Samordnare, har @Omar Konkurrent frågat samma sak?",
    )
    assert list(message.mentions.all()) == [thread_cast.coordinator]


def test_group_mentions_a_supplier_in_the_open_thread(thread_cast):
    message = post_message(thread=thread_cast.open_thread, author=thread_cast.member, body="Tack @Sara Leverantör!")
    assert list(message.mentions.all()) == [thread_cast.supplier]


def test_readers_hear_of_a_message_and_the_author_does_not(thread_cast):
    message = post_message(
        thread=thread_cast.private_thread, author=thread_cast.supplier, body="Fråga till @Erik Medlem"
    )
    recipients = notify_thread_readers(message, mentioned=list(message.mentions.all()))
    assert list(recipients["mention"]) == [thread_cast.member]
    others = set(recipients["thread_message"])
    assert others == {thread_cast.coordinator, thread_cast.facilitator}  # not the observer, not Omar, not Sara


def test_the_database_keeps_one_open_and_one_private_thread_per_supplier(thread_cast):
    assert get_or_create_dialogue_thread(dialogue=thread_cast.dialogue) == thread_cast.open_thread
    assert get_or_create_private_thread(dialogue=thread_cast.dialogue, supplier=thread_cast.solvent) == (
        thread_cast.private_thread
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Thread.objects.create(kind=Thread.Kind.DIALOGUE, group=thread_cast.group, dialogue=thread_cast.dialogue)
    with pytest.raises(IntegrityError), transaction.atomic():
        Thread.objects.create(
            kind=Thread.Kind.PRIVATE,
            group=thread_cast.group,
            dialogue=thread_cast.dialogue,
            supplier=thread_cast.solvent,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Thread.objects.create(kind=Thread.Kind.PRIVATE, group=thread_cast.group, dialogue=thread_cast.dialogue)


def test_every_change_raises_the_revision_in_order(thread_cast):
    thread = thread_cast.group_thread
    first = post_message(thread=thread, author=thread_cast.member, body="Ett")
    second = post_message(thread=thread, author=thread_cast.member, body="Två")
    edited = edit_message(message=first, editor=thread_cast.member, body="Ett, rättat")
    hidden = hide_message(message=second, moderator=thread_cast.coordinator, reason="Dubblett")
    assert first.revision < second.revision < edited.revision < hidden.revision
    thread.refresh_from_db()
    assert thread.revision == hidden.revision and thread.message_count == 3
    changed = Message.objects.filter(thread=thread).changed_since(last_id=second.pk, revision=second.revision)
    assert list(changed) == [first, second]  # nothing newer, but both older ones changed since


def test_service_refuses_what_the_rules_refuse_even_without_a_view(thread_cast):
    with pytest.raises(ThreadRuleError):
        post_message(thread=thread_cast.private_thread, author=thread_cast.other_supplier, body="Hej")
    with pytest.raises(ThreadRuleError):
        post_message(thread=thread_cast.group_thread, author=thread_cast.member, body=" ")
    assert not thread_cast.private_thread.messages.exists()


@override_settings(
    CHANNEL_LAYERS={
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]}}
    }
)
def test_message_is_stored_when_the_channel_layer_is_down(thread_cast, django_capture_on_commit_callbacks, caplog):
    with django_capture_on_commit_callbacks(execute=True):
        message = post_message(thread=thread_cast.group_thread, author=thread_cast.member, body="Redis är nere")
    assert Message.objects.filter(pk=message.pk, body="Redis är nere").exists()
    assert "could not send message.posted" in caplog.text


def test_a_message_lands_in_the_outbox_once_per_reader(thread_cast):
    from notifications.models import Notification

    message = post_message(
        thread=thread_cast.private_thread, author=thread_cast.supplier, body="Fråga till @Erik Medlem"
    )
    notify_thread_readers(message, mentioned=list(message.mentions.all()))  # again: nothing twice
    rows = Notification.objects.filter(kind__in=["mention", "thread_message"], target_id=message.pk)
    assert {(n.kind, n.recipient) for n in rows} == {
        ("mention", thread_cast.member),
        ("thread_message", thread_cast.coordinator),
        ("thread_message", thread_cast.facilitator),
    }
    assert rows.get(recipient=thread_cast.member).message().startswith("Sara Leverantör")


def test_the_author_hears_when_a_moderator_hides_a_message(thread_cast):
    from notifications.models import Notification

    message = post_message(thread=thread_cast.open_thread, author=thread_cast.supplier, body="Reklam")
    hide_message(message=message, moderator=thread_cast.coordinator, reason="Marknadsföring hör inte hit")
    item = Notification.objects.get(kind="moderation_action")
    assert item.recipient == thread_cast.supplier
    assert "Marknadsföring hör inte hit" in item.message()
