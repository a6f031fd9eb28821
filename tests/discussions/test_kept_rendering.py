"""Each message's markup is rendered once and kept (discussions/broadcast.py messages_html), the
same for every reader who sees it in one form; what differs per reader is added outside it. The
kept markup never outlives what it shows (an edit, hiding, showing again, a new name), no reader
gets another's links or a moderator's view, and the page and the live frames show one markup."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from discussions import broadcast
from discussions.broadcast import message_event
from discussions.services import edit_message, hide_message, post_message, restore_message
from tests.dialogues.conftest import signed_in

pytestmark = pytest.mark.django_db


def page(user, thread) -> str:
    response = signed_in(user).get(thread.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def item(html: str, message) -> str:
    found = re.search(rf'<li class="thread-message[^"]*" id="message-{message.pk}".*?</li>', html, re.DOTALL)
    assert found, f"message {message.pk} not on the page"
    return found.group(0)


def links(html: str, message) -> set[str]:
    return set(re.findall(r'data-action="(\w+)"', item(html, message)))


@pytest.fixture
def english_cast(thread_cast):
    User.objects.update(language="en")
    for name in ("coordinator", "member", "observer", "supplier", "other_supplier"):
        getattr(thread_cast, name).refresh_from_db()
    return thread_cast


def test_an_edit_shows_at_once_though_the_old_text_was_kept(english_cast):
    thread = english_cast.group_thread
    message = post_message(thread=thread, author=english_cast.member, body="Första texten")
    assert "Första texten" in page(english_cast.observer, thread)
    edit_message(message=message, editor=english_cast.member, body="Andra texten")
    seen = item(page(english_cast.observer, thread), message)
    assert "Andra texten" in seen and "Första texten" not in seen
    assert reverse("threads:message-history", args=[message.pk]) in seen  # "edited"


def test_hiding_and_showing_again_show_at_once_to_readers_and_moderators(english_cast):
    thread = english_cast.group_thread
    message = post_message(thread=thread, author=english_cast.member, body="Känsliga uppgifter")
    for reader in (english_cast.observer, english_cast.coordinator):
        assert "Känsliga uppgifter" in item(page(reader, thread), message)
    hide_message(message=message, moderator=english_cast.coordinator, reason="Personuppgifter")
    seen = item(page(english_cast.observer, thread), message)
    assert "Removed by a moderator: Personuppgifter" in seen and "Känsliga uppgifter" not in seen
    moderated = item(page(english_cast.coordinator, thread), message)
    assert "Removed by a moderator: Personuppgifter" in moderated and "Känsliga uppgifter" in moderated
    # The moderator's rendering (with the hidden text) was kept last: a reader still does not get it.
    assert "Känsliga uppgifter" not in item(page(english_cast.observer, thread), message)
    restore_message(message=message, moderator=english_cast.coordinator)
    seen = item(page(english_cast.observer, thread), message)
    assert "Känsliga uppgifter" in seen and "Removed by a moderator" not in seen


def test_a_new_name_shows_in_messages_already_kept(english_cast):
    thread = english_cast.group_thread
    message = post_message(thread=thread, author=english_cast.member, body="Hej")
    assert "Erik Medlem" in item(page(english_cast.observer, thread), message)
    User.objects.filter(pk=english_cast.member.pk).update(name="Erik Nyman")
    seen = item(page(english_cast.observer, thread), message)
    assert "Erik Nyman" in seen and "Erik Medlem" not in seen


def test_each_reader_gets_only_their_own_links(english_cast):
    thread = english_cast.group_thread
    message = post_message(thread=thread, author=english_cast.member, body="Mitt inlägg")
    # The coordinator opens the page first, so a kept rendering exists before the others come.
    assert links(page(english_cast.coordinator, thread), message) == {"moderate", "report"}
    assert links(page(english_cast.member, thread), message) == {"edit"}
    assert links(page(english_cast.observer, thread), message) == {"report"}
    own = item(page(english_cast.member, thread), message)
    assert f'href="{reverse("threads:message-edit", args=[message.pk])}"' in own
    assert "moderate" not in own


def test_a_supplier_never_gets_the_names_rendering_kept_for_the_group(english_cast):
    thread = english_cast.open_thread
    message = post_message(thread=thread, author=english_cast.other_supplier, body="Vi kan leverera")
    assert "Omar Konkurrent" in item(page(english_cast.coordinator, thread), message)
    seen = item(page(english_cast.supplier, thread), message)
    assert "Supplier B" in seen and "Omar Konkurrent" not in seen and "Nordlys" not in seen
    assert "Omar Konkurrent" in item(page(english_cast.other_supplier, thread), message)


def test_the_page_shows_the_markup_of_the_live_frame(english_cast):
    thread = english_cast.group_thread
    message = post_message(thread=thread, author=english_cast.member, body="Samma **överallt**")
    with translation.override("en"):
        live = message_event(message, "message.posted")["html"]["en"]
    seen = item(page(english_cast.observer, thread), message)
    assert re.sub(r'<p class="message-actions">.*?</p>', "", seen) == live


def test_a_message_is_rendered_once_for_every_reader(english_cast, monkeypatch):
    thread = english_cast.group_thread
    message = post_message(thread=thread, author=english_cast.member, body="En gång")
    renders = []
    render = broadcast._render_fragment
    monkeypatch.setattr(
        broadcast, "_render_fragment", lambda m, moderator: renders.append(m.pk) or render(m, moderator)
    )
    for reader in (english_cast.observer, english_cast.coordinator, english_cast.member, english_cast.observer):
        assert "En gång" in page(reader, thread)
    assert renders.count(message.pk) == 1


def test_the_page_lists_the_people_its_messages_mention(english_cast):
    thread = english_cast.group_thread
    post_message(thread=thread, author=english_cast.member, body="Vad säger @Olle Observatör?")
    html = page(english_cast.coordinator, thread)
    assert f'href="#person-{english_cast.observer.pk}"' in html
    assert f'<li id="person-{english_cast.observer.pk}">Olle Observatör' in html
    assert f'id="person-{english_cast.member.pk}"' not in html  # not mentioned: found by typing "@"


def test_without_the_cache_the_page_and_the_live_frames_are_rendered_all_the_same(english_cast):
    thread = english_cast.group_thread
    message = post_message(thread=thread, author=english_cast.member, body="Redis är nere")
    nothing_there = {  # nothing listens there: every call fails at once
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    with override_settings(CACHES=nothing_there):
        assert "Redis är nere" in item(page(english_cast.observer, thread), message)
        with translation.override("en"):
            assert "Redis är nere" in message_event(message, "message.edited")["html"]["en"]
