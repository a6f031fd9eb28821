"""The API shows nothing that is not on a public page: for every object the API gives, each field
is compared with what an anonymous visitor sees on the object's own page (and, for a dialogue,
on its public record). A field added to the API that the page does not show fails here."""

import html
import re

import pytest
from django.test import Client
from django.utils import translation

from accounts.models import County, Organisation
from dialogues.models import Answer
from dialogues.record import build_record
from dialogues.services.answers import publish_clarification
from dialogues.services.record import publish_public_record
from groups.models import BuyerGroup, Priority, Stage, Theme
from groups.services.needs import save_endorsement
from tests.dialogues.conftest import ask_question_a

pytestmark = pytest.mark.django_db

# Fields that are addresses, ids and times the page shows in its own form, or metadata for
# machines (when the public view last changed; the language the texts are written in, which the
# page gives as a lang attribute). Everything else must be visible.
NOT_TEXT = {"id", "url", "web_url", "slug", "updated_at", "content_language", "published_at"}
NOT_TEXT_IN = {
    "opened_at",
    "closed_at",
    "question_deadline",
    "submission_deadline",
    "registered_at",
    "withdrawn_at",
    "ended_on",
    "advertised_on",
    "earliest_start",
    "latest_start",
}
LABELS = {
    "theme": Theme,
    "stage": Stage,
    "priority": Priority,
    "kind": Organisation.Kind,
    "outcome": BuyerGroup.Outcome,
    "county": County,
}


def page_text(client, url) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, url
    main = response.content.decode().split("<main", 1)[1]
    text = html.unescape(re.sub(r"<[^>]+>", " ", main))
    return re.sub(r"\s+", " ", text)


def normal(value) -> str:
    return re.sub(r"\s+", " ", str(value)).strip()


def leaves(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        for item in value:
            yield from leaves(item, path)
    else:
        yield path, value


def assert_shown(api_object: dict, text: str) -> int:
    """Every field of api_object is in text; returns how many were compared."""
    compared = 0
    for path, value in leaves(api_object):
        key = path[-1]
        if key in NOT_TEXT or key in NOT_TEXT_IN or value in (None, "", [], {}):
            continue
        if key in LABELS:
            labels = Answer.Kind if "answers" in path else LABELS[key]
            with translation.override("en"):
                shown = str(labels(value).label)
        elif isinstance(value, bool):
            continue  # checked one by one below: a yes/no is a sentence on the page
        elif isinstance(value, float):
            shown = f"{value:g}"
        else:
            shown = normal(value)
        assert shown in text, f"{'.'.join(path)} = {value!r} is not on the public page"
        compared += 1
    return compared


@pytest.fixture
def public_world(dc):
    save_endorsement(need=dc.need, organisation=dc.lund, user=dc.member, commitment="committed", quantity=12, unit="st")
    ask_question_a(dc)  # unanswered: the group's and the asker's only
    with translation.override("en"):
        publish_clarification(
            dialogue=dc.dialogue,
            user=dc.coordinator,
            body="Alla svar gäller version 1.",
            question_text="Vilken version?",
        )
        publish_public_record(
            dialogue=dc.dialogue, user=dc.coordinator, public_record=build_record(dc.dialogue, public=True)
        )
    return dc


def all_objects(client, kind) -> list[dict]:
    url, objects = f"/api/v1/{kind}/?limit=100", []
    while url:
        page = client.get(url).json()
        objects += page["results"]
        url = page["next"]
    return objects


def test_every_group_field_is_on_the_groups_public_page(public_world):
    client = Client()
    groups = all_objects(client, "groups")
    assert groups
    for group in groups:
        text = page_text(client, group["web_url"])
        assert assert_shown(group, text) >= 6
        open_text = "Open for new members" if group["open_for_members"] else "Closed for new members"
        assert group["ended"] or open_text in text
        shown_links = client.get(group["web_url"]).content.decode()
        for reference in group["published_needs"] + group["open_dialogues"]:
            assert reference["web_url"].removeprefix("http://testserver") in shown_links


def test_every_need_field_is_on_the_needs_public_page(public_world):
    client = Client()
    needs = all_objects(client, "needs")
    assert needs
    for need in needs:
        text = page_text(client, need["web_url"])
        assert assert_shown(need, text) >= 8
        assert need["aggregate_demand"]["committed_authorities"] == 1


def test_every_dialogue_field_is_on_the_dialogues_public_pages(public_world):
    client = Client()
    dialogues = all_objects(client, "dialogues")
    assert dialogues
    for dialogue in dialogues:
        record = dialogue["public_record"]
        text = page_text(client, dialogue["web_url"])
        if record:
            text += " " + page_text(client, record["web_url"])
        assert assert_shown(dialogue, text) >= 10
    record = dialogues[0]["public_record"]
    assert [answer["answer"] for answer in record["answers"]] == ["Alla svar gäller version 1."]


def test_nothing_private_reaches_the_api(public_world):
    """What the group keeps to itself: who committed what, questions as asked, who takes part."""
    client = Client()
    everything = str([all_objects(client, kind) for kind in ("groups", "needs", "dialogues")])
    for private in ("Solvent Energi AB", "Nordlys Teknik AB", "sara@solvent.se", "Anna Samordnare", "batteribyte"):
        assert private not in everything
