"""discussions/access.py: "may this user read this discussion?" is written three times, for one
discussion (thread_access), as the discussions one user reads (threads_readable_by) and as the
people who read one discussion (thread_readers). All three agree for every user and discussion
of a world with two groups, both kinds of dialogue discussion, a supplier that withdrew, one
that takes part while not verified and a coordinator who is not the group's member user."""

import pytest
from django.utils import timezone

from accounts.models import Organisation
from dialogues.models import Participation
from discussions.access import thread_access, thread_readers, threads_readable_by
from discussions.models import Thread
from discussions.services import get_or_create_dialogue_thread, get_or_create_private_thread, start_group_thread
from groups.models import Coordinator, NeedStatement
from groups.services.group import create_group
from groups.services.needs import create_need, move_need
from tests.access_twins import assert_twins_agree, fresh
from tests.dialogues.conftest import NEED_FIELDS, NEED_REQUIREMENTS, ROLES, make_open_dialogue


@pytest.fixture
def world(thread_cast):
    w = thread_cast
    # Nordlys withdrew from the dialogue after its private discussion began.
    get_or_create_private_thread(dialogue=w.dialogue, supplier=w.nordlys, user=w.other_supplier)
    Participation.objects.filter(dialogue=w.dialogue, organisation=w.nordlys).update(withdrawn_at=timezone.now())
    # A supplier that is not verified takes part, with a private discussion of its own.
    unverified = Organisation.objects.get(staff__user=w.unverified)
    Participation.objects.create(dialogue=w.dialogue, organisation=unverified, registered_by=w.unverified)
    get_or_create_private_thread(dialogue=w.dialogue, supplier=unverified, user=w.unverified)
    # Trafikverket (non_member here) runs a group of its own; Energimyndigheten's observer
    # coordinates it without being a member user, and Tredje takes part in its dialogue.
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
    Coordinator.objects.create(group=other, user=w.observer, appointed_by=w.non_member)
    need = create_need(
        group=other, user=w.non_member, fields=NEED_FIELDS, requirements=NEED_REQUIREMENTS, change_note=""
    )
    move_need(need=need, user=w.non_member, to_state=NeedStatement.State.PUBLISHED)
    dialogue = make_open_dialogue(other, need, w.non_member, title="Dialog om laddning")
    Participation.objects.create(dialogue=dialogue, organisation=w.tredje, registered_by=w.outside_supplier)
    start_group_thread(group=other, author=w.non_member, title="Intern", body="Hej")
    get_or_create_dialogue_thread(dialogue=dialogue, user=w.non_member)
    get_or_create_private_thread(dialogue=dialogue, supplier=w.tredje, user=w.outside_supplier)
    return w


def can_read(user, thread) -> bool:
    return thread_access(user, thread).can_read


def test_the_discussions_a_user_reads_agree_with_the_rule_for_one_discussion(world):
    threads = list(Thread.objects.select_related("group", "dialogue__group", "supplier"))
    assert_twins_agree([fresh(getattr(world, role)) for role in ROLES], threads, can_read, threads_readable_by)


def test_the_readers_of_a_discussion_agree_with_the_rule_for_one_person(world):
    threads = list(Thread.objects.select_related("group", "dialogue__group", "supplier"))
    users = [fresh(getattr(world, role)) for role in ROLES]
    assert_twins_agree(threads, users, lambda thread, user: can_read(user, thread), thread_readers)
