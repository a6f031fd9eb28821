"""The thread pages issue the same number of queries with 10 and with 1,000 messages, and the
list with 10 and 200 discussions (PRODUCT.md §4)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.services import delete_account
from discussions.models import Message, Thread
from tests.dialogues.conftest import signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def fill(thread, authors, total):
    """Messages up to `total`, by several people (one of them deleted), some edited and hidden."""
    have = thread.messages.count()
    Message.objects.bulk_create(
        Message(
            thread=thread,
            author=authors[n % len(authors)],
            organisation=None,
            body=f"Meddelande {n}",
            html=f"<p>Meddelande {n}</p>",
            edited_at=thread.created_at if n % 7 == 0 else None,
            hidden_at=thread.created_at if n % 11 == 0 else None,
            hidden_reason="Dubblett" if n % 11 == 0 else "",
        )
        for n in range(have, total)
    )


def count(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("kind", "role"),
    [("group", "member"), ("group", "coordinator"), ("open", "supplier"), ("private", "supplier")],
)
def test_thread_page_queries_do_not_grow_with_messages(thread_cast, kind, role):
    thread = thread_cast.threads[kind]
    gone = UserFactory(name="Borta")
    authors = [thread_cast.coordinator, thread_cast.member, thread_cast.supplier, gone]
    delete_account(user=gone)
    client = signed_in(getattr(thread_cast, role))
    fill(thread, authors, 10)
    small = count(client, thread.get_absolute_url())
    fill(thread, authors, 1000)
    large = count(client, thread.get_absolute_url())
    assert large == small, f"{kind}/{role}: {small} queries with 10 messages, {large} with 1,000"
    assert count(client, thread.get_absolute_url() + "?page=15") == small


def test_thread_list_queries_do_not_grow_with_discussions(thread_cast):
    client = signed_in(thread_cast.member)
    url = reverse("threads:group-threads", args=[thread_cast.group.slug])

    def grow(total):
        have = Thread.objects.group_discussions(thread_cast.group).count()
        Thread.objects.bulk_create(
            Thread(kind=Thread.Kind.GROUP, group=thread_cast.group, title=f"Tråd {n}", created_by=thread_cast.member)
            for n in range(have, total)
        )

    grow(10)
    small = count(client, url)
    grow(200)
    assert count(client, url) == small
