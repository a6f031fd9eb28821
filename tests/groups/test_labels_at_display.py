"""Codes kept in snapshots read in the reader's language, figures in the reader's number format
(issue 19): the commitment history of a need statement and the requirements' priorities."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from audit.models import Action
from dialogues.models import SubmissionAccess
from groups.models import Endorsement, Priority
from groups.services.needs import save_endorsement

pytestmark = pytest.mark.django_db


def commitment_history_page(cast, language) -> str:
    cast.member.language = language
    cast.member.save(update_fields=["language"])
    for commitment in (Endorsement.Commitment.INTERESTED, Endorsement.Commitment.COMMITTED):
        save_endorsement(
            need=cast.need,
            organisation=cast.lund,
            user=cast.member,
            commitment=commitment,
            quantity=Decimal("10.00"),
            unit="maskiner",
            budget_min=14000000,
            budget_max=18000000,
        )
    client = Client()
    client.force_login(cast.member)
    response = client.get(reverse("groups:endorsement-edit", args=[cast.group.slug, cast.need.pk, cast.lund.pk]))
    assert response.status_code == 200
    return response.content.decode()


def history_rows(html: str) -> str:
    return html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]


def test_commitment_history_shows_the_states_labels_in_swedish(cast):
    rows = history_rows(commitment_history_page(cast, "sv"))
    with translation.override("sv"):
        interested, committed = (
            str(c.label) for c in (Endorsement.Commitment.INTERESTED, Endorsement.Commitment.COMMITTED)
        )
    assert f"<td>{interested}</td>" in rows and f"<td>{committed}</td>" in rows
    assert "<td>interested</td>" not in rows and "<td>committed</td>" not in rows


def test_commitment_history_writes_figures_as_swedish_does(cast):
    rows = history_rows(commitment_history_page(cast, "sv"))
    assert "14\xa0000\xa0000–18\xa0000\xa0000" in rows  # grouped by (non-breaking) spaces
    assert "<td>10 maskiner</td>" in rows  # no ".00"
    assert "14000000" not in rows and "10.00" not in rows


def test_commitment_history_writes_figures_as_english_does(cast):
    rows = history_rows(commitment_history_page(cast, "en"))
    assert "14,000,000–18,000,000" in rows
    assert "<td>Interested</td>" in rows and "<td>10 maskiner</td>" in rows


def record_page(language, **record) -> str:
    version = {"version": 1, "title": "Hjullastare", "published_to_dialogue_at": None}
    requirements = [{"number": "R1", "priority": "must", "text": "Åtta timmar"}]
    requirements.append({"number": "R2", "priority": "should", "text": "Tyst"})
    record = {"dialogue": {}, "need_versions": [{**version, "requirements": requirements}], **record}
    with translation.override(language):
        return render_to_string("dialogues/_record_body.html", {"record": record})


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_record_names_requirements_priorities_in_the_readers_language(language):
    html = record_page(language)
    with translation.override(language):
        must, should = str(Priority.MUST.label), str(Priority.SHOULD.label)
    assert f"R1 ({must}): Åtta timmar" in html and f"R2 ({should}): Tyst" in html
    assert "(must)" not in html and "(should)" not in html


def test_the_records_access_log_and_moderation_read_in_swedish():
    access = {"person": "Anna", "action": "download", "attachment": "pris.txt", "organisation": "Solvent AB"}
    moderation = {"discussion": "Dialogens diskussion", "action": "hidden", "moderator": "Anna", "reason": "Ton"}
    html = record_page("sv", version="full", proposal_access_log=[access], moderation_actions=[moderation])
    with translation.override("sv"):
        downloaded, hid = str(SubmissionAccess.Action.DOWNLOAD.label), str(Action.CONTENT_HIDDEN.label)
    assert f"<td>{downloaded}: pris.txt</td>" in html
    assert f"Dialogens diskussion: {hid}" in html
    assert "<td>download" not in html and ": hidden<" not in html
