"""The platform's reminder sources for market dialogues, with a frozen clock."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from dialogues.models import Dialogue, MeetingSlot, Participation, Question
from notifications.models import Notification
from notifications.tasks import send_reminders
from tests.factories import OrganisationFactory, person_at

pytestmark = pytest.mark.django_db

QUESTIONS_CLOSE = datetime(2026, 6, 10, 15, 0, tzinfo=UTC)
PROPOSALS_CLOSE = datetime(2026, 6, 20, 15, 0, tzinfo=UTC)


@pytest.fixture
def dialogue(cast):
    dialogue = Dialogue.objects.create(
        group=cast.group,
        need=cast.need,
        title="Fossilfria hjullastare: dialog",
        purpose="Lära av marknaden",
        question_deadline=QUESTIONS_CLOSE,
        submission_deadline=PROPOSALS_CLOSE,
        state=Dialogue.State.OPEN,
    )
    Participation.objects.create(dialogue=dialogue, organisation=cast.supplier.affiliations.get().organisation)
    return dialogue


def run_at(moment):
    with time_machine.travel(moment, tick=False):
        return send_reminders()


def emails(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True))


def test_active_participants_are_reminded_3_days_and_1_day_before_each_deadline(cast, dialogue):
    withdrawn = OrganisationFactory(kind="supplier")
    person_at(withdrawn)
    Participation.objects.create(dialogue=dialogue, organisation=withdrawn, withdrawn_at=QUESTIONS_CLOSE)
    assert run_at(QUESTIONS_CLOSE - timedelta(days=4)) == 0
    assert run_at(QUESTIONS_CLOSE - timedelta(days=3)) == 1
    assert run_at(QUESTIONS_CLOSE - timedelta(days=2)) == 0
    assert run_at(QUESTIONS_CLOSE - timedelta(hours=20)) == 1
    assert run_at(QUESTIONS_CLOSE + timedelta(hours=1)) == 0
    assert run_at(PROPOSALS_CLOSE - timedelta(days=3)) == 1
    reminders = Notification.objects.filter(kind="deadline_reminder").order_by("created_at")
    assert [n.params["variant"] for n in reminders] == ["question", "question", "submission"]
    assert emails("deadline_reminder") == [cast.supplier.email] * 3


def test_a_moved_deadline_is_reminded_again(cast, dialogue):
    run_at(QUESTIONS_CLOSE - timedelta(days=3))
    Dialogue.objects.filter(pk=dialogue.pk).update(question_deadline=QUESTIONS_CLOSE + timedelta(days=2))
    assert run_at(QUESTIONS_CLOSE - timedelta(days=1)) == 1


def test_closed_dialogues_send_no_reminders(cast, dialogue):
    Dialogue.objects.filter(pk=dialogue.pk).update(state=Dialogue.State.CLOSED)
    assert run_at(QUESTIONS_CLOSE - timedelta(days=1)) == 0


def test_a_booked_meeting_reminds_the_supplier_and_the_member_authorities(cast, dialogue):
    starts = datetime(2026, 5, 5, 9, 0, tzinfo=UTC)
    supplier = cast.supplier.affiliations.get().organisation
    free = starts - timedelta(hours=1)
    MeetingSlot.objects.create(dialogue=dialogue, starts_at=free, ends_at=free + timedelta(minutes=45))
    MeetingSlot.objects.create(
        dialogue=dialogue,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=45),
        organisation=supplier,
        booked_by=cast.supplier,
    )
    run_at(starts - timedelta(days=3))
    run_at(starts - timedelta(days=3) + timedelta(minutes=15))
    # Supplier, coordinator (Växjö) and member (Lund); not the observer agency.
    expected = sorted([cast.supplier.email, cast.coordinator.email, cast.member.email])
    assert emails("meeting_reminder") == expected
    run_at(starts - timedelta(hours=2))
    assert len(emails("meeting_reminder")) == 6


def test_an_overdue_question_is_flagged_once_to_coordinators_and_facilitators(cast, dialogue):
    asked = QUESTIONS_CLOSE - timedelta(days=20)  # far from the deadlines, which remind on their own
    Question.objects.create(
        dialogue=dialogue,
        organisation=cast.supplier.affiliations.get().organisation,
        asked_by=cast.supplier,
        text="Hur lång är garantin?",
        created_at=asked,
        answer_due_at=asked + timedelta(days=7),
    )
    assert run_at(asked + timedelta(days=6)) == 0
    assert run_at(asked + timedelta(days=8)) == 2
    assert run_at(asked + timedelta(days=9)) == 0
    assert emails("question_overdue") == sorted([cast.coordinator.email, cast.facilitator.email])
    message = Notification.objects.filter(kind="question_overdue").first().message()
    assert "Solvent" not in message and cast.supplier.name not in message
