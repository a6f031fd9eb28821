"""A message that arrives over the socket carries the language it was written in, as the one the
page showed (WCAG 3.1.2; the partial `thread_detail.html#message` renders both)."""

import re

import pytest

from core.sockets import with_database
from dialogues.models import Dialogue
from tests.discussions.test_consumers import joined, next_frame, post, send

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


def body_lang(html: str) -> str | None:
    found = re.search(r'class="message-body"( lang="(\w+)")?', html)
    assert found, html
    return found.group(2)


@with_database
def set_language(user, language):
    type(user).objects.filter(pk=user.pk).update(language=language)


async def test_a_live_message_carries_its_language_for_a_reader_of_the_other(thread_cast):
    await set_language(thread_cast.member, "sv")
    await set_language(thread_cast.observer, "en")
    swedish = await joined(thread_cast.member, thread_cast.group_thread)
    english = await joined(thread_cast.observer, thread_cast.group_thread)
    await post(thread=thread_cast.group_thread, author=thread_cast.coordinator, body="Hur gör vi med depån?")
    assert body_lang((await next_frame(english, "message.posted"))["html"]) == "sv"
    assert body_lang((await next_frame(swedish, "message.posted"))["html"]) is None  # the page is Swedish already
    await swedish.disconnect()
    await english.disconnect()


async def test_catch_up_frames_carry_the_dialogues_own_language(thread_cast):
    await with_database(Dialogue.objects.filter(pk=thread_cast.dialogue.pk).update)(content_language="en")
    await set_language(thread_cast.supplier, "sv")
    thread = thread_cast.open_thread
    message = await post(thread=thread, author=thread_cast.coordinator, body="Welcome to the dialogue")
    socket = await joined(thread_cast.supplier, thread)
    await send(socket, {"type": "hello", "last_id": message.pk - 1, "revision": 0})
    frame = await next_frame(socket, "message")
    assert frame["id"] == message.pk and body_lang(frame["html"]) == "en"
    await socket.disconnect()
