"""The "Write a message" links of a discussion (WCAG 2.4.1, issue 19): a skip link right after
"Skip to content" and a link under the heading, both to the message box, offered only to a person
who may write. Keyboard counts and focus: tests/browser/test_thread_composer.py."""

import re

import pytest
from django.utils import timezone

from dialogues.models import Dialogue
from discussions.models import Message
from discussions.services import lock_thread
from tests.dialogues.conftest import signed_in

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def english_page(user, thread) -> str:
    user.language = "en"
    user.save(update_fields=["language"])
    return signed_in(user).get(thread.get_absolute_url(), **EN).content.decode()


def composer_links(html: str) -> list[str]:
    """The opening tags of the elements that lead to the message box."""
    return re.findall(r"<(?:a|p)\b[^>]*\bdata-composer-link\b[^>]*>", html)


def test_a_person_who_may_write_gets_a_skip_link_to_the_message_box_after_skip_to_content(thread_cast):
    html = english_page(thread_cast.member, thread_cast.group_thread)
    skip_to_content = html.index('<a class="skip-link" href="#main">Skip to content</a>')
    skip_link = html.index('<a class="skip-link" href="#id_body" data-composer-link>Write a message</a>')
    assert skip_to_content < skip_link < html.index('class="site-header"')
    assert 'id="id_body"' in html


def test_a_link_under_the_heading_leads_to_the_message_box(thread_cast):
    html = english_page(thread_cast.member, thread_cast.group_thread)
    heading_end = html.index("</h1>")
    link = html.index('<p data-composer-link><a href="#id_body">Write a message</a></p>')
    assert heading_end < link < html.index('id="messages"')


def test_the_message_box_follows_the_newest_message_and_older_pages_are_above(thread_cast):
    thread = thread_cast.group_thread
    Message.objects.bulk_create(
        Message(thread=thread, author=thread_cast.coordinator, body=f"nummer {n}", html=f"<p>nummer {n}</p>")
        for n in range(1, 60)
    )
    html = english_page(thread_cast.member, thread)
    newest = thread.messages.latest("pk")
    between = html[html.index(f'id="message-{newest.pk}"') : html.index('id="composer-form"')]
    assert between.count('class="thread-message') == 0  # no other message
    assert "Page 1 of 2" not in between and "?page=" not in between
    assert html.index("Page 1 of 2") < html.index("Older messages") < html.index('id="messages"')


def test_a_locked_discussion_offers_no_way_to_the_hidden_message_box(thread_cast):
    lock_thread(thread=thread_cast.group_thread, moderator=thread_cast.coordinator, reason="Vi tar paus")
    html = english_page(thread_cast.member, thread_cast.group_thread)
    # Kept in the page, hidden, so that the live page can show them again when it is unlocked.
    links = composer_links(html)
    assert len(links) == 2 and all(" hidden" in tag for tag in links)
    assert re.search(r'<form[^>]*id="composer-form"[^>]*\bhidden\b', html)
    assert html.index('id="locked-notice"') < html.index('id="messages"')  # the reason is read first


def test_a_person_who_may_not_write_gets_no_link_to_a_message_box(thread_cast):
    Dialogue.objects.filter(pk=thread_cast.dialogue.pk).update(state=Dialogue.State.CLOSED, closed_at=timezone.now())
    html = english_page(thread_cast.supplier, thread_cast.open_thread)
    assert composer_links(html) == []
    assert 'href="#id_body"' not in html and 'id="id_body"' not in html
    assert "The dialogue is closed, so suppliers can no longer write here." in html
