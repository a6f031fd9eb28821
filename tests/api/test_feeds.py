"""The Atom feeds of open dialogues and published needs (api/feeds.py), read as a feed reader
reads them: parsed by feedparser, which says (`bozo`) when a feed is not well-formed."""

import re
from datetime import UTC, timedelta

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.formats import date_format

from dialogues.models import Dialogue
from dialogues.services.dialogue import close_dialogue, create_dialogue
from groups.models import BuyerGroup, NeedStatement, NeedVersion
from groups.services.needs import save_need_version
from tests.dialogues.conftest import dc  # noqa: F401 (fixture)
from tests.groups.conftest import FIELDS, REQUIREMENTS, cast, published_need  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

DIALOGUES = "/feeds/dialogues.atom"
NEEDS = "/feeds/needs.atom"


def fetch(client, path, language="en"):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, response.status_code
    return response


def read(client, path, language="en"):
    feed = feedparser.parse(fetch(client, path, language).content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def self_link(feed):
    return next(link.href for link in feed.feed.links if link.rel == "self")


def alternate_link(feed):
    return next(link.href for link in feed.feed.links if link.rel == "alternate")


def parsed_time(moment):
    """A datetime as feedparser gives <updated> back: a UTC time.struct_time, to the second."""
    return moment.astimezone(UTC).replace(microsecond=0).timetuple()[:6]


def draft_dialogue(dc, title="Utkast till dialog"):  # noqa: F811
    now = timezone.now()
    return create_dialogue(
        group=dc.group,
        need=dc.need,
        user=dc.coordinator,
        title=title,
        purpose="Ett utkast.",
        question_deadline=now + timedelta(days=10),
        submission_deadline=now + timedelta(days=20),
    )


# --- the feeds themselves


@pytest.mark.parametrize("path", [DIALOGUES, NEEDS, "/feeds/dialogues/energy.atom", "/feeds/needs/energy.atom"])
def test_a_feed_has_the_required_elements_even_when_empty(client, path):
    feed = read(client, path)
    assert feed.version == "atom10"
    assert feed.feed.id.startswith("tag:")
    assert feed.feed.title
    assert feed.feed.updated_parsed
    assert self_link(feed) == f"http://testserver{path}"
    assert feed.entries == []


def test_anonymous_readers_get_atom_that_caches_may_keep(client):
    response = client.get(DIALOGUES)
    assert response.status_code == 200  # not a redirect to sign in
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "max-age=300"} <= directives
    assert not {"private", "no-store"} & directives


def test_a_signed_in_reader_gets_the_same_entries_kept_private(client, dc):  # noqa: F811
    anonymous = read(client, DIALOGUES)
    client.force_login(dc.supplier_a)
    response = fetch(client, DIALOGUES)
    assert "private" in response["Cache-Control"]
    assert [e.id for e in feedparser.parse(response.content).entries] == [e.id for e in anonymous.entries]


def test_feeds_are_read_not_posted_to(client):
    assert client.post(DIALOGUES).status_code == 405


@pytest.mark.parametrize("path", ["/feeds/dialogues/nonsense.atom", "/feeds/needs/nonsense.atom"])
def test_an_unknown_theme_is_not_found(client, path):
    assert client.get(path).status_code == 404


def test_the_feed_speaks_the_readers_language(client):
    assert read(client, DIALOGUES, "en").feed.language == "en"
    assert read(client, DIALOGUES, "sv").feed.language == "sv"


# --- dialogues


def test_an_open_dialogue_is_an_entry_with_what_its_public_page_shows(client, dc):  # noqa: F811
    dialogue = Dialogue.objects.get(pk=dc.dialogue.pk)
    feed = read(client, DIALOGUES)
    assert feed.feed.updated_parsed[:6] == parsed_time(dialogue.updated_at)
    assert alternate_link(feed) == "http://testserver/dialogues/"
    [entry] = feed.entries
    assert entry.id == f"tag:127.0.0.1,2026:dialogue:{dialogue.pk}"
    assert entry.title == "Dialog om hjullastare"
    assert entry.link == f"http://testserver{dialogue.get_absolute_url()}"
    assert entry.updated_parsed[:6] == parsed_time(dialogue.updated_at)
    assert entry.published_parsed[:6] == parsed_time(dialogue.opened_at)
    assert entry.author == "Fossilfria arbetsmaskiner"
    assert entry.summary_detail.type == "text/plain"
    with translation.override("en"):
        questions = date_format(timezone.localtime(dialogue.question_deadline), "DATETIME_FORMAT")
        proposals = date_format(timezone.localtime(dialogue.submission_deadline), "DATETIME_FORMAT")
    assert entry.summary.splitlines() == [
        "Vi vill veta vilka fossilfria hjullastare som finns.",
        f"Questions until: {questions}",
        f"Proposals until: {proposals}",
        "Buyer group: Fossilfria arbetsmaskiner (Vehicles and transport)",
    ]
    [category] = entry.tags
    assert (category.term, category.label) == ("transport", "Vehicles and transport")


def test_a_long_purpose_is_cut_short(client, dc):  # noqa: F811
    Dialogue.objects.filter(pk=dc.dialogue.pk).update(purpose="ord " * 500)
    summary = read(client, DIALOGUES).entries[0].summary
    assert summary.splitlines()[0].endswith("…")
    assert len(summary) < 1000


def test_the_entry_id_stays_when_the_title_changes_and_updated_moves(client, dc):  # noqa: F811
    before = read(client, DIALOGUES).entries[0]
    dialogue = Dialogue.objects.get(pk=dc.dialogue.pk)
    updated_before = dialogue.updated_at
    dialogue.title = "Dialog om eldrivna hjullastare"
    dialogue.save()
    dialogue.refresh_from_db()
    after = read(client, DIALOGUES).entries[0]
    assert after.id == before.id
    assert after.title == "Dialog om eldrivna hjullastare"
    assert after.updated_parsed[:6] == parsed_time(dialogue.updated_at)
    assert dialogue.updated_at > updated_before


def test_drafts_and_closed_dialogues_are_left_out(client, dc):  # noqa: F811
    draft_dialogue(dc, title="Hemligt utkast")
    closed = draft_dialogue(dc, title="Stängd dialog")
    Dialogue.objects.filter(pk=closed.pk).update(state=Dialogue.State.OPEN, opened_at=timezone.now())
    close_dialogue(dialogue=closed, user=dc.coordinator)
    response = fetch(client, DIALOGUES)
    assert [e.title for e in feedparser.parse(response.content).entries] == ["Dialog om hjullastare"]
    assert b"Hemligt utkast" not in response.content


def test_a_theme_feed_holds_only_that_theme(client, dc):  # noqa: F811
    transport = read(client, "/feeds/dialogues/transport.atom")
    assert [e.title for e in transport.entries] == ["Dialog om hjullastare"]
    assert transport.feed.title == "Open market dialogues: Vehicles and transport"
    assert alternate_link(transport) == "http://testserver/dialogues/?theme=transport"
    assert transport.feed.id != read(client, DIALOGUES).feed.id
    assert read(client, "/feeds/dialogues/energy.atom").entries == []


# --- needs


def test_a_published_need_is_an_entry_with_its_published_version(client, published_need):  # noqa: F811
    need = NeedStatement.objects.get(pk=published_need.pk)
    feed = read(client, NEEDS)
    assert alternate_link(feed) == "http://testserver/groups/"
    [entry] = feed.entries
    assert entry.id == f"tag:127.0.0.1,2026:need:{need.pk}"
    assert entry.title == "Fossilfria hjullastare"
    assert entry.link == f"http://testserver{need.get_absolute_url()}"
    assert entry.updated_parsed[:6] == parsed_time(need.updated_at)
    assert entry.published_parsed[:6] == parsed_time(need.published_at)
    assert entry.author == "Fossilfria arbetsmaskiner"
    assert entry.summary.splitlines() == [
        "Buyer group: Fossilfria arbetsmaskiner (Vehicles and transport)",
        "Version 1",
        "2 functional requirements",
    ]
    assert [(t.term, t.label) for t in entry.tags] == [("transport", "Vehicles and transport")]


def test_an_unpublished_need_is_left_out(client, cast):  # noqa: F811
    response = fetch(client, NEEDS)
    assert feedparser.parse(response.content).entries == []
    assert b"Fossilfria hjullastare" not in response.content


def test_a_newer_unpublished_version_never_shows(client, published_need, cast):  # noqa: F811
    save_need_version(
        need=published_need,
        user=cast.coordinator,
        fields={**FIELDS, "title": "Hemlig ny titel"},
        requirements=REQUIREMENTS,
        change_note="v2",
        base_version_number=1,
    )
    response = fetch(client, NEEDS)
    [entry] = feedparser.parse(response.content).entries
    assert entry.title == "Fossilfria hjullastare"
    assert "Version 1" in entry.summary
    assert b"Hemlig ny titel" not in response.content


def test_a_need_theme_feed_holds_only_that_theme(client, published_need):  # noqa: F811
    transport = read(client, "/feeds/needs/transport.atom")
    assert [e.title for e in transport.entries] == ["Fossilfria hjullastare"]
    assert transport.feed.title == "Published needs: Vehicles and transport"
    assert alternate_link(transport) == "http://testserver/groups/?theme=transport"
    assert read(client, "/feeds/needs/food.atom").entries == []


# --- the number of queries does not grow with the entries


def grow_dialogues(dc, n):  # noqa: F811
    """n more open dialogues, each in a group of its own."""
    start = Dialogue.objects.count()
    for i in range(start, start + n):
        group = BuyerGroup.objects.create(
            name=f"Grupp {i}", slug=f"grupp-{i}", theme="energy", summary="S", challenge="C"
        )
        Dialogue.objects.create(
            group=group,
            need=dc.need,
            title=f"Dialog {i}",
            purpose="P",
            question_deadline=dc.dialogue.question_deadline,
            submission_deadline=dc.dialogue.submission_deadline,
            state=Dialogue.State.OPEN,
            opened_at=timezone.now(),
        )


def grow_needs(cast, n):  # noqa: F811
    """n more published needs, each in a group of its own."""
    start = NeedStatement.objects.count()
    for i in range(start, start + n):
        group = BuyerGroup.objects.create(
            name=f"Grupp {i}", slug=f"grupp-{i}", theme="energy", summary="S", challenge="C"
        )
        need = NeedStatement.objects.create(
            group=group, state=NeedStatement.State.PUBLISHED, published_at=timezone.now()
        )
        version = NeedVersion.objects.create(
            need=need, number=1, title=f"Behov {i}", change_note="v1", requirements=REQUIREMENTS
        )
        NeedStatement.objects.filter(pk=need.pk).update(current_version=version, published_version=version)


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        fetch(client, path)
    return len(queries)


@pytest.mark.parametrize(("path", "grow"), [(DIALOGUES, grow_dialogues), (NEEDS, grow_needs)])
def test_the_query_count_does_not_grow_with_the_entries(client, dc, path, grow):  # noqa: F811
    grow(dc, 2)
    small = count_queries(client, path)
    grow(dc, 27)
    assert len(read(client, path).entries) >= 30
    assert count_queries(client, path) == small <= 3


# --- the HTML lists point to their feeds


def autodiscovery(html: str) -> list[str]:
    return re.findall(r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="([^"]+)">', html)


@pytest.mark.parametrize(
    ("page", "feed", "theme_feed", "link_text"),
    [
        ("/dialogues/", DIALOGUES, "/feeds/dialogues/energy.atom", "Subscribe to new dialogues (Atom feed)"),
        ("/groups/", NEEDS, "/feeds/needs/energy.atom", "Subscribe to newly published needs (Atom feed)"),
    ],
)
def test_a_list_offers_its_feed_and_its_themes(client, page, feed, theme_feed, link_text):
    html = client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert autodiscovery(html) == [feed]
    assert link_text in html
    html = client.get(page + "?theme=energy", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert autodiscovery(html) == [feed, theme_feed]
    assert f'<a href="{theme_feed}" type="application/atom+xml">' in html
    response = client.get(page + "?theme=%3Cscript%3E", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert autodiscovery(response.content.decode()) == [feed]
