"""The language a dialogue's texts are written in: chosen when it is prepared; in an open
dialogue changing it is no amendment (it is not a term of the dialogue) (WCAG 3.1.2, issue 19)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dialogues.models import Answer, Dialogue
from tests.dialogues.test_amendments import edit

pytestmark = pytest.mark.django_db


def test_a_dialogue_is_prepared_in_the_language_chosen(client, cast, published_need):
    client.force_login(cast.coordinator)
    soon = timezone.localtime() + timedelta(days=10)
    form = client.get(f"/dialogues/group/{cast.group.slug}/new/").content.decode()
    assert 'name="content_language"' in form and "screen readers read them in that language" in form
    response = client.post(
        f"/dialogues/group/{cast.group.slug}/new/",
        {
            "need": published_need.pk,
            "title": "Market dialogue in English",
            "purpose": "Learn from the market",
            "question_deadline": soon.strftime("%Y-%m-%dT%H:%M"),
            "submission_deadline": (soon + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"),
            "answer_days": 5,
            "content_language": "en",
        },
    )
    assert response.status_code == 302
    assert Dialogue.objects.get(title="Market dialogue in English").content_language == "en"


def test_changing_the_language_of_an_open_dialogue_publishes_no_amendment(client, dc):
    assert dc.dialogue.state == Dialogue.State.OPEN
    response = edit(client, dc.coordinator, dc.dialogue, content_language="en")
    assert response.status_code == 302
    assert Dialogue.objects.get(pk=dc.dialogue.pk).content_language == "en"
    assert not Answer.objects.filter(dialogue=dc.dialogue, kind=Answer.Kind.CHANGE).exists()


def test_a_language_that_is_not_a_choice_is_refused_with_a_message(client, dc):
    response = edit(client, dc.coordinator, dc.dialogue, content_language="nb")
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    assert Dialogue.objects.get(pk=dc.dialogue.pk).content_language == "sv"
