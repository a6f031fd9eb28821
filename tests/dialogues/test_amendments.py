"""Every change to an open dialogue is an amendment (issue 16, finding 3): saving it needs a
reason and publishes ONE numbered entry (old → new, the reason) to every participant at once,
in-app and by e-mail. Deadlines never move into the past, and moving one earlier leaves at least
the minimum notice unless a facilitator approves. Drafts stay freely editable; closed
dialogues stay unchangeable."""

from datetime import UTC, timedelta

import pytest
import time_machine
from django.utils import timezone
from django.utils.formats import date_format

from audit.models import Action, AuditEntry
from dialogues.models import Answer, Dialogue, Question
from dialogues.services.dialogue import close_dialogue, create_dialogue
from groups.models import NeedStatement
from groups.services.needs import move_need, save_need_version
from notifications.models import Notification
from tests.groups.conftest import FIELDS, REQUIREMENTS

pytestmark = pytest.mark.django_db


def utc(moment) -> str:
    return moment.astimezone(UTC).isoformat()


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def edit(client, user, dialogue, **changes):
    """POST the edit form as the browser would: every field as shown, with `changes` on top."""
    data = {
        "need": dialogue.need_id,
        "title": dialogue.title,
        "purpose": dialogue.purpose,
        "schedule": dialogue.schedule,
        "meeting_plan": dialogue.meeting_plan,
        "question_deadline": local(dialogue.question_deadline),
        "submission_deadline": local(dialogue.submission_deadline),
        "answer_days": dialogue.answer_days,
        "reason": "",
    }
    for name, value in changes.items():
        data[name] = local(value) if hasattr(value, "astimezone") else value
    client.force_login(user)
    return client.post(f"/dialogues/{dialogue.pk}/edit/", data)


def amendments(dialogue):
    return list(Answer.objects.filter(dialogue=dialogue, kind=Answer.Kind.CHANGE))


def told(kind="dialogue_amended"):
    return set(Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True))


def test_a_coordinator_cannot_move_the_last_day_for_questions_to_two_minutes_ahead(client, dc):
    before = dc.dialogue.question_deadline
    response = edit(
        client,
        dc.coordinator,
        dc.dialogue,
        question_deadline=timezone.now() + timedelta(minutes=2),
        reason="Vi har fått nog med frågor.",
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "at least 2 working days from now" in body
    assert "Only a facilitator can approve a shorter notice." in body
    assert "Vi har fått nog med frågor." in body  # the reason typed is kept
    dc.dialogue.refresh_from_db()
    assert dc.dialogue.question_deadline == before
    assert amendments(dc.dialogue) == [] and told() == set()


@pytest.mark.parametrize("who", ["coordinator", "facilitator"])
def test_a_deadline_cannot_move_into_the_past_even_with_a_facilitators_approval(client, dc, who):
    before = dc.dialogue.question_deadline
    response = edit(
        client,
        getattr(dc, who),
        dc.dialogue,
        question_deadline=timezone.now() - timedelta(days=1),
        reason="Fel datum.",
        approve_short_notice="on",
    )
    assert response.status_code == 400
    assert "Choose a time in the future." in response.content.decode()
    dc.dialogue.refresh_from_db()
    assert dc.dialogue.question_deadline == before and amendments(dc.dialogue) == []


def test_a_coordinator_cannot_approve_a_shorter_notice_by_posting_the_facilitators_box(client, dc):
    response = edit(
        client,
        dc.coordinator,
        dc.dialogue,
        submission_deadline=timezone.now() + timedelta(days=1),
        question_deadline=timezone.now() + timedelta(hours=20),
        reason="Budgeten kräver det.",
        approve_short_notice="on",
    )
    assert response.status_code == 400
    assert "Only a facilitator can approve a shorter notice." in response.content.decode()
    assert amendments(dc.dialogue) == []


def test_a_facilitator_needs_to_tick_the_approval_for_a_shorter_notice(client, dc):
    response = edit(
        client,
        dc.facilitator,
        dc.dialogue,
        question_deadline=timezone.now() + timedelta(days=1),
        reason="Upphandlingen tidigareläggs.",
    )
    assert response.status_code == 400
    assert "I approve the shorter notice as facilitator" in response.content.decode()
    assert amendments(dc.dialogue) == []


def test_a_facilitator_approves_a_shorter_notice_and_suppliers_are_held_to_the_new_deadline(client, dc):
    new_deadline = (timezone.now() + timedelta(days=1)).replace(second=0, microsecond=0)
    response = edit(
        client,
        dc.facilitator,
        dc.dialogue,
        question_deadline=new_deadline,
        reason="Upphandlingen tidigareläggs.",
        approve_short_notice="on",
    )
    assert response.status_code == 302
    [amendment] = amendments(dc.dialogue)
    [change] = amendment.changes
    assert change["field"] == "question_deadline"
    assert change["short_notice_approved_by"] == dc.facilitator.display_name
    audit = AuditEntry.objects.get(action=Action.DIALOGUE_AMENDED)
    assert "shorter notice approved by a facilitator" in audit.detail
    dc.dialogue.refresh_from_db()
    assert dc.dialogue.question_deadline == new_deadline
    with time_machine.travel(new_deadline + timedelta(minutes=1)):
        client.force_login(dc.supplier_b)
        response = client.post(
            f"/dialogues/{dc.dialogue.pk}/questions/", {"organisation": dc.nordlys.pk, "text": "En sen fråga?"}
        )
    assert response.status_code == 400
    assert "The group can no longer take questions in this dialogue." in response.content.decode()
    assert not Question.objects.exists()


def test_a_change_without_a_reason_is_refused_and_what_was_typed_is_kept(client, dc):
    response = edit(client, dc.coordinator, dc.dialogue, purpose="Vi vill också veta mer om laddinfrastruktur.")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Say why the dialogue changes" in body
    assert "Vi vill också veta mer om laddinfrastruktur." in body
    dc.dialogue.refresh_from_db()
    assert "laddinfrastruktur" not in dc.dialogue.purpose
    assert amendments(dc.dialogue) == []


def test_the_form_says_that_saving_publishes_an_amendment_to_every_participant(client, dc):
    client.force_login(dc.coordinator)
    body = client.get(f"/dialogues/{dc.dialogue.pk}/edit/").content.decode()
    assert "saving a change publishes a numbered amendment, with your reason, to all 2 participants" in body


def test_a_valid_change_publishes_one_numbered_amendment_to_every_participant_at_once(
    client, dc, question_a, mailoutbox, deliver_outbox
):
    old = dc.dialogue.question_deadline
    new = (old + timedelta(days=7)).replace(second=0, microsecond=0)
    response = edit(
        client,
        dc.coordinator,
        dc.dialogue,
        question_deadline=new,
        answer_days=7,
        reason="Fler leverantörer har bett om mer tid.",
    )
    assert response.status_code == 302
    [amendment] = amendments(dc.dialogue)
    assert amendment.number == 1 and amendment.published_at is not None
    assert amendment.published_by == dc.coordinator
    assert amendment.body == "Fler leverantörer har bett om mer tid."
    assert amendment.changes == [
        {"field": "question_deadline", "label": "last day for questions", "old": utc(old), "new": utc(new)},
        {"field": "answer_days", "label": "promised answer time (working days)", "old": 5, "new": 7},
    ]
    message = client.get(response["Location"]).content.decode()
    assert "Amendment no. 1 is published to 2 participants." in message

    # Everyone at once: the participants' people and the group's member users (not the author).
    assert told() == {dc.supplier_a.email, dc.supplier_b.email, dc.member.email}
    assert set(Notification.objects.filter(kind="dialogue_amended").values_list("params__variant", flat=True)) == {
        "change"
    }
    assert len({n.created_at for n in Notification.objects.filter(kind="dialogue_amended")}) == 1
    deliver_outbox()
    mailed = {address for mail in mailoutbox for address in mail.to}
    assert {dc.supplier_a.email, dc.supplier_b.email, dc.member.email} <= mailed
    assert AuditEntry.objects.filter(action=Action.DIALOGUE_AMENDED, reason=amendment.body).count() == 1

    # Each supplier reads it in the numbered list, old → new in its own language's format.
    client.force_login(dc.supplier_b)
    page = client.get(f"/dialogues/{dc.dialogue.pk}/questions/").content.decode()
    old_shown = date_format(timezone.localtime(old), "DATETIME_FORMAT")
    new_shown = date_format(timezone.localtime(new), "DATETIME_FORMAT")
    assert f"Amendment no. 1: last day for questions: {old_shown} → {new_shown}" in page
    assert "Fler leverantörer har bett om mer tid." in page
    assert "Amendment no. 1" in client.get(f"/dialogues/{dc.dialogue.pk}/").content.decode()
    # Search names it for what it is, not as an answer.
    found = client.get("/search/", {"q": "leverantörer bett", "kind": "answers"}).content.decode()
    assert "Amendment no. 1" in found and "Answer 1" not in found
    # The next entry continues the same series.
    dc.dialogue.refresh_from_db()
    edit(client, dc.coordinator, dc.dialogue, title="Dialog om fossilfria hjullastare", reason="Tydligare titel.")
    assert [a.number for a in amendments(dc.dialogue)] == [1, 2]


def test_a_supplier_shut_out_by_a_passed_deadline_may_ask_again_once_it_is_extended(client, dc):
    Dialogue.objects.filter(pk=dc.dialogue.pk).update(question_deadline=timezone.now() - timedelta(hours=1))
    client.force_login(dc.supplier_b)
    refused = client.post(f"/dialogues/{dc.dialogue.pk}/questions/", {"organisation": dc.nordlys.pk, "text": "Får vi?"})
    assert refused.status_code == 400
    dc.dialogue.refresh_from_db()
    response = edit(
        client,
        dc.coordinator,
        dc.dialogue,
        question_deadline=timezone.now() + timedelta(days=5),
        reason="Vi öppnar för frågor igen.",
    )
    assert response.status_code == 302
    client.force_login(dc.supplier_b)
    asked = client.post(f"/dialogues/{dc.dialogue.pk}/questions/", {"organisation": dc.nordlys.pk, "text": "Får vi?"})
    assert asked.status_code == 302
    assert Question.objects.filter(text="Får vi?").exists()


def test_saving_without_changing_anything_publishes_nothing(client, dc):
    # The deadlines come back from the form without their seconds: that is no change either.
    response = edit(client, dc.coordinator, dc.dialogue)
    assert response.status_code == 302
    assert amendments(dc.dialogue) == [] and told() == set()


def test_questions_closing_after_proposals_is_a_form_error_not_a_crash(client, dc):
    response = edit(
        client,
        dc.coordinator,
        dc.dialogue,
        question_deadline=dc.dialogue.submission_deadline + timedelta(days=3),
        reason="Mer tid för frågor.",
    )
    assert response.status_code == 400
    assert "The deadline for proposals must be after the last day for questions." in response.content.decode()
    assert amendments(dc.dialogue) == []


def test_an_amendment_naming_a_supplier_is_held_back_until_overridden_with_a_reason(client, dc):
    reason = "Solvent Energi AB bad om mer tid."
    new = dc.dialogue.submission_deadline + timedelta(days=7)
    response = edit(client, dc.coordinator, dc.dialogue, submission_deadline=new, reason=reason)
    assert response.status_code == 409
    body = response.content.decode()
    assert "The texts identify a supplier taking part." in body
    assert reason in body and 'name="override_reason"' in body
    assert amendments(dc.dialogue) == []
    response = edit(
        client,
        dc.coordinator,
        dc.dialogue,
        submission_deadline=new,
        reason=reason,
        override_reason="Leverantören vill själv att det står så.",
    )
    assert response.status_code == 302
    assert len(amendments(dc.dialogue)) == 1
    assert AuditEntry.objects.filter(action=Action.IDENTITY_CHECK_OVERRIDDEN).count() == 1


def test_a_draft_is_edited_freely_and_publishes_nothing(client, dc, published_need):
    now = timezone.now()
    draft = create_dialogue(
        group=dc.group,
        need=published_need,
        user=dc.coordinator,
        title="Utkast",
        purpose="Syfte",
        question_deadline=now + timedelta(days=10),
        submission_deadline=now + timedelta(days=20),
    )
    response = edit(client, dc.coordinator, draft, title="Nytt utkast", question_deadline=now + timedelta(hours=3))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Nytt utkast"
    assert not Answer.objects.filter(dialogue=draft).exists() and told() == set()


def test_a_closed_dialogue_cannot_be_changed(client, dc):
    close_dialogue(dialogue=dc.dialogue, user=dc.coordinator)
    response = edit(client, dc.coordinator, dc.dialogue, title="Ändrad", reason="Sent påkommet.")
    assert response.status_code == 400
    dc.dialogue.refresh_from_db()
    assert dc.dialogue.title != "Ändrad" and amendments(dc.dialogue) == []


def test_republishing_the_need_publishes_an_amendment_to_every_participant(client, dc):
    need = NeedStatement.objects.get(pk=dc.need.pk)
    save_need_version(
        need=need,
        user=dc.coordinator,
        fields={**FIELDS, "background": "Ny bakgrund"},
        requirements=[{**r, "number": i + 1} for i, r in enumerate(REQUIREMENTS)],
        change_note="Bakgrunden är omskriven.",
        base_version_number=1,
    )
    move_need(need=need, user=dc.coordinator, to_state=NeedStatement.State.PUBLISHED)
    [amendment] = amendments(dc.dialogue)
    assert amendment.changes == [{"field": "need_version", "label": "need statement version", "old": 1, "new": 2}]
    assert amendment.body == "Bakgrunden är omskriven."
    assert told() == {dc.supplier_a.email, dc.supplier_b.email, dc.member.email}
    client.force_login(dc.supplier_a)
    page = client.get(f"/dialogues/{dc.dialogue.pk}/questions/").content.decode()
    assert "Amendment no. 1: need statement version: version 1 → version 2" in page
