"""The dialogue permission tests that change something first (a declaration, a published
record, supplier B's attempts to post): each builds its own world (test_permissions.py)."""

import pytest

from dialogues.services.record import publish_public_record
from tests.dialogues.test_permissions import A_IDENTITY, build_world, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(declared, question_a, submission_a):
    return build_world(declared, question_a, submission_a)


def test_member_who_declared_a_conflict_cannot_open_proposals(client, world, submission_a):
    from dialogues.services.declarations import declare_conflict

    dc = world.dc
    declare_conflict(dialogue=dc.dialogue, user=dc.member, has_conflict=True, description="Min bror äger Solvent.")
    client.force_login(dc.member)
    response = client.get(world.urls["submission_of_a"])
    assert response.status_code == 403
    assert b"conflict of interest" in response.content


def test_member_without_a_declaration_cannot_open_proposals(client, dc, submission_a):
    client.force_login(dc.member)
    response = client.get(f"/dialogues/{dc.dialogue.pk}/submissions/{submission_a.pk}/")
    assert response.status_code == 403
    assert b"Declare whether you have a conflict of interest" in response.content


def test_b_posting_to_a_question_or_proposal_changes_nothing(client, world, question_a, submission_a):
    dc = world.dc
    d = dc.dialogue.pk
    client.force_login(dc.supplier_b)
    assert client.post(f"/dialogues/{d}/answers/{world.draft.pk}/publish/").status_code == 404
    assert client.post(f"/dialogues/{d}/meetings/{world.slot.pk}/cancel/").status_code == 403
    world.slot.refresh_from_db()
    assert world.slot.organisation == dc.solvent


def test_the_published_public_record_names_no_supplier(client, world):
    dc = world.dc
    from dialogues.record import build_record

    publish_public_record(
        dialogue=dc.dialogue, user=dc.coordinator, public_record=build_record(dc.dialogue, public=True)
    )
    for role in ("visitor", "supplier_b"):
        client.logout()
        response = client_for(client, dc, role).get(f"/dialogues/{dc.dialogue.pk}/summary/")
        assert response.status_code == 200
        body = response.content.decode()
        assert "Hur många drifttimmar per år?" in body
        for name in (*A_IDENTITY, "Nordlys", "Batterikemin", "Hemligt förslag"):
            assert name not in body
