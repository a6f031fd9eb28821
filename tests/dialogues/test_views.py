"""The dialogue through its pages: what each form does, and bad input — a clear message in
the user's language, nothing the user typed lost, never a 500."""

import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from dialogues.models import (
    Answer,
    ConflictDeclaration,
    Dialogue,
    MeetingSlot,
    Question,
    SubmissionAccess,
    supplier_label,
)
from dialogues.services.answers import save_answer_draft
from dialogues.services.meetings import add_meeting_slots, book_meeting_slot
from groups.models import NeedStatement, ProcedureChoice
from groups.services.needs import move_need, save_need_version
from tests.groups.conftest import FIELDS, REQUIREMENTS

pytestmark = pytest.mark.django_db


def url(dc, suffix=""):
    return f"/dialogues/{dc.dialogue.pk}/{suffix}"


# --- Creating, opening, closing ----------------------------------------------------------


def test_a_coordinator_prepares_and_opens_a_dialogue(client, cast, published_need):
    client.force_login(cast.coordinator)
    soon = timezone.localtime() + timedelta(days=10)
    response = client.post(
        f"/dialogues/group/{cast.group.slug}/new/",
        {
            "need": published_need.pk,
            "title": "Ny dialog",
            "purpose": "Lära oss om marknaden",
            "question_deadline": soon.strftime("%Y-%m-%dT%H:%M"),
            "submission_deadline": (soon + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"),
            "answer_days": 5,
        },
    )
    dialogue = Dialogue.objects.get(title="Ny dialog")
    assert response["Location"] == dialogue.get_absolute_url()
    assert dialogue.state == Dialogue.State.DRAFT
    client.post(f"/dialogues/{dialogue.pk}/state/", {"action": "open"})
    assert Dialogue.objects.get(pk=dialogue.pk).state == Dialogue.State.OPEN


def test_deadlines_in_the_wrong_order_are_refused_and_the_text_kept(client, cast, published_need):
    client.force_login(cast.coordinator)
    soon = timezone.localtime() + timedelta(days=10)
    response = client.post(
        f"/dialogues/group/{cast.group.slug}/new/",
        {
            "need": published_need.pk,
            "title": "Min titel",
            "purpose": "Mitt långa syfte",
            "question_deadline": soon.strftime("%Y-%m-%dT%H:%M"),
            "submission_deadline": (soon - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "answer_days": 5,
        },
    )
    assert response.status_code == 400
    assert "The deadline for proposals must be after the last day for questions." in response.content.decode()
    assert "Mitt långa syfte" in response.content.decode()
    assert not Dialogue.objects.filter(title="Min titel").exists()


def test_a_group_without_a_published_need_is_told_to_publish_first(client, cast):
    client.force_login(cast.coordinator)
    response = client.get(f"/dialogues/group/{cast.group.slug}/new/", follow=True)
    assert "Publish a need statement first" in response.content.decode()


def test_closing_then_recording_the_procurement_as_advertised(client, dc):
    client.force_login(dc.coordinator)
    choice = {"procedure": "open", "rationale": "Öppet förfarande", "status": "advertised", "legal_vehicle": "joint"}
    response = client.post(f"/groups/{dc.group.slug}/procedure/", choice)
    assert response.status_code == 200
    assert "Close it before the procurement is recorded as advertised" in response.content.decode()
    assert ProcedureChoice.objects.get(group=dc.group).status == ProcedureChoice.Status.PLANNED
    client.post(url(dc, "state/"), {"action": "close"})
    assert client.post(f"/groups/{dc.group.slug}/procedure/", choice).status_code == 302
    assert ProcedureChoice.objects.get(group=dc.group).status == ProcedureChoice.Status.ADVERTISED


def test_an_unknown_state_action_gets_a_message(client, dc):
    client.force_login(dc.coordinator)
    response = client.post(url(dc, "state/"), {"action": "explode"}, follow=True)
    assert "Choose whether to open or close the dialogue." in response.content.decode()


# --- Taking part -------------------------------------------------------------------------


def test_a_verified_supplier_takes_part_from_the_list(client, dc):
    client.force_login(dc.outside_supplier)
    listing = client.get("/dialogues/").content.decode()
    assert "Take part" in listing
    response = client.post(url(dc, "take-part/"), {"organisation": dc.third.pk}, follow=True)
    assert "takes part" in response.content.decode()
    assert dc.dialogue.participations.active().filter(organisation=dc.third).exists()


def test_registering_twice_gets_a_clear_message(client, dc):
    client.force_login(dc.supplier_a)
    response = client.post(url(dc, "take-part/"), {"organisation": dc.solvent.pk}, follow=True)
    assert "already takes part" in response.content.decode()
    assert dc.dialogue.participations.filter(organisation=dc.solvent).count() == 1


def test_an_unverified_supplier_is_told_why_it_cannot_take_part(client, dc):
    client.force_login(dc.unverified_supplier)
    response = client.post(url(dc, "take-part/"))
    assert response.status_code == 403
    assert "has not been verified" in response.content.decode()


def test_suppliers_see_the_number_of_participants_not_who(client, dc):
    client.force_login(dc.supplier_b)
    body = client.get(url(dc)).content.decode()
    assert "2 suppliers take part." in body
    assert "Solvent" not in body


def test_a_participant_withdraws(client, dc):
    client.force_login(dc.supplier_b)
    participation = dc.dialogue.participations.get(organisation=dc.nordlys)
    client.post(url(dc, "withdraw/"), {"participation": participation.pk})
    participation.refresh_from_db()
    assert participation.withdrawn_at is not None


def test_a_withdrawal_of_another_organisation_is_404(client, dc):
    client.force_login(dc.supplier_b)
    participation = dc.dialogue.participations.get(organisation=dc.solvent)
    assert client.post(url(dc, "withdraw/"), {"participation": participation.pk}).status_code == 404


# --- Questions and answers ---------------------------------------------------------------


def test_a_participant_asks_a_question(client, dc):
    client.force_login(dc.supplier_b)
    response = client.post(url(dc, "questions/"), {"organisation": dc.nordlys.pk, "text": "Hur laddas den?"})
    assert response.status_code == 302
    question = Question.objects.get()
    assert question.organisation == dc.nordlys and question.asked_by == dc.supplier_b


def test_an_empty_question_gets_a_message(client, dc):
    client.force_login(dc.supplier_b)
    response = client.post(url(dc, "questions/"), {"organisation": dc.nordlys.pk, "text": "   "})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode() or "Write your question." in response.content.decode()
    assert not Question.objects.exists()


def test_an_over_long_question_is_refused_and_kept(client, dc):
    client.force_login(dc.supplier_b)
    text = "Lång fråga " * 600
    response = client.post(url(dc, "questions/"), {"organisation": dc.nordlys.pk, "text": text})
    assert response.status_code == 400
    assert "Ensure this value has at most 5000 characters" in response.content.decode()
    assert "Lång fråga Lång fråga" in response.content.decode()


def test_a_question_after_the_deadline_is_refused_with_the_text_kept(client, dc):
    with time_machine.travel(dc.dialogue.question_deadline + timedelta(hours=1)):
        client.force_login(dc.supplier_b)  # inside the frozen clock: a session ends after 8 idle hours
        page = client.get(url(dc, "questions/")).content.decode()
        assert "The last day for questions was" in page
        assert 'name="text"' not in page
        response = client.post(url(dc, "questions/"), {"organisation": dc.nordlys.pk, "text": "Min sena fråga"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "The group can no longer take questions in this dialogue." in body
    assert "Min sena fråga" in body
    assert not Question.objects.exists()


def test_the_question_page_is_in_swedish_for_a_swedish_user(client, dc):
    dc.supplier_b.language = "sv"
    dc.supplier_b.save()
    client.force_login(dc.supplier_b)
    body = client.get(url(dc, "questions/")).content.decode()
    assert "Ställ en fråga" in body


def test_an_identifying_question_is_held_back_until_the_group_gives_a_reason(client, dc, question_a):
    client.force_login(dc.coordinator)
    response = client.post(
        url(dc, "answers/new/"),
        {"questions": [question_a.pk], "question_text": question_a.text, "body": "Ja, det godtas."},
    )
    draft = Answer.objects.get()
    assert response["Location"] == draft.get_absolute_url()
    warning = client.post(url(dc, f"answers/{draft.pk}/publish/"))
    assert warning.status_code == 409
    assert "Held back: the text identifies a participating supplier." in warning.content.decode()
    assert "Solvent Energi AB" in warning.content.decode()
    assert not Answer.objects.get().is_published
    client.post(url(dc, f"answers/{draft.pk}/publish/"), {"override_reason": "Namnet är redan känt av alla."})
    assert Answer.objects.get().number == 1


def test_the_group_rewords_the_question_and_everyone_sees_the_answer(client, dc, question_a):
    client.force_login(dc.coordinator)
    client.post(
        url(dc, "answers/new/"),
        {"questions": [question_a.pk], "question_text": "Godtas batteribyte?", "body": "Ja, inom tio minuter."},
    )
    draft = Answer.objects.get()
    client.post(url(dc, f"answers/{draft.pk}/publish/"))
    client.force_login(dc.supplier_b)
    body = client.get(url(dc, "questions/")).content.decode()
    assert "Godtas batteribyte?" in body and "Ja, inom tio minuter." in body
    assert "Solvent" not in body
    # The asker still sees its own wording beside the published one.
    client.force_login(dc.supplier_a)
    own = client.get(question_a.get_absolute_url()).content.decode()
    assert "Vi på Solvent Energi AB undrar" in own and "Godtas batteribyte?" in own


def test_an_answer_without_a_question_is_refused_with_a_message(client, dc, question_a):
    client.force_login(dc.coordinator)
    response = client.post(url(dc, "answers/new/"), {"question_text": "?", "body": "Svar"})
    assert response.status_code == 400
    assert "Choose at least one question that this answers." in response.content.decode()


def test_a_member_drafts_but_only_a_coordinator_publishes(client, dc, question_a):
    client.force_login(dc.member)
    client.post(url(dc, "answers/new/"), {"questions": [question_a.pk], "question_text": "Fråga?", "body": "Svar."})
    draft = Answer.objects.get()
    assert client.post(url(dc, f"answers/{draft.pk}/publish/")).status_code == 403
    assert not Answer.objects.get().is_published


def test_a_correction_is_published_as_a_new_numbered_entry(client, dc, question_a):
    answer = save_answer_draft(
        dialogue=dc.dialogue, user=dc.coordinator, question_text="Fråga?", body="Fel svar.", questions=[question_a]
    )
    client.force_login(dc.coordinator)
    client.post(url(dc, f"answers/{answer.pk}/publish/"))
    response = client.post(url(dc, f"answers/{answer.pk}/amend/"))
    amendment = Answer.objects.get(amends=answer)
    assert response["Location"] == amendment.get_absolute_url()
    client.post(amendment.get_absolute_url(), {"question_text": "Fråga?", "body": "Rätt svar."})
    client.post(url(dc, f"answers/{amendment.pk}/publish/"))
    client.force_login(dc.supplier_b)
    body = client.get(url(dc, "questions/")).content.decode()
    assert "Fel svar." in body and "Rätt svar." in body and "Amends 1" in body


def test_a_clarification_on_the_groups_own_initiative(client, dc):
    client.force_login(dc.coordinator)
    client.post(url(dc, "answers/new/?kind=clarification"), {"question_text": "Depåer", "body": "3x16 A."})
    clarification = Answer.objects.get()
    assert clarification.kind == Answer.Kind.CLARIFICATION
    client.post(url(dc, f"answers/{clarification.pk}/publish/"))
    assert Answer.objects.get().number == 1


def test_overdue_questions_are_flagged_to_the_group(client, dc, question_a):
    with time_machine.travel(question_a.answer_due_at + timedelta(hours=1)):
        client.force_login(dc.coordinator)
        body = client.get(url(dc)).content.decode()
        assert "1 is past the promised answer time." in body
        assert "overdue" in client.get(url(dc, "questions/")).content.decode()


def test_the_group_sees_what_changed_when_the_need_is_republished(client, dc):
    need = NeedStatement.objects.get(pk=dc.need.pk)
    save_need_version(
        need=need,
        user=dc.coordinator,
        fields={**FIELDS, "background": "Helt ny bakgrund"},
        requirements=[{**r, "number": i + 1} for i, r in enumerate(REQUIREMENTS)],
        change_note="v2",
        base_version_number=1,
    )
    move_need(need=need, user=dc.coordinator, to_state=NeedStatement.State.PUBLISHED)
    client.force_login(dc.supplier_b)
    body = client.get(url(dc)).content.decode()
    assert "what changed since version 1" in body
    # the words for screen readers left out
    looks = re.sub(r'<span class="visually-hidden"[^>]*>[^<]*</span>', "", body)
    assert "<ins>Helt ny bakgrund</ins>" in looks or "<ins>Helt" in looks


# --- Proposals ---------------------------------------------------------------------------


def proposal(dc, **extra):
    return {"organisation": dc.solvent.pk, "text": "", "secret_parts": "", "secret_reason": "", **extra}


def test_a_supplier_sends_a_proposal_with_an_attachment_and_a_secrecy_claim(client, dc):
    client.force_login(dc.supplier_a)
    upload = SimpleUploadedFile("bilaga.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = client.post(
        url(dc, "submissions/"),
        proposal(
            dc,
            text="Vårt förslag",
            secret_parts="Bilagan",
            secret_reason="Prisuppgifter",
            attachment_1=upload,
            attachment_1_secret="on",
        ),
    )
    submission = dc.dialogue.submissions.get()
    assert response["Location"] == submission.get_absolute_url()
    version = submission.latest_version
    assert version.claims_secrecy and version.attachments.get().is_trade_secret
    assert version.attachments.get().content_type == "application/pdf"


def test_a_proposal_without_content_gets_a_message(client, dc):
    client.force_login(dc.supplier_a)
    response = client.post(url(dc, "submissions/"), proposal(dc, secret_reason="Mitt skäl"))
    assert response.status_code == 400
    assert "Write your proposal or attach at least one file." in response.content.decode()
    assert "Mitt skäl" in response.content.decode()
    assert not dc.dialogue.submissions.exists()


def test_a_disguised_file_is_refused_and_the_text_kept(client, dc):
    client.force_login(dc.supplier_a)
    fake = SimpleUploadedFile("förslag.pdf", b"MZ\x90\x00\x03binary", content_type="application/pdf")
    response = client.post(url(dc, "submissions/"), proposal(dc, text="Min text", attachment_1=fake))
    body = response.content.decode()
    assert response.status_code == 400
    assert "This type of file cannot be uploaded." in body
    assert "Choose the files again" in body and "Min text" in body
    assert not dc.dialogue.submissions.exists()


def test_a_proposal_after_the_deadline_is_refused_with_the_text_kept(client, dc):
    with time_machine.travel(dc.dialogue.submission_deadline + timedelta(minutes=5)):
        client.force_login(dc.supplier_a)
        response = client.post(url(dc, "submissions/"), proposal(dc, text="För sent förslag"))
    body = response.content.decode()
    assert response.status_code == 400
    assert "Proposals can no longer be sent or replaced." in body and "För sent förslag" in body
    assert not dc.dialogue.submissions.exists()


def test_every_view_and_download_by_a_group_user_is_logged(client, declared, submission_a):
    dc = declared
    client.force_login(dc.supplier_a)
    client.get(submission_a.get_absolute_url())
    assert not SubmissionAccess.objects.exists()  # the supplier reading its own proposal is no access
    client.force_login(dc.member)
    client.get(submission_a.get_absolute_url())
    attachment = submission_a.latest_version.attachments.get()
    download = client.get(url(dc, f"submissions/{submission_a.pk}/attachments/{attachment.pk}/"))
    assert b"".join(download.streaming_content) == b"pris: 1 000 000 kr\n"
    log = list(SubmissionAccess.objects.order_by("pk").values_list("user__email", "action"))
    assert log == [(dc.member.email, "view"), (dc.member.email, "download")]
    body = client.get(url(dc, "submissions/log/")).content.decode()
    assert dc.member.display_name in body and "downloaded an attachment" in body


def test_the_access_log_cannot_be_changed(declared, submission_a):
    entry = SubmissionAccess.objects.create(submission=submission_a, user=declared.member, action="view")
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()


# --- Meetings ----------------------------------------------------------------------------


def test_the_group_offers_meeting_times(client, dc):
    client.force_login(dc.coordinator)
    start = timezone.localtime() + timedelta(days=3)
    client.post(
        url(dc, "meetings/"),
        {"first_start": start.strftime("%Y-%m-%dT%H:%M"), "length_minutes": 30, "count": 3, "gap_minutes": 10},
    )
    assert dc.dialogue.meeting_slots.count() == 3


def test_meeting_times_in_the_past_are_refused(client, dc):
    client.force_login(dc.coordinator)
    past = timezone.localtime() - timedelta(days=1)
    response = client.post(
        url(dc, "meetings/"),
        {"first_start": past.strftime("%Y-%m-%dT%H:%M"), "length_minutes": 30, "count": 3, "gap_minutes": 10},
    )
    assert response.status_code == 400 and "Choose a time in the future." in response.content.decode()


def test_booking_a_taken_slot_gets_a_message(client, dc):
    slot = add_meeting_slots(
        dialogue=dc.dialogue,
        user=dc.coordinator,
        first_start=timezone.now() + timedelta(days=3),
        length_minutes=30,
        count=1,
    )[0]
    book_meeting_slot(slot=slot, organisation=dc.solvent, user=dc.supplier_a)
    client.force_login(dc.supplier_b)
    response = client.post(url(dc, f"meetings/{slot.pk}/book/"), {"organisation": dc.nordlys.pk}, follow=True)
    assert "Someone else booked this time a moment ago." in response.content.decode()
    assert MeetingSlot.objects.get(pk=slot.pk).organisation == dc.solvent


def test_minutes_ask_whether_anything_new_was_said(client, dc):
    slot = add_meeting_slots(
        dialogue=dc.dialogue,
        user=dc.coordinator,
        first_start=timezone.now() + timedelta(days=3),
        length_minutes=30,
        count=1,
    )[0]
    book_meeting_slot(slot=slot, organisation=dc.solvent, user=dc.supplier_a)
    with time_machine.travel(slot.ends_at):
        client.force_login(dc.member)  # inside the travelled clock: a session ends after 8 idle hours
        response = client.post(
            url(dc, f"meetings/{slot.pk}/minutes/"), {"minutes": "Anteckningar", "anything_new": "yes"}
        )
        assert response.status_code == 400
        assert "Write what was new" in response.content.decode() and "Anteckningar" in response.content.decode()
        client.post(
            url(dc, f"meetings/{slot.pk}/minutes/"),
            {"minutes": "Anteckningar", "anything_new": "yes", "clarification": "Batteribyte godtas."},
        )
    clarification = Answer.objects.get()
    assert clarification.kind == Answer.Kind.MEETING and clarification.is_published


# --- Conflicts of interest ---------------------------------------------------------------


def test_a_conflict_needs_a_description(client, dc):
    client.force_login(dc.member)
    response = client.post(url(dc, "conflicts/"), {"has_conflict": "yes", "description": ""})
    assert response.status_code == 400 and "Describe the conflict of interest." in response.content.decode()
    client.post(url(dc, "conflicts/"), {"has_conflict": "no"})
    assert ConflictDeclaration.objects.get().has_conflict is False


def test_coordinators_see_who_has_not_declared(client, declared):
    client.force_login(declared.coordinator)
    body = client.get(url(declared, "conflicts/")).content.decode()
    assert declared.member.display_name in body  # declared
    assert "Not yet declared" not in body or declared.coordinator.display_name in body


# --- The record --------------------------------------------------------------------------


def zip_from(response):
    return zipfile.ZipFile(io.BytesIO(response.getvalue()))


def test_the_coordinator_exports_the_whole_record(client, declared, question_a, submission_a):
    dc = declared
    client.force_login(dc.coordinator)
    archive = zip_from(client.get(url(dc, "record/download/")))
    names = set(archive.namelist())
    assert {"record.json", "record.html", "questions.csv", "participants.csv", "proposals.csv"} <= names
    assert any(name.startswith("proposals/solvent-energi-ab/v1/") for name in names)
    record = json.loads(archive.read("record.json"))
    assert record["questions"][0]["organisation"] == "Solvent Energi AB"
    assert record["proposals"][0]["versions"][0]["text"].startswith("Hemligt förslag")
    assert {row["person"] for row in record["conflict_of_interest_declarations"]} == {
        dc.coordinator.display_name,
        dc.member.display_name,
    }
    assert "Solvent Energi AB" in archive.read("questions.csv").decode("utf-8-sig")
    assert SubmissionAccess.objects.filter(action="export", user=dc.coordinator).count() == 1


def test_a_facilitator_outside_the_group_exports_without_proposal_content(client, dc, question_a, submission_a):
    client.force_login(dc.facilitator)
    archive = zip_from(client.get(url(dc, "record/download/")))
    record = json.loads(archive.read("record.json"))
    assert "text" not in record["proposals"][0]["versions"][0]
    # That secrecy is claimed, not the claim: that is for the supplier and the member authorities.
    assert record["proposals"][0]["versions"][0]["trade_secret_claimed"] is True
    assert record["proposals"][0]["versions"][0]["trade_secret_reason"] is None
    assert not any(name.startswith("proposals/") for name in archive.namelist())
    assert "Hemligt förslag" not in client.get(url(dc, "record/")).content.decode()


def test_the_public_version_is_published_as_the_summary(client, dc, question_a, submission_a):
    client.force_login(dc.coordinator)
    preview = client.get(url(dc, "summary/")).content.decode()
    assert "Publish as the dialogue&#x27;s summary" in preview or "Publish as the dialogue's summary" in preview
    client.post(url(dc, "summary/"))
    dialogue = Dialogue.objects.get(pk=dc.dialogue.pk)
    assert dialogue.public_record["participant_count"] == 2
    assert "questions" not in dialogue.public_record and "proposals" not in dialogue.public_record
    client.logout()
    assert client.get(url(dc, "summary/")).status_code == 200


# --- The dashboard -----------------------------------------------------------------------


def test_a_supplier_finds_its_dialogues_on_the_dashboard(client, dc):
    client.force_login(dc.supplier_b)
    body = client.get("/dashboard/").content.decode()
    assert "Market dialogues you take part in" in body and dc.dialogue.title in body


@pytest.mark.parametrize(("role", "sees"), [("coordinator", True), ("facilitator", True), ("observer", False)])
def test_overdue_questions_reach_the_dashboard_of_coordinators_and_facilitators(client, dc, question_a, role, sees):
    with time_machine.travel(question_a.answer_due_at + timedelta(hours=1)):
        client.force_login(getattr(dc, role))
        body = client.get("/dashboard/").content.decode()
    assert ("Supplier questions past the promised answer time" in body) is sees
    assert ("1 overdue" in body) is sees


# --- Discussions -------------------------------------------------------------------------


def test_each_participant_finds_its_own_private_discussion_and_no_other(client, dc):
    client.force_login(dc.supplier_a)
    body = client.get(url(dc)).content.decode()
    assert f"/threads/dialogue/{dc.dialogue.pk}/private/{dc.solvent.pk}/" in body
    assert f"/threads/dialogue/{dc.dialogue.pk}/" in body
    client.force_login(dc.supplier_b)
    body = client.get(url(dc)).content.decode()
    assert f"/private/{dc.solvent.pk}/" not in body and f"/private/{dc.nordlys.pk}/" in body


@pytest.mark.parametrize(("role", "links"), [("member", True), ("coordinator", True), ("observer", False)])
def test_the_group_reaches_each_private_discussion_from_the_participants(client, dc, role, links):
    client.force_login(getattr(dc, role))
    body = client.get(url(dc, "participants/")).content.decode()
    assert (f"/private/{dc.solvent.pk}/" in body) is links


def test_moderation_actions_are_in_the_record(client, dc):
    from discussions.services import get_or_create_dialogue_thread, hide_message, post_message

    thread = get_or_create_dialogue_thread(dialogue=dc.dialogue, user=dc.coordinator)
    message = post_message(thread=thread, author=dc.supplier_b, body="Olämpligt")
    hide_message(message=message, moderator=dc.coordinator, reason="Personangrepp")
    client.force_login(dc.coordinator)
    archive = zip_from(client.get(url(dc, "record/download/")))
    record = json.loads(archive.read("record.json"))
    assert [(m["action"], m["reason"]) for m in record["moderation_actions"]] == [("hidden", "Personangrepp")]
    assert "Personangrepp" in archive.read("moderation_actions.csv").decode("utf-8-sig")


def test_the_records_moderation_actions_come_from_the_audit_log_for_this_dialogues_discussions_only(dc):
    from audit.models import Action
    from audit.services import entry, record_many
    from dialogues.record import build_record
    from discussions.services import (
        get_or_create_dialogue_thread,
        get_or_create_private_thread,
        hide_message,
        lock_thread,
        post_message,
        restore_message,
        start_group_thread,
        unlock_thread,
    )

    open_thread = get_or_create_dialogue_thread(dialogue=dc.dialogue, user=dc.coordinator)
    private = get_or_create_private_thread(dialogue=dc.dialogue, supplier=dc.solvent, user=dc.coordinator)
    message = post_message(thread=open_thread, author=dc.supplier_b, body="Olämpligt")
    hide_message(message=message, moderator=dc.coordinator, reason="Personangrepp")
    restore_message(message=message, moderator=dc.facilitator, reason="Missförstånd")
    lock_thread(thread=private, moderator=dc.coordinator, reason="Klart")
    unlock_thread(thread=private, moderator=dc.coordinator)
    # Not this dialogue's: a discussion of the group's own.
    group_thread = start_group_thread(group=dc.group, author=dc.member, title="Internt", body="Hej")
    lock_thread(thread=group_thread, moderator=dc.coordinator, reason="Inte i dialogen")
    # Written before discussions left the dialogues app, the entry names the message so.
    older = entry(actor=dc.coordinator, action=Action.CONTENT_HIDDEN, target=message, group=dc.group, reason="Förr")
    older.target_type, older.at = "dialogues.message", message.created_at
    record_many([older])

    with translation.override("en"):
        actions = build_record(dc.dialogue, public=False, user=dc.coordinator)["moderation_actions"]
    open_discussion, private_discussion = "Open dialogue discussion", "Private discussion with a supplier"
    assert [(m["discussion"], m["action"], m["moderator"], m["reason"], m["message_id"]) for m in actions] == [
        (open_discussion, "hidden", dc.coordinator.display_name, "Förr", message.pk),
        (open_discussion, "hidden", dc.coordinator.display_name, "Personangrepp", message.pk),
        (open_discussion, "restored", dc.facilitator.display_name, "Missförstånd", message.pk),
        (private_discussion, "locked", dc.coordinator.display_name, "Klart", None),
        (private_discussion, "unlocked", dc.coordinator.display_name, "", None),
    ]
    assert all(m["at"] for m in actions)
    assert "moderation_actions" not in build_record(dc.dialogue, public=True)


def test_the_group_sees_which_label_each_participant_has(client, dc):
    """The group can tell who "Leverantör A" is (to moderate and follow the open discussion)."""
    labels = dict(dc.dialogue.participations.values_list("organisation__name", "label_number"))
    client.force_login(dc.coordinator)
    rows = re.findall(
        r"<tr>\s*<td>([^<]+)</td>\s*<td>([^<]+)</td>", client.get(url(dc, "participants/")).content.decode()
    )
    assert {name.strip(): label.strip() for name, label in rows} == {
        name: supplier_label(number) for name, number in labels.items()
    }
    assert len(set(labels.values())) == len(labels) >= 2
