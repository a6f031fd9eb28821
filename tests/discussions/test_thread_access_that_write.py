"""Thread access after something changes (a supplier not verified any more, a lock, a closed
dialogue, a withdrawal, a removed member, a deleted account, a lost second factor): each test
builds its own cast (test_thread_access.py reads one)."""

import pytest
from django.utils import timezone

from dialogues.models import Dialogue, Participation
from discussions.access import can_read_thread, thread_access, thread_readers
from discussions.services import lock_thread
from groups.models import Membership
from tests.discussions.test_thread_access import user_of

pytestmark = pytest.mark.django_db


def test_unverified_reader_reads_but_does_not_write(thread_cast):
    thread_cast.solvent.status = "unverified"
    thread_cast.solvent.save()
    access = thread_access(
        type(thread_cast.supplier).objects.get(pk=thread_cast.supplier.pk), thread_cast.private_thread
    )
    assert access.can_read and not access.can_post
    assert "verified" in access.refusal


def test_locked_thread_takes_no_messages_from_anyone(thread_cast):
    lock_thread(thread=thread_cast.group_thread, moderator=thread_cast.facilitator, reason="Paus")
    thread_cast.group_thread.refresh_from_db()
    for role in ("member", "coordinator", "facilitator"):
        access = thread_access(user_of(thread_cast, role), thread_cast.group_thread)
        assert access.can_read and not access.can_post and "locked" in access.refusal


def test_suppliers_stop_writing_when_the_dialogue_closes_and_the_group_does_not(thread_cast):
    Dialogue.objects.filter(pk=thread_cast.dialogue.pk).update(state=Dialogue.State.CLOSED, closed_at=timezone.now())
    thread_cast.open_thread.dialogue.refresh_from_db()
    supplier = thread_access(thread_cast.supplier, thread_cast.open_thread)
    assert supplier.can_read and not supplier.can_post and "closed" in supplier.refusal
    assert thread_access(thread_cast.member, thread_cast.open_thread).can_post


def test_withdrawn_supplier_keeps_its_private_thread_to_read_only(thread_cast):
    Participation.objects.filter(organisation=thread_cast.solvent).update(withdrawn_at=timezone.now())
    private = thread_access(thread_cast.supplier, thread_cast.private_thread)
    assert private.can_read and not private.can_post
    assert "no longer takes part" in private.refusal
    assert not thread_access(thread_cast.supplier, thread_cast.open_thread).can_read


def test_removed_member_organisation_loses_the_group_threads(thread_cast):
    Membership.objects.filter(organisation=thread_cast.lund).update(status=Membership.Status.REMOVED)
    assert not can_read_thread(thread_cast.member, thread_cast.group_thread.pk)
    assert not can_read_thread(thread_cast.member, thread_cast.private_thread.pk)


def test_deactivated_or_deleted_people_read_nothing_over_the_socket(thread_cast):
    from accounts.services import delete_account

    delete_account(user=thread_cast.member)
    assert not can_read_thread(thread_cast.member, thread_cast.group_thread.pk)
    assert not thread_readers(thread_cast.group_thread).filter(pk=thread_cast.member.pk).exists()
