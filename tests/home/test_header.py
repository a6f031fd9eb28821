"""The header every page shares (templates/base.html): its menu is kept per language and per
what changes it (core/fragments.py), its counts are the person's own on every request, and its
unread count and moderation link come from one written-out query (home/context_processors.py)
that must say what the querysets say (issue 22)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from home.context_processors import HeaderFigures
from moderation.access import is_any_moderator
from notifications.models import Notification
from notifications.services import mark_read
from tests.notifications.test_views import join_request

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def menu(html: str) -> str:
    return html[html.index('<nav aria-label="Main">') : html.index("</nav>")]


def unread(html: str) -> int:
    return int(re.search(r'data-unread-count="(\d+)"', html).group(1))


def test_each_person_gets_the_menu_of_their_roles_whoever_came_first(client, cast):
    """The coordinator, a member, a facilitator and a visitor on the same page one after the other."""
    client.force_login(cast.coordinator)
    coordinator = menu(client.get("/groups/", **EN).content.decode())
    client.force_login(cast.member)
    member = menu(client.get("/groups/", **EN).content.decode())
    client.force_login(cast.facilitator)
    facilitator = menu(client.get("/groups/", **EN).content.decode())
    client.logout()
    visitor = menu(client.get("/groups/", **EN).content.decode())
    assert ">Moderation<" in coordinator and "Facilitator console" not in coordinator
    assert ">Moderation<" not in member and "Facilitator console" not in member and "Sign out" in member
    assert ">Moderation<" in facilitator and "Facilitator console" in facilitator and "Audit log" in facilitator
    assert "Sign in" in visitor and "Sign out" not in visitor and "Notifications" not in visitor


def test_the_current_page_is_marked_on_each_page(client, cast):
    client.force_login(cast.member)
    groups = menu(client.get("/groups/", **EN).content.decode())
    dialogues = menu(client.get("/dialogues/", **EN).content.decode())
    profile = menu(client.get(reverse("accounts:profile"), **EN).content.decode())
    assert f'href="{reverse("groups:group-list")}" aria-current="page">Buyer groups' in groups
    assert f'href="{reverse("dialogues:dialogue-list")}" aria-current="page">' not in groups
    assert f'href="{reverse("dialogues:dialogue-list")}" aria-current="page">Market dialogues' in dialogues
    assert 'aria-current="page">Buyer groups' not in dialogues
    assert 'aria-current="page">Profile' in profile and profile.count('aria-current="page"') == 1


def test_the_menu_is_in_the_pages_language(client, cast):
    swedish = client.get("/groups/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    english = client.get("/groups/", **EN).content.decode()
    assert "Huvudmeny" in swedish and "Logga in" in swedish and "Sign in" not in swedish
    assert "Sign in" in english and "Logga in" not in english


def test_the_unread_count_and_the_forms_are_the_persons_own_on_every_page(client, cast):
    client.force_login(cast.member)
    before = unread(client.get("/groups/").content.decode())
    first = join_request(cast.member)
    join_request(cast.member, group="Vindkraft")
    join_request(cast.coordinator)
    assert unread(client.get("/groups/").content.decode()) == before + 2
    mark_read(user=cast.member, notification_ids=[first.pk])
    html = client.get("/groups/?q=x").content.decode()
    assert unread(html) == before + 1
    assert 'name="next" value="/groups/?q=x"' in html  # the language form returns to this address
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    client.force_login(cast.coordinator)
    other = client.get("/groups/").content.decode()
    assert unread(other) == Notification.objects.unread().filter(recipient=cast.coordinator).count()
    assert token not in other


@pytest.mark.parametrize("role", ["coordinator", "member", "observer", "facilitator", "supplier", "stranger"])
def test_the_header_query_says_what_the_querysets_say(cast, role):
    person = getattr(cast, role)
    join_request(person)
    join_request(person, group="Vindkraft")
    mark_read(user=person, notification_ids=[Notification.objects.filter(recipient=person).first().pk])
    person.is_facilitator  # noqa: B018 (read with the person's affiliations, as every request has)
    figures = HeaderFigures(person)
    with CaptureQueriesContext(connection) as queries:
        count, moderates = figures.count, figures.is_moderator
    assert count == Notification.objects.unread().filter(recipient=person).count() >= 1
    assert moderates == is_any_moderator(person)
    assert len(queries) == 1


def test_a_visitor_has_no_header_query(cast):
    from django.contrib.auth.models import AnonymousUser

    figures = HeaderFigures(AnonymousUser())
    with CaptureQueriesContext(connection) as queries:
        assert figures.count == 0 and not figures.is_moderator
    assert not queries
