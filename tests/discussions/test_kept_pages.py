"""Kept pages (core/kept_pages.py, issue 22): a signed-in person's page is served from the cache
while nothing it was read from has changed, and made again after any write to what it read,
however the write was made (a service, a bulk update, another process), never for anyone else."""

import os
import re
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from accounts.session_policy import SIGNED_IN_AT
from core import kept_pages
from discussions.models import Message
from discussions.services import post_message
from groups.models import BuyerGroup
from notifications.services import notify

pytestmark = pytest.mark.django_db

SERVICES = bool(os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL"))


def served_kept(client, url: str, **extra):
    """Read url until it is served kept (made, then stamped, then kept: at most four requests)."""
    for _ in range(4):
        response = client.get(url, **extra)
        assert response.status_code == 200, (url, response.status_code)
        if getattr(response, "served_kept", False):
            return response
    pytest.fail(f"{url} was never served kept")


def same_but_tokens(html: bytes) -> bytes:
    """The page but for what differs on every request anyway: the CSRF token's mask, the time left."""
    html = re.sub(rb'name="csrfmiddlewaretoken" value="\w+"', b"csrf", html)
    return re.sub(rb'data-seconds-left="\d+"', b"seconds", html)


def pages(tc) -> dict[str, str]:
    return {
        "directory": "/groups/",
        "workspace": tc.group.get_absolute_url(),
        "need": tc.need.get_absolute_url(),
        "dialogue": tc.dialogue.get_absolute_url(),
        "discussion": tc.group_thread.get_absolute_url(),
        "agenda": reverse("home:agenda"),
        "search": "/search/?q=Fossilfria",
    }


@pytest.mark.parametrize("page", ["directory", "workspace", "need", "dialogue", "discussion", "agenda", "search"])
def test_each_main_page_is_served_kept_the_same_as_it_was_made(client, thread_cast, page):
    client.force_login(thread_cast.coordinator)
    url = pages(thread_cast)[page]
    client.get(url)  # the CSRF cookie is set: a page is kept for the cookie it was signed for
    made = client.get(url)
    assert not getattr(made, "served_kept", False)
    kept = served_kept(client, url)
    assert same_but_tokens(kept.content) == same_but_tokens(made.content)
    assert kept["Content-Type"] == made["Content-Type"]
    assert kept["Cache-Control"] == made["Cache-Control"]  # private, as the made page


def test_a_new_message_makes_the_discussion_new_for_everyone_who_reads_it(client, thread_cast):
    url = thread_cast.group_thread.get_absolute_url()
    client.force_login(thread_cast.member)
    served_kept(client, url)
    post_message(thread=thread_cast.group_thread, author=thread_cast.coordinator, body="Laddare på plats i maj.")
    response = client.get(url)
    assert not getattr(response, "served_kept", False)
    assert "Laddare på plats i maj." in response.content.decode()


def test_a_bulk_update_makes_the_workspace_new(client, thread_cast):
    """QuerySet.update() sends no signal: the statement itself stamps the table."""
    url = thread_cast.group.get_absolute_url()
    client.force_login(thread_cast.coordinator)
    assert "För små volymer var för sig." in served_kept(client, url).content.decode()
    BuyerGroup.objects.filter(pk=thread_cast.group.pk).update(challenge="Leverantörerna är för få.")
    response = client.get(url)
    assert not getattr(response, "served_kept", False)
    assert "Leverantörerna är för få." in response.content.decode()


def test_a_new_notification_makes_that_persons_pages_new_and_nobody_elses(client, thread_cast):
    """The header's counts are read outside what a kept page records; a check of them stands in
    (home/apps.py): a notification makes its recipient's page new, with the new count, and
    leaves everyone else's kept."""
    url = thread_cast.need.get_absolute_url()
    unread = re.compile(rb'data-unread-count="(\d+)"')
    others = Client()
    others.force_login(thread_cast.member)
    served_kept(others, url)
    client.force_login(thread_cast.coordinator)
    before = int(unread.search(served_kept(client, url).content).group(1))

    notify(kind="mention", recipients=[thread_cast.coordinator], params={"person": "Erik", "thread": "Allmänt"})
    response = client.get(url)
    assert not getattr(response, "served_kept", False)
    assert int(unread.search(response.content).group(1)) == before + 1
    assert getattr(others.get(url), "served_kept", False)


def test_nobody_is_served_another_persons_kept_page(client, thread_cast):
    """The private discussion with one supplier, kept for them: a competing supplier gets 404,
    the group's member who may read it gets their own page, never the supplier's."""
    url = thread_cast.private_thread.get_absolute_url()
    post_message(thread=thread_cast.private_thread, author=thread_cast.supplier, body="Vårt pris är 4 kr per kWh.")
    client.force_login(thread_cast.supplier)
    kept = served_kept(client, url).content.decode()
    assert "Vårt pris är 4 kr per kWh." in kept

    client.logout()
    client.force_login(thread_cast.other_supplier)
    assert client.get(url).status_code == 404
    client.logout()
    client.force_login(thread_cast.coordinator)
    response = client.get(url)
    assert response.status_code == 200 and not getattr(response, "served_kept", False)
    assert response.content != kept.encode()


def test_signing_in_again_is_a_new_session_and_a_new_page(client, thread_cast):
    url = thread_cast.group.get_absolute_url()
    client.force_login(thread_cast.coordinator)
    served_kept(client, url)
    client.logout()
    client.force_login(thread_cast.coordinator)
    assert not getattr(client.get(url), "served_kept", False)


def test_the_time_left_in_a_kept_page_is_this_requests(client, thread_cast, monkeypatch):
    """Signed in nearly a week ago, the session's lifetime is what ends it: a served copy says
    what is left now, not when the page was made."""
    url = thread_cast.group.get_absolute_url()
    client.force_login(thread_cast.coordinator)
    session = client.session
    session[SIGNED_IN_AT] = time.time() - settings.SESSION_LIFETIME_HOURS * 3600 + 3600  # an hour left
    session.save()
    seconds = re.compile(r'data-seconds-left="(\d+)"')
    before = int(seconds.search(served_kept(client, url).content.decode()).group(1))
    assert 3500 <= before <= 3600
    later = time.time() + 30
    monkeypatch.setattr(time, "time", lambda: later)
    response = served_kept(client, url)
    assert response.content.count(b"data-seconds-left=") == 1
    assert before - 40 <= int(seconds.search(response.content.decode()).group(1)) <= before - 25


def test_without_its_csrf_cookie_a_page_is_made_and_signed_for_the_new_cookie(client, thread_cast):
    url = thread_cast.group.get_absolute_url()
    client.force_login(thread_cast.coordinator)
    served_kept(client, url)
    del client.cookies[settings.CSRF_COOKIE_NAME]
    response = client.get(url)
    assert not getattr(response, "served_kept", False)
    assert settings.CSRF_COOKIE_NAME in response.cookies


def test_a_served_page_renews_the_csrf_cookie_as_a_made_one_does(client, thread_cast):
    url = thread_cast.group.get_absolute_url()
    client.force_login(thread_cast.coordinator)
    response = served_kept(client, url)
    assert response.cookies[settings.CSRF_COOKIE_NAME].value == client.cookies[settings.CSRF_COOKIE_NAME].value


def test_a_page_with_a_message_waiting_is_made_with_it_and_not_kept_with_it(client, thread_cast):
    """The message after an action shows once, on the page made for it."""
    client.force_login(thread_cast.coordinator)
    url = thread_cast.group_thread.get_absolute_url()
    served_kept(client, url)
    lock = reverse("threads:thread-lock", args=[thread_cast.group_thread.pk])
    response = client.post(lock, {"reason": "Vi pausar."}, follow=True)
    assert not getattr(response, "served_kept", False)
    assert 'class="message message-success"' in response.content.decode()
    assert 'class="message message-success"' not in served_kept(client, url).content.decode()


def test_settings_changed_makes_every_page_new(client, thread_cast, settings):
    url = thread_cast.group.get_absolute_url()
    client.force_login(thread_cast.coordinator)
    served_kept(client, url)
    settings.SESSION_WARNING_SECONDS = 0  # the page no longer carries the warning
    response = client.get(url)
    assert not getattr(response, "served_kept", False)
    assert "session-timeout" not in response.content.decode()


def test_with_kept_pages_off_every_page_is_made(client, thread_cast, settings):
    settings.KEPT_PAGES_SECONDS = 0
    client.force_login(thread_cast.coordinator)
    url = thread_cast.group.get_absolute_url()
    assert not any(getattr(client.get(url), "served_kept", False) for _ in range(4))


def test_a_visitor_page_is_never_kept(client, thread_cast):
    url = thread_cast.group.get_absolute_url()
    assert not any(getattr(client.get(url), "served_kept", False) for _ in range(4))


def stamp_of(table: str):
    return cache.get(kept_pages.STAMP_PREFIX + table)


@pytest.mark.django_db(transaction=True)
def test_a_write_stamps_its_table_when_its_transaction_commits_and_not_if_it_rolls_back(thread_cast):
    table = Message._meta.db_table
    kept_pages.stamp({table})
    first = stamp_of(table)
    with pytest.raises(RuntimeError), transaction.atomic():
        post_message(thread=thread_cast.group_thread, author=thread_cast.coordinator, body="Ångrat.")
        raise RuntimeError
    assert stamp_of(table) == first
    with transaction.atomic():
        post_message(thread=thread_cast.group_thread, author=thread_cast.coordinator, body="Sparat.")
        assert stamp_of(table) == first  # not before the commit: a page made now reads the old rows
    assert stamp_of(table) > first


@pytest.mark.django_db(transaction=True)
def test_a_savepoint_rolled_back_does_not_lose_the_stamp_of_the_writes_after_it(thread_cast):
    table = Message._meta.db_table
    kept_pages.stamp({table})
    first = stamp_of(table)
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            post_message(thread=thread_cast.group_thread, author=thread_cast.coordinator, body="Ångrat.")
            raise RuntimeError
        post_message(thread=thread_cast.group_thread, author=thread_cast.coordinator, body="Sparat.")
    assert stamp_of(table) > first


@pytest.mark.skipif(not SERVICES, reason="another process shares the cache only through Redis")
@pytest.mark.django_db(transaction=True)
def test_a_write_in_another_process_makes_the_page_new(client, thread_cast):
    """A Celery worker or a management command writes: the web process's kept page is made again."""
    url = thread_cast.group.get_absolute_url()
    client.force_login(thread_cast.coordinator)
    served_kept(client, url)
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
    }
    code = (
        "import django; django.setup()\n"
        "from groups.models import BuyerGroup\n"
        f"BuyerGroup.objects.filter(pk={thread_cast.group.pk}).update(challenge='Skrivet av en annan process.')\n"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=settings.BASE_DIR, timeout=60)
    response = client.get(url)
    assert not getattr(response, "served_kept", False)
    assert "Skrivet av en annan process." in response.content.decode()
