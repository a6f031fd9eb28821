"""Dialogue events reach the right people through the outbox: every participant at once for an
answer (without the asker's identity, in the page, the message or the e-mail), the group for
questions and proposals, both sides for meetings, theme followers and members for an opening."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Organisation, OrganisationMember
from dialogues.models import Participation
from dialogues.services.answers import (
    ask_question,
    publish_answer,
    publish_clarification,
    save_answer_draft,
    start_amendment,
)
from dialogues.services.dialogue import create_dialogue, open_dialogue
from dialogues.services.meetings import add_meeting_slots, book_meeting_slot, cancel_meeting_booking
from dialogues.services.proposals import submit_proposal
from groups.models import ThemeFollow
from notifications.models import Notification
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def recipients(kind):
    return set(Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True))


def publish(dc, questions, wording="Godtas batteribyte?"):
    draft = save_answer_draft(
        dialogue=dc.dialogue, user=dc.coordinator, question_text=wording, body="Ja.", questions=questions
    )
    return publish_answer(answer=draft, user=dc.coordinator)


def test_an_answer_reaches_every_participant_and_the_asker_hears_it_is_theirs(dc, question_a):
    publish(dc, [question_a])
    assert recipients("answer_published") == {dc.supplier_b.email}
    assert recipients("own_question_answered") == {dc.supplier_a.email}
    assert not recipients("answer_published") & {dc.member.email, dc.observer.email, dc.outside_supplier.email}


def test_nothing_is_sent_before_commit(dc, question_a, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publish(dc, [question_a])
    assert Notification.objects.filter(kind="answer_published").exists()
    assert mailoutbox == [] and callbacks  # delivery waits for the commit


def test_the_message_and_the_email_to_b_never_name_a(dc, question_a, deliver_outbox, mailoutbox):
    publish(dc, [question_a])
    deliver_outbox()
    item = Notification.objects.get(kind="answer_published", recipient=dc.supplier_b)
    assert "Solvent" not in item.message() and "Sara" not in item.message()
    mails = [m for m in mailoutbox if m.to == [dc.supplier_b.email]]
    assert len(mails) == 1
    content = mails[0].body + "".join(str(part[0]) for part in mails[0].alternatives)
    assert "Solvent" not in content and "Sara" not in content
    assert dc.dialogue.title in content


def test_clarifications_and_corrections_say_what_they_are(dc, question_a):
    publish_clarification(dialogue=dc.dialogue, user=dc.coordinator, body="Depåerna har 3x16 A.")
    answer = publish(dc, [question_a])
    publish_answer(answer=start_amendment(answer=answer, user=dc.coordinator), user=dc.coordinator)
    variants = list(
        Notification.objects.filter(kind="answer_published", recipient=dc.supplier_b)
        .order_by("pk")
        .values_list("params__variant", flat=True)
    )
    assert variants == ["clarification", "", "amendment"]


def grow_participants(dc, n):
    organisations = [OrganisationFactory(kind=Organisation.Kind.SUPPLIER) for _ in range(n)]
    people = [UserFactory() for _ in range(n)]
    OrganisationMember.objects.bulk_create(
        OrganisationMember(organisation=o, user=u) for o, u in zip(organisations, people, strict=True)
    )
    Participation.objects.bulk_create(Participation(dialogue=dc.dialogue, organisation=o) for o in organisations)


def test_an_answer_to_300_participants_is_300_rows_in_one_transaction_with_bounded_queries(dc, question_a):
    other = ask_question(dialogue=dc.dialogue, organisation=dc.nordlys, user=dc.supplier_b, text="Annan fråga?")
    grow_participants(dc, 3)
    with CaptureQueriesContext(connection) as small:
        publish(dc, [question_a])
    grow_participants(dc, 297)
    with CaptureQueriesContext(connection) as large:
        publish(dc, [other], wording="Annan fråga?")
    assert Notification.objects.filter(kind="answer_published", params__number=2).count() == 300 + 1  # + Solvent
    assert len(large) == len(small)


def test_a_question_reaches_the_group_member_users_without_naming_the_asker(dc, question_a):
    assert recipients("question_received") == {dc.coordinator.email, dc.member.email}
    item = Notification.objects.get(kind="question_received", recipient=dc.member)
    assert "Solvent" not in item.message()


def test_a_proposal_reaches_the_group_member_users_only(dc, submission_a):
    assert recipients("submission_received") == {dc.coordinator.email, dc.member.email}
    submit_proposal(dialogue=dc.dialogue, organisation=dc.solvent, user=dc.supplier_a, text="Version två")
    assert list(
        Notification.objects.filter(kind="submission_received").order_by("pk").values_list("params__variant", flat=True)
    ) == [
        "new",
        "new",
        "replaced",
        "replaced",
    ]


def test_bookings_and_cancellations_reach_both_sides(dc):
    slot = add_meeting_slots(
        dialogue=dc.dialogue,
        user=dc.coordinator,
        first_start=timezone.now() + timedelta(days=4),
        length_minutes=30,
        count=1,
    )[0]
    book_meeting_slot(slot=slot, organisation=dc.solvent, user=dc.supplier_a)
    both_sides = {dc.coordinator.email, dc.member.email}  # Sara booked: the actor is not told
    assert recipients("meeting_booked") == both_sides
    cancel_meeting_booking(slot=slot, user=dc.coordinator, by_group=True)
    assert recipients("meeting_cancelled") == {dc.supplier_a.email, dc.member.email}
    assert dc.supplier_b.email not in recipients("meeting_booked") | recipients("meeting_cancelled")


def test_an_opening_reaches_theme_followers_and_the_group(cast, published_need):
    follower_org = OrganisationFactory(kind=Organisation.Kind.SUPPLIER, name="Följer AB")
    follower = UserFactory(email="foljer@example.se")
    OrganisationMember.objects.create(organisation=follower_org, user=follower)
    ThemeFollow.objects.create(user=follower, theme=cast.group.theme)
    bystander = UserFactory(email="ointresserad@example.se")
    OrganisationMember.objects.create(
        organisation=OrganisationFactory(kind=Organisation.Kind.SUPPLIER, name="Annat AB"), user=bystander
    )
    dialogue = create_dialogue(
        group=cast.group,
        need=published_need,
        user=cast.coordinator,
        title="Ny dialog",
        purpose="p",
        question_deadline=timezone.now() + timedelta(days=3),
        submission_deadline=timezone.now() + timedelta(days=5),
    )
    open_dialogue(dialogue=dialogue, user=cast.coordinator)
    assert recipients("dialogue_opened") == {follower.email, cast.member.email, cast.observer.email}
