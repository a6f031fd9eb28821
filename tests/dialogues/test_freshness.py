"""Every change to what the public sees of a group, a need or a dialogue moves its updated_at
(groups/freshness.py, dialogues/freshness.py): the open data API's "updated since" filter and the
Atom feeds' <updated> depend on it."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from dialogues.models import Dialogue
from dialogues.services.answers import publish_clarification
from dialogues.services.dialogue import close_dialogue, withdraw_participation
from groups.models import BuyerGroup, NeedStatement
from groups.services.memberships import end_membership
from groups.services.needs import save_endorsement

pytestmark = pytest.mark.django_db


def later(moment):
    """Travel an hour past the moment; the objects' updated_at must reach the new time."""
    return time_machine.travel(moment + timedelta(hours=1), tick=False)


def fresh(model, pk, since) -> bool:
    return model.objects.get(pk=pk).updated_at > since


def test_group_edit_membership_and_member_rename_move_the_group(dc):
    start = timezone.now()
    with later(start):
        dc.group.summary = "Ny sammanfattning."
        dc.group.save(update_fields=["summary"])
    assert fresh(BuyerGroup, dc.group.pk, start)

    start = BuyerGroup.objects.get(pk=dc.group.pk).updated_at
    with later(start):
        membership = dc.group.memberships.get(organisation=dc.lund)
        end_membership(membership=membership, user=dc.coordinator, removed=True, reason="Slutar")
    assert fresh(BuyerGroup, dc.group.pk, start)

    start = BuyerGroup.objects.get(pk=dc.group.pk).updated_at
    with later(start):
        dc.vaxjo.name = "Växjö kommun (nytt namn)"
        dc.vaxjo.save()
    assert fresh(BuyerGroup, dc.group.pk, start)


def test_contacts_move_the_group(dc):
    start = BuyerGroup.objects.get(pk=dc.group.pk).updated_at
    with later(start):
        dc.group.contacts.add(dc.facilitator)
    assert fresh(BuyerGroup, dc.group.pk, start)


def test_an_endorsement_moves_the_need_and_its_dialogue(dc):
    need_start = NeedStatement.objects.get(pk=dc.need.pk).updated_at
    dialogue_start = Dialogue.objects.get(pk=dc.dialogue.pk).updated_at
    with later(max(need_start, dialogue_start)):
        save_endorsement(need=dc.need, organisation=dc.lund, user=dc.member, commitment="committed", quantity=4)
    assert fresh(NeedStatement, dc.need.pk, need_start)
    assert fresh(Dialogue, dc.dialogue.pk, dialogue_start)


@pytest.mark.parametrize("change", ["clarification", "withdrawal", "closing"])
def test_dialogue_changes_move_the_dialogue(dc, change):
    start = Dialogue.objects.get(pk=dc.dialogue.pk).updated_at
    with later(start):
        if change == "clarification":
            publish_clarification(dialogue=dc.dialogue, user=dc.coordinator, body="Alla svar gäller version 1.")
        elif change == "withdrawal":
            withdraw_participation(participation=dc.dialogue.participations.first(), user=dc.supplier_a)
        else:
            close_dialogue(dialogue=dc.dialogue, user=dc.coordinator)
    assert fresh(Dialogue, dc.dialogue.pk, start)


def test_workspace_activity_alone_does_not_move_the_group(dc):
    """last_activity_at (private work: comments, documents) is written with update(): the public
    updated_at stays."""
    start = BuyerGroup.objects.get(pk=dc.group.pk).updated_at
    with later(start):
        BuyerGroup.objects.filter(pk=dc.group.pk).update(last_activity_at=timezone.now())
    assert not fresh(BuyerGroup, dc.group.pk, start)


def test_a_group_renamed_moves_its_needs_and_dialogues_and_a_closed_dialogue_its_group(dc):
    need_start = NeedStatement.objects.get(pk=dc.need.pk).updated_at
    dialogue_start = Dialogue.objects.get(pk=dc.dialogue.pk).updated_at
    with later(max(need_start, dialogue_start)):
        dc.group.name = "Nytt namn"
        dc.group.save()
    assert fresh(NeedStatement, dc.need.pk, need_start)
    assert fresh(Dialogue, dc.dialogue.pk, dialogue_start)

    group_start = BuyerGroup.objects.get(pk=dc.group.pk).updated_at
    with later(group_start):
        close_dialogue(dialogue=dc.dialogue, user=dc.coordinator)
    assert fresh(BuyerGroup, dc.group.pk, group_start)
