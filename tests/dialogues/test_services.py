"""The dialogue's rules, at the service level: states, deadlines (with a frozen clock),
equal treatment of answers, immutable records, meetings and conflicts of interest."""

import threading
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone, translation

from dialogues.models import Answer, Dialogue, DialogueNeedVersion, MeetingSlot, Question, add_working_days
from dialogues.services.answers import (
    ask_question,
    publish_answer,
    publish_clarification,
    save_answer_draft,
    start_amendment,
)
from dialogues.services.dialogue import close_dialogue, create_dialogue, register_participation, withdraw_participation
from dialogues.services.meetings import (
    add_meeting_slots,
    book_meeting_slot,
    cancel_meeting_booking,
    save_meeting_minutes,
)
from dialogues.services.proposals import submit_proposal
from dialogues.services.shared import DialogueRuleError, IdentifyingText
from groups.models import NeedStatement, ProcedureChoice, Stage
from groups.services.group import save_procedure_choice, set_current_stage
from groups.services.needs import move_need, save_need_version
from groups.services.shared import GroupRuleError
from tests.groups.conftest import FIELDS, REQUIREMENTS

pytestmark = pytest.mark.django_db


def answer_and_publish(dc, questions, wording, body="Svar.", **publish):
    draft = save_answer_draft(
        dialogue=dc.dialogue, user=dc.coordinator, question_text=wording, body=body, questions=questions
    )
    return publish_answer(answer=draft, user=dc.coordinator, **publish)


# --- The dialogue ------------------------------------------------------------------------


def test_a_dialogue_needs_a_published_need(cast):
    with pytest.raises(DialogueRuleError):
        create_dialogue(
            group=cast.group,
            need=cast.need,
            user=cast.coordinator,
            title="t",
            purpose="p",
            question_deadline=timezone.now() + timedelta(days=1),
            submission_deadline=timezone.now() + timedelta(days=2),
        )


def test_opening_records_the_published_need_version(dc):
    entries = list(dc.dialogue.need_versions.all())
    assert [e.version_id for e in entries] == [dc.need.published_version_id]
    assert dc.dialogue.state == Dialogue.State.OPEN and dc.dialogue.opened_at is not None


def test_republishing_the_need_during_the_dialogue_records_the_new_version(dc):
    need = NeedStatement.objects.get(pk=dc.need.pk)
    save_need_version(
        need=need,
        user=dc.coordinator,
        fields={**FIELDS, "background": "Ny bakgrund"},
        requirements=[{**r, "number": i + 1} for i, r in enumerate(REQUIREMENTS)],
        change_note="v2",
        base_version_number=need.current_version.number,
    )
    move_need(need=need, user=dc.coordinator, to_state=NeedStatement.State.PUBLISHED)
    numbers = list(dc.dialogue.need_versions.values_list("version__number", flat=True))
    assert numbers == [1, 2]


def test_a_closed_dialogue_takes_no_questions_proposals_or_bookings(dc):
    slot = add_meeting_slots(
        dialogue=dc.dialogue,
        user=dc.coordinator,
        first_start=timezone.now() + timedelta(days=3),
        length_minutes=30,
        count=1,
    )[0]
    dialogue = close_dialogue(dialogue=dc.dialogue, user=dc.coordinator)
    with pytest.raises(DialogueRuleError, match="closed"):
        ask_question(dialogue=dialogue, organisation=dc.solvent, user=dc.supplier_a, text="Fråga?")
    with pytest.raises(DialogueRuleError, match="closed"):
        submit_proposal(dialogue=dialogue, organisation=dc.solvent, user=dc.supplier_a, text="Förslag")
    with pytest.raises(DialogueRuleError, match="closed"):
        book_meeting_slot(slot=MeetingSlot.objects.get(pk=slot.pk), organisation=dc.solvent, user=dc.supplier_a)
    with pytest.raises(DialogueRuleError):
        register_participation(dialogue=dialogue, organisation=dc.third, user=dc.outside_supplier)


def test_the_procurement_cannot_be_recorded_as_advertised_while_a_dialogue_is_open(dc):
    choice = ProcedureChoice.objects.get(group=dc.group)
    choice.status = ProcedureChoice.Status.ADVERTISED
    choice.rationale = "Vi annonserar."
    with pytest.raises(GroupRuleError, match="still open"):
        save_procedure_choice(choice=choice, user=dc.coordinator)
    with pytest.raises(GroupRuleError, match="still open"):
        set_current_stage(group=dc.group, stage=Stage.PROCUREMENT, user=dc.coordinator)
    close_dialogue(dialogue=dc.dialogue, user=dc.coordinator)
    save_procedure_choice(choice=choice, user=dc.coordinator)
    set_current_stage(group=dc.group, stage=Stage.PROCUREMENT, user=dc.coordinator)
    assert ProcedureChoice.objects.get(group=dc.group).status == ProcedureChoice.Status.ADVERTISED


# --- Participation -----------------------------------------------------------------------


def test_registering_twice_is_refused_with_a_clear_message(dc):
    with pytest.raises(DialogueRuleError, match="already takes part"):
        register_participation(dialogue=dc.dialogue, organisation=dc.solvent, user=dc.supplier_a)


def test_only_verified_suppliers_take_part(dc):
    with pytest.raises(DialogueRuleError, match="verified supplier"):
        register_participation(dialogue=dc.dialogue, organisation=dc.lund, user=dc.member)


def test_withdrawing_frees_a_booked_meeting_and_allows_registering_again(dc):
    slot = add_meeting_slots(
        dialogue=dc.dialogue,
        user=dc.coordinator,
        first_start=timezone.now() + timedelta(days=3),
        length_minutes=30,
        count=1,
    )[0]
    book_meeting_slot(slot=slot, organisation=dc.solvent, user=dc.supplier_a)
    participation = dc.dialogue.participations.get(organisation=dc.solvent)
    withdraw_participation(participation=participation, user=dc.supplier_a)
    assert MeetingSlot.objects.get(pk=slot.pk).organisation is None
    register_participation(dialogue=dc.dialogue, organisation=dc.solvent, user=dc.supplier_a)
    assert dc.dialogue.participations.active().filter(organisation=dc.solvent).count() == 1


# --- Questions, answers, deadlines -------------------------------------------------------


def test_a_question_after_the_deadline_is_refused_with_the_deadline_named(dc):
    with time_machine.travel(dc.dialogue.question_deadline + timedelta(minutes=1)):
        with pytest.raises(DialogueRuleError, match="last day for questions was"):
            ask_question(dialogue=dc.dialogue, organisation=dc.solvent, user=dc.supplier_a, text="Sen fråga?")
    assert not Question.objects.exists()


def test_a_question_just_before_the_deadline_is_taken(dc):
    with time_machine.travel(dc.dialogue.question_deadline - timedelta(minutes=1)):
        ask_question(dialogue=dc.dialogue, organisation=dc.solvent, user=dc.supplier_a, text="I sista stund?")
    assert Question.objects.count() == 1


def test_only_participants_ask(dc):
    with pytest.raises(DialogueRuleError, match="Register"):
        ask_question(dialogue=dc.dialogue, organisation=dc.third, user=dc.outside_supplier, text="Får jag fråga?")


def test_the_promised_answer_time_counts_working_days():
    friday = timezone.make_aware(datetime(2026, 11, 27, 10, 0))
    assert add_working_days(friday, 5) == friday + timedelta(days=7)  # next Friday
    assert add_working_days(friday, 1) == friday + timedelta(days=3)  # Monday


def test_questions_past_the_promised_time_are_overdue(dc, question_a):
    assert not Question.objects.overdue().exists()
    with time_machine.travel(question_a.answer_due_at + timedelta(minutes=1)):
        assert list(Question.objects.overdue()) == [question_a]
        assert Question.objects.get(pk=question_a.pk).is_overdue()


def test_published_answers_are_numbered_in_order(dc, question_a):
    other = ask_question(dialogue=dc.dialogue, organisation=dc.nordlys, user=dc.supplier_b, text="Drifttimmar?")
    first = answer_and_publish(dc, [question_a], "Godtas batteribyte?")
    clarification = publish_clarification(dialogue=dc.dialogue, user=dc.coordinator, body="Depåerna har 3x16 A.")
    second = answer_and_publish(dc, [other], "Hur många drifttimmar?")
    assert [first.number, clarification.number, second.number] == [1, 2, 3]
    assert Question.objects.get(pk=question_a.pk).is_answered


def test_publishing_text_that_names_the_asker_needs_a_reason(dc, question_a):
    draft = save_answer_draft(
        dialogue=dc.dialogue, user=dc.coordinator, question_text=question_a.text, body="Ja.", questions=[question_a]
    )
    with pytest.raises(IdentifyingText) as warning:
        publish_answer(answer=draft, user=dc.coordinator)
    assert warning.value.names == ["Solvent Energi AB"]
    with pytest.raises(IdentifyingText):
        publish_answer(answer=draft, user=dc.coordinator, override_reason="   ")
    assert not Answer.objects.get(pk=draft.pk).is_published
    published = publish_answer(answer=draft, user=dc.coordinator, override_reason="Namnet är redan offentligt.")
    assert published.number == 1


def test_the_askers_name_is_caught_too(dc, question_a):
    draft = save_answer_draft(
        dialogue=dc.dialogue,
        user=dc.coordinator,
        question_text="Godtas batteribyte?",
        body="Tack Sara Säljare för frågan.",
        questions=[question_a],
    )
    with pytest.raises(IdentifyingText) as warning:
        publish_answer(answer=draft, user=dc.coordinator)
    assert "Sara Säljare" in warning.value.names


def test_one_answer_covers_several_near_identical_questions(dc, question_a):
    twin = ask_question(dialogue=dc.dialogue, organisation=dc.nordlys, user=dc.supplier_b, text="Får man byta batteri?")
    answer = answer_and_publish(dc, [question_a, twin], "Godtas batteribyte?")
    assert set(answer.questions.values_list("pk", flat=True)) == {question_a.pk, twin.pk}
    assert not Question.objects.unanswered().exists()


def test_a_published_answer_never_changes_and_a_correction_is_an_amendment(dc, question_a):
    answer = answer_and_publish(dc, [question_a], "Godtas batteribyte?", body="Ja, alltid.")
    with pytest.raises(DialogueRuleError, match="amendment"):
        save_answer_draft(dialogue=dc.dialogue, user=dc.coordinator, body="Nej.", answer=answer)
    amendment = start_amendment(answer=answer, user=dc.coordinator)
    amendment = save_answer_draft(
        dialogue=dc.dialogue,
        user=dc.coordinator,
        question_text=amendment.question_text,
        body="Ja, om bytet tar högst tio minuter.",
        answer=amendment,
    )
    amendment = publish_answer(answer=amendment, user=dc.coordinator)
    assert amendment.number == 2 and amendment.amends_id == answer.pk
    assert Answer.objects.get(pk=answer.pk).body == "Ja, alltid."


def test_clarifications_may_be_published_after_the_question_deadline(dc):
    with time_machine.travel(dc.dialogue.question_deadline + timedelta(days=1)):
        clarification = publish_clarification(dialogue=dc.dialogue, user=dc.coordinator, body="Förtydligande.")
    assert clarification.number == 1


def test_an_answer_must_name_its_question(dc):
    draft = save_answer_draft(dialogue=dc.dialogue, user=dc.coordinator, question_text="?", body="Svar")
    with pytest.raises(DialogueRuleError, match="Choose the question"):
        publish_answer(answer=draft, user=dc.coordinator)


# --- Proposals ---------------------------------------------------------------------------


def test_replacing_a_proposal_keeps_every_version_with_its_time(dc, submission_a):
    first = submission_a.latest_version
    kept = list(first.attachments.all())
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        second = submit_proposal(
            dialogue=dc.dialogue, organisation=dc.solvent, user=dc.supplier_a, text="Version två", keep_attachments=kept
        )
    assert [v.number for v in submission_a.versions.all()] == [2, 1]
    assert second.submitted_at > first.submitted_at
    assert [a.original_name for a in second.attachments.all()] == ["pris.txt"]
    assert second.attachments.get().file.name == kept[0].file.name  # the same stored file, not a copy


def test_a_proposal_after_the_deadline_is_refused(dc):
    with time_machine.travel(dc.dialogue.submission_deadline + timedelta(seconds=1)):
        with pytest.raises(DialogueRuleError, match="deadline for proposals was"):
            submit_proposal(dialogue=dc.dialogue, organisation=dc.solvent, user=dc.supplier_a, text="Sent")


def test_a_proposal_without_content_is_refused(dc):
    with pytest.raises(DialogueRuleError, match="Write your proposal"):
        submit_proposal(dialogue=dc.dialogue, organisation=dc.solvent, user=dc.supplier_a, text="   ")


def test_versions_are_immutable(dc, submission_a):
    version = submission_a.latest_version
    version.text = "ändrat"
    with pytest.raises(ValueError):
        version.save()


def test_an_attachment_is_stored_under_a_name_the_supplier_did_not_choose(dc):
    upload = ContentFile(b"data\n", name="../../etc/passwd.txt")
    version = submit_proposal(
        dialogue=dc.dialogue,
        organisation=dc.solvent,
        user=dc.supplier_a,
        text="x",
        uploads=[(upload, "text/plain; charset=utf-8", False)],
    )
    attachment = version.attachments.get()
    assert ".." not in attachment.file.name and "passwd" not in attachment.file.name
    assert attachment.original_name == "../../etc/passwd.txt"


# --- Meetings ----------------------------------------------------------------------------


def slots(dc, count=3, start=None):
    return add_meeting_slots(
        dialogue=dc.dialogue,
        user=dc.coordinator,
        first_start=start or timezone.now() + timedelta(days=5),
        length_minutes=45,
        count=count,
        gap_minutes=15,
    )


def test_slots_are_of_equal_length_and_do_not_overlap(dc):
    offered = slots(dc)
    assert {slot.length for slot in offered} == {timedelta(minutes=45)}
    with pytest.raises(DialogueRuleError, match="45 minutes"):
        add_meeting_slots(
            dialogue=dc.dialogue,
            user=dc.coordinator,
            first_start=timezone.now() + timedelta(days=9),
            length_minutes=60,
            count=1,
        )
    with pytest.raises(DialogueRuleError, match="overlaps"):
        add_meeting_slots(
            dialogue=dc.dialogue, user=dc.coordinator, first_start=offered[0].starts_at, length_minutes=45, count=1
        )


def test_a_taken_slot_cannot_be_booked_by_another_supplier(dc):
    slot = slots(dc, 1)[0]
    book_meeting_slot(slot=slot, organisation=dc.solvent, user=dc.supplier_a)
    with pytest.raises(DialogueRuleError, match="Someone else booked"):
        book_meeting_slot(slot=slot, organisation=dc.nordlys, user=dc.supplier_b)
    assert MeetingSlot.objects.get(pk=slot.pk).organisation == dc.solvent


def test_a_supplier_books_at_most_one_slot(dc):
    first, second, _third = slots(dc)
    book_meeting_slot(slot=first, organisation=dc.solvent, user=dc.supplier_a)
    with pytest.raises(DialogueRuleError, match="already booked a meeting"):
        book_meeting_slot(slot=second, organisation=dc.solvent, user=dc.supplier_a)
    assert MeetingSlot.objects.get(pk=second.pk).organisation is None


def test_a_booking_can_be_cancelled_until_24_hours_before(dc):
    slot = slots(dc, 1)[0]
    book_meeting_slot(slot=slot, organisation=dc.solvent, user=dc.supplier_a)
    with time_machine.travel(slot.starts_at - timedelta(hours=23)):
        with pytest.raises(DialogueRuleError, match="24 hours"):
            cancel_meeting_booking(slot=slot, user=dc.supplier_a)
    with time_machine.travel(slot.starts_at - timedelta(hours=25)):
        cancel_meeting_booking(slot=slot, user=dc.supplier_a)
    assert MeetingSlot.objects.get(pk=slot.pk).organisation is None


def test_the_group_may_cancel_late(dc):
    slot = slots(dc, 1)[0]
    book_meeting_slot(slot=slot, organisation=dc.solvent, user=dc.supplier_a)
    with time_machine.travel(slot.starts_at - timedelta(hours=1)):
        cancel_meeting_booking(slot=slot, user=dc.coordinator, by_group=True)
    assert not MeetingSlot.objects.get(pk=slot.pk).is_booked


def test_minutes_with_something_new_publish_a_clarification_to_everyone(dc):
    slot = slots(dc, 1)[0]
    book_meeting_slot(slot=slot, organisation=dc.solvent, user=dc.supplier_a)
    slot.refresh_from_db()
    with time_machine.travel(slot.ends_at):
        published = save_meeting_minutes(
            slot=slot,
            user=dc.member,
            minutes="Solvent visade sitt batteri (hemligt).",
            clarification="Gruppen godtar batteribyte som tar högst tio minuter.",
        )
    assert published.kind == Answer.Kind.MEETING and published.number == 1
    assert "Solvent" not in published.body
    assert MeetingSlot.objects.get(pk=slot.pk).clarification == published


def test_minutes_with_nothing_new_publish_nothing(dc):
    slot = slots(dc, 1)[0]
    book_meeting_slot(slot=slot, organisation=dc.solvent, user=dc.supplier_a)
    with time_machine.travel(slot.ends_at):
        assert save_meeting_minutes(slot=slot, user=dc.member, minutes="Inget nytt.") is None
    assert not Answer.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and real concurrency need PostgreSQL")
def test_two_suppliers_clicking_the_same_slot_at_once_get_one_booking(dc):
    slot = slots(dc, 1)[0]
    barrier = threading.Barrier(2)
    outcomes = {}

    def book(organisation, user):
        barrier.wait()
        translation.activate("en")  # the language is per thread
        try:
            book_meeting_slot(slot=MeetingSlot.objects.get(pk=slot.pk), organisation=organisation, user=user)
            outcomes[organisation.name] = "booked"
        except DialogueRuleError as error:
            outcomes[organisation.name] = str(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=book, args=(dc.solvent, dc.supplier_a)),
        threading.Thread(target=book, args=(dc.nordlys, dc.supplier_b)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert list(outcomes.values()).count("booked") == 1
    assert any("Someone else booked" in outcome for outcome in outcomes.values())
    assert MeetingSlot.objects.filter(pk=slot.pk, organisation__isnull=False).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and real concurrency need PostgreSQL")
def test_one_supplier_clicking_two_slots_at_once_gets_one_booking(dc):
    first, second = slots(dc, 2)
    barrier = threading.Barrier(2)
    results = []

    def book(slot):
        barrier.wait()
        try:
            book_meeting_slot(slot=MeetingSlot.objects.get(pk=slot.pk), organisation=dc.solvent, user=dc.supplier_a)
            results.append("booked")
        except DialogueRuleError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(slot,)) for slot in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["booked", "refused"]
    assert MeetingSlot.objects.filter(dialogue=dc.dialogue, organisation=dc.solvent).count() == 1


def test_need_versions_are_recorded_once(dc):
    from dialogues.services.dialogue import record_need_publication

    assert record_need_publication(need=dc.need) == []
    assert DialogueNeedVersion.objects.filter(dialogue=dc.dialogue).count() == 1
