"""dialogues/access.py: each queryset twin gives the answer of its DialogueAccess rule, for every
user and object of a world with drafts, open and closed dialogues in two groups, a withdrawn
participation, a supplier that lost its verification after registering, and proposals from
suppliers of both groups' dialogues."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Organisation
from dialogues.access import (
    dialogue_access,
    dialogues_taken_part_in_by,
    dialogues_visible_to,
    dialogues_with_every_question_for,
    groups_with_confidentiality_requests_for,
    submissions_visible_to,
)
from dialogues.models import Dialogue, Submission
from dialogues.services.dialogue import (
    close_dialogue,
    create_dialogue,
    open_dialogue,
    register_participation,
    withdraw_participation,
)
from dialogues.services.proposals import submit_proposal
from groups.models import BuyerGroup, NeedStatement
from groups.services.group import create_group
from groups.services.needs import create_need, move_need
from tests.access_twins import assert_twins_agree, fresh
from tests.dialogues.conftest import supplier
from tests.factories import person_at
from tests.groups.conftest import FIELDS, REQUIREMENTS

ROLES = [
    "visitor",
    "stranger",
    "non_member",
    "unverified",
    "member",
    "observer",
    "coordinator",
    "facilitator",
    "supplier",
    "supplier_a",
    "supplier_b",
    "outside_supplier",
    "unverified_supplier",
    "lapsed_supplier",
]


def new_dialogue(group, need, user, title, *, state=Dialogue.State.OPEN):
    now = timezone.now()
    dialogue = create_dialogue(
        group=group,
        need=need,
        user=user,
        title=title,
        purpose="Vad finns?",
        question_deadline=now + timedelta(days=14),
        submission_deadline=now + timedelta(days=30),
    )
    if state != Dialogue.State.DRAFT:
        dialogue = open_dialogue(dialogue=dialogue, user=user)
    return dialogue


def proposal(dialogue, organisation, user):
    submit_proposal(dialogue=dialogue, organisation=organisation, user=user, text=f"Förslag från {organisation}")


@pytest.fixture
def world(dc):
    w = dc
    # The cast's group: besides the open dialogue, a draft and a closed one (B withdrew from it).
    new_dialogue(w.group, w.need, w.coordinator, "Utkast", state=Dialogue.State.DRAFT)
    closed = new_dialogue(w.group, w.need, w.coordinator, "Avslutad dialog")
    register_participation(dialogue=closed, organisation=w.solvent, user=w.supplier_a)
    withdraw_participation(
        participation=register_participation(dialogue=closed, organisation=w.nordlys, user=w.supplier_b),
        user=w.supplier_b,
    )
    proposal(closed, w.solvent, w.supplier_a)
    close_dialogue(dialogue=closed, user=w.coordinator)
    # Trafikverket (non_member here) runs a group of its own with an open dialogue and a draft.
    trafikverket = Organisation.objects.get(staff__user=w.non_member)
    other = create_group(
        creator=w.non_member,
        organisation=trafikverket,
        name="Laddinfrastruktur",
        theme="transport",
        summary="Laddning längs vägarna.",
        challenge="Ingen vet vem som bygger.",
        is_open=True,
    )
    need = create_need(group=other, user=w.non_member, fields=FIELDS, requirements=REQUIREMENTS, change_note="v1")
    move_need(need=need, user=w.non_member, to_state=NeedStatement.State.PUBLISHED)
    need.refresh_from_db()
    elsewhere = new_dialogue(other, need, w.non_member, "Dialog om laddning")
    new_dialogue(other, need, w.non_member, "Laddning, utkast", state=Dialogue.State.DRAFT)
    for organisation, person in ((w.third, w.outside_supplier), (w.nordlys, w.supplier_b)):
        register_participation(dialogue=elsewhere, organisation=organisation, user=person)
        proposal(elsewhere, organisation, person)
    # Proposals in the open dialogue, and a supplier that lost its verification after taking part.
    proposal(w.dialogue, w.solvent, w.supplier_a)
    lapsed = supplier("Förfallen AB")
    w.lapsed_supplier = person_at(lapsed, name="Lars Förfallen", email="lars@forfallen.se")
    register_participation(dialogue=w.dialogue, organisation=lapsed, user=w.lapsed_supplier)
    proposal(w.dialogue, lapsed, w.lapsed_supplier)
    Organisation.objects.filter(pk=lapsed.pk).update(status=Organisation.Status.REJECTED)
    return w


def users(world):
    return [fresh(getattr(world, role)) for role in ROLES]


DIALOGUE_PAIRS = [
    (lambda access: access.can_see_dialogue, dialogues_visible_to),
    (lambda access: access.is_participant, dialogues_taken_part_in_by),
    (lambda access: access.can_see_all_questions, dialogues_with_every_question_for),
]


@pytest.mark.parametrize("rule, twin", DIALOGUE_PAIRS, ids=["visible", "taking-part", "every-question"])
def test_the_dialogue_queryset_agrees_with_the_rule_for_one_dialogue(world, rule, twin):
    assert_twins_agree(
        users(world),
        list(Dialogue.objects.select_related("group")),
        lambda user, dialogue: rule(dialogue_access(user, dialogue)),
        twin,
    )


def test_the_visible_proposals_agree_with_the_rule_for_one_proposal(world):
    assert_twins_agree(
        users(world),
        list(Submission.objects.select_related("dialogue__group")),
        lambda user, submission: dialogue_access(user, submission.dialogue).can_see_submission(submission),
        submissions_visible_to,
    )


def test_the_groups_with_readable_confidentiality_requests_agree_with_the_rule(world):
    """The audit log hides the confidential part of a group's entries by this twin
    (dialogues/audit_details.py): it must say what the dialogue pages say."""
    assert_twins_agree(
        users(world),
        list(BuyerGroup.objects.all()),
        lambda user, group: all(
            dialogue_access(user, dialogue).can_read_confidentiality_requests for dialogue in group.dialogues.all()
        ),
        groups_with_confidentiality_requests_for,
    )
