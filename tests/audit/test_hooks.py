"""Every service that performs a moderation or administrative action writes its audit row, with
the right actor, action, target and group, inside the action's own transaction."""

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from accounts.models import Organisation
from accounts.services import decide_domain_join, invite_colleague, request_domain_join, review_organisation
from audit.models import Action, AuditEntry
from dialogues.models import SubmissionAccess
from dialogues.services.answers import publish_answer, publish_clarification, start_amendment
from dialogues.services.dialogue import close_dialogue
from dialogues.services.proposals import log_submission_access
from dialogues.services.record import log_record_export, publish_public_record
from discussions.services import hide_message, lock_thread, restore_message, start_group_thread, unlock_thread
from groups.models import NeedStatement, Stage
from groups.services.group import set_current_stage
from groups.services.memberships import (
    answer_invitation,
    appoint_coordinator,
    decide_membership,
    end_membership,
    invite_organisation,
    remove_coordinator,
    request_membership,
)
from groups.services.needs import move_need
from tests.factories import OrganisationFactory, person_at
from tests.signing_in import TwoFactorClient

pytestmark = pytest.mark.django_db


def latest(action) -> AuditEntry:
    entry = AuditEntry.objects.filter(action=action).order_by("-pk").first()
    assert entry is not None, f"no {action} entry"
    return entry


def assert_entry(action, *, actor, target, group=None, reason=None, detail=None):
    entry = latest(action)
    assert entry.actor_id == actor.pk
    assert (entry.target_type, entry.target_id) == (target._meta.label_lower, str(target.pk))
    assert entry.group_id == (group.pk if group is not None else None)
    if reason is not None:
        assert entry.reason == reason
    if detail is not None:
        assert entry.detail == detail
    return entry


# --- accounts ------------------------------------------------------------------------------


@pytest.mark.parametrize(("verify", "action"), [(True, Action.ORG_VERIFIED), (False, Action.ORG_REJECTED)])
def test_organisation_review(cast, verify, action):
    organisation = Organisation.objects.get(name="Ny kommun")
    review_organisation(organisation=organisation, reviewer=cast.facilitator, verify=verify, reason="Kontrollerad")
    assert_entry(action, actor=cast.facilitator, target=organisation, reason="Kontrollerad")


def test_colleague_invitation(cast):
    invitation = invite_colleague(
        organisation=cast.vaxjo, invited_by=cast.coordinator, email="ny@vaxjo.se", role="admin"
    )
    assert_entry(Action.INVITATION_SENT, actor=cast.coordinator, target=invitation, detail="admin")


@pytest.mark.parametrize(
    ("accept", "action"), [(True, Action.MEMBERSHIP_APPROVED), (False, Action.MEMBERSHIP_DECLINED)]
)
def test_domain_join_decision(cast, accept, action):
    join_request = request_domain_join(organisation=cast.vaxjo, user=cast.stranger)
    decide_domain_join(join_request=join_request, admin=cast.coordinator, accept=accept)
    assert_entry(action, actor=cast.coordinator, target=join_request)


# --- groups --------------------------------------------------------------------------------


def test_creating_a_group_logs_the_group_and_its_first_coordinator(cast):
    founding = cast.group.memberships.get(organisation=cast.vaxjo)
    created = assert_entry(Action.GROUP_CREATED, actor=cast.coordinator, target=cast.group, group=cast.group)
    assert created.params == {
        "organisation": cast.vaxjo.name,
        "organisation_id": cast.vaxjo.pk,
        "membership_id": founding.pk,
    }
    appointed = AuditEntry.objects.filter(action=Action.COORDINATOR_APPOINTED, group_id=cast.group.pk).get()
    assert (appointed.actor_id, appointed.target_id) == (cast.coordinator.pk, str(cast.coordinator.pk))


def test_a_stage_change_is_logged_with_the_stage(cast):
    with translation.override("en"):  # the actor's language does not reach the log: it keeps the code
        set_current_stage(group=cast.group, stage=Stage.PRE_STUDY, user=cast.coordinator)
    assert_entry(
        Action.GROUP_STAGE_CHANGED,
        actor=cast.coordinator,
        target=cast.group,
        group=cast.group,
        detail="pre_study",
    )


@pytest.mark.parametrize(
    ("approve", "action"), [(True, Action.MEMBERSHIP_APPROVED), (False, Action.MEMBERSHIP_DECLINED)]
)
def test_join_request_decision(cast, approve, action):
    membership = request_membership(
        group=cast.group, organisation=cast.trafikverket, user=cast.non_member, motivation="Vi vill"
    )
    assert_entry(
        Action.MEMBERSHIP_REQUESTED,
        actor=cast.non_member,
        target=membership,
        group=cast.group,
        reason="Vi vill",
        detail="member",
    )
    decide_membership(membership=membership, user=cast.coordinator, approve=approve, reason="Skäl")
    assert_entry(action, actor=cast.coordinator, target=membership, group=cast.group, reason="Skäl", detail="member")


@pytest.mark.parametrize(
    ("accept", "action"), [(True, Action.INVITATION_ACCEPTED), (False, Action.INVITATION_DECLINED)]
)
def test_group_invitation_sent_and_answered(cast, accept, action):
    membership = invite_organisation(
        group=cast.group, organisation=cast.trafikverket, role="observer", user=cast.coordinator, message="Välkomna"
    )
    assert_entry(Action.INVITATION_SENT, actor=cast.coordinator, target=membership, group=cast.group, reason="Välkomna")
    answer_invitation(membership=membership, user=cast.non_member, accept=accept)
    assert_entry(action, actor=cast.non_member, target=membership, group=cast.group, detail="observer")


@pytest.mark.parametrize(("removed", "action"), [(True, Action.MEMBERSHIP_REMOVED), (False, Action.MEMBERSHIP_LEFT)])
def test_membership_end(cast, removed, action):
    membership = cast.group.memberships.get(organisation=cast.lund)
    end_membership(membership=membership, user=cast.coordinator, removed=removed, reason="Slut")
    assert_entry(action, actor=cast.coordinator, target=membership, group=cast.group, reason="Slut")


def test_coordinator_appointed_and_removed(cast):
    coordinator = appoint_coordinator(group=cast.group, person=cast.member, user=cast.coordinator)
    assert_entry(Action.COORDINATOR_APPOINTED, actor=cast.coordinator, target=cast.member, group=cast.group)
    remove_coordinator(coordinator=coordinator, user=cast.coordinator, reason="Byte")
    assert_entry(Action.COORDINATOR_REMOVED, actor=cast.coordinator, target=cast.member, group=cast.group)


def test_ending_a_coordinating_membership_logs_the_lost_coordinator_role(cast):
    appoint_coordinator(group=cast.group, person=cast.member, user=cast.coordinator)
    end_membership(membership=cast.group.memberships.get(organisation=cast.lund), user=cast.member, removed=False)
    assert_entry(Action.COORDINATOR_REMOVED, actor=cast.member, target=cast.member, group=cast.group)


def test_need_review_and_publication(cast):
    move_need(need=cast.need, user=cast.coordinator, to_state=NeedStatement.State.IN_REVIEW)
    assert_entry(
        Action.NEED_STATE, actor=cast.coordinator, target=cast.need, group=cast.group, detail="draft → in_review"
    )
    move_need(need=cast.need, user=cast.coordinator, to_state=NeedStatement.State.PUBLISHED)
    cast.need.refresh_from_db()
    assert_entry(
        Action.NEED_PUBLISHED,
        actor=cast.coordinator,
        target=cast.need.published_version,
        group=cast.group,
        detail="in_review → published",
    )


# --- dialogues -----------------------------------------------------------------------------


def test_dialogue_opened_and_closed(dc):
    assert_entry(Action.DIALOGUE_STATE, actor=dc.coordinator, target=dc.dialogue, group=dc.group, detail="draft → open")
    close_dialogue(dialogue=dc.dialogue, user=dc.coordinator)
    assert_entry(
        Action.DIALOGUE_STATE, actor=dc.coordinator, target=dc.dialogue, group=dc.group, detail="open → closed"
    )


def test_clarification_and_amendment_publication(dc):
    clarification = publish_clarification(dialogue=dc.dialogue, user=dc.coordinator, body="Batteribyte godtas.")
    assert_entry(
        Action.ANSWER_PUBLISHED, actor=dc.coordinator, target=clarification, group=dc.group, detail="clarification"
    )
    amendment = publish_answer(answer=start_amendment(answer=clarification, user=dc.member), user=dc.member)
    assert_entry(
        Action.ANSWER_PUBLISHED,
        actor=dc.member,
        target=amendment,
        group=dc.group,
        detail=f"clarification, amends #{clarification.number}",
    )
    assert AuditEntry.objects.filter(action=Action.ANSWER_PUBLISHED).count() == 2


@pytest.mark.parametrize("kind", [SubmissionAccess.Action.VIEW, SubmissionAccess.Action.DOWNLOAD])
def test_every_access_to_a_proposal_is_logged_beside_the_access_log(dc, submission_a, kind):
    version = submission_a.latest_version
    attachment = version.attachments.first() if kind == SubmissionAccess.Action.DOWNLOAD else None
    log_submission_access(submission=submission_a, user=dc.member, action=kind, version=version, attachment=attachment)
    entry = assert_entry(Action.SUBMISSION_ACCESSED, actor=dc.member, target=submission_a, group=dc.group)
    assert (entry.detail, entry.params) == (kind, {"version": 1})
    # An attachment's name is kept apart, for those who may read it (tests/audit/test_confidential_details.py).
    assert entry.confidential == ({"attachment": attachment.original_name} if attachment else {})
    assert SubmissionAccess.objects.filter(submission=submission_a, action=kind).count() == 1


def test_the_supplier_reading_its_own_proposal_is_no_access(dc, submission_a):
    log_submission_access(submission=submission_a, user=dc.supplier_a, action=SubmissionAccess.Action.VIEW)
    assert not AuditEntry.objects.filter(action=Action.SUBMISSION_ACCESSED).exists()


def test_record_export_with_proposals_logs_the_export_and_each_proposal(dc, submission_a):
    log_record_export(dialogue=dc.dialogue, user=dc.coordinator)
    assert_entry(
        Action.RECORD_EXPORTED, actor=dc.coordinator, target=dc.dialogue, group=dc.group, detail="with proposals"
    )
    assert_entry(Action.SUBMISSION_ACCESSED, actor=dc.coordinator, target=submission_a, group=dc.group)


def test_record_export_without_proposals_logs_only_the_export(dc, submission_a):
    log_record_export(dialogue=dc.dialogue, user=dc.facilitator, with_submission_content=False)
    assert_entry(Action.RECORD_EXPORTED, actor=dc.facilitator, target=dc.dialogue, group=dc.group)
    assert not AuditEntry.objects.filter(action=Action.SUBMISSION_ACCESSED).exists()


def test_record_page_view_is_an_export(dc):
    client = TwoFactorClient()
    client.force_login(dc.coordinator)
    assert client.get(reverse("dialogues:record", args=[dc.dialogue.pk]), REMOTE_ADDR="192.0.2.8").status_code == 200
    entry = assert_entry(Action.RECORD_EXPORTED, actor=dc.coordinator, target=dc.dialogue, group=dc.group)
    assert entry.ip == "192.0.2.8"


def test_public_record_publication(dc):
    publish_public_record(dialogue=dc.dialogue, user=dc.coordinator, public_record={})
    assert_entry(Action.RECORD_PUBLISHED, actor=dc.coordinator, target=dc.dialogue, group=dc.group)


def test_thread_moderation(dc):
    thread = start_group_thread(group=dc.group, author=dc.member, title="Laddning", body="Köp våra laddare!")
    message = thread.messages.get()
    hide_message(message=message, moderator=dc.coordinator, reason="Reklam")
    assert_entry(Action.CONTENT_HIDDEN, actor=dc.coordinator, target=message, group=dc.group, reason="Reklam")
    restore_message(message=message, moderator=dc.facilitator, reason="Ok ändå")
    assert_entry(Action.CONTENT_RESTORED, actor=dc.facilitator, target=message, group=dc.group, reason="Ok ändå")
    lock_thread(thread=thread, moderator=dc.coordinator, reason="Klart")
    assert_entry(Action.THREAD_LOCKED, actor=dc.coordinator, target=thread, group=dc.group, reason="Klart")
    unlock_thread(thread=thread, moderator=dc.coordinator)
    assert_entry(Action.THREAD_UNLOCKED, actor=dc.coordinator, target=thread, group=dc.group)


# --- indicator -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "detail"),
    [("indicator:averages-export", "averages?year_from=2025"), ("indicator:assessments-export", "assessments")],
)
def test_indicator_exports(cast, url_name, detail):
    client = TwoFactorClient()
    client.force_login(cast.facilitator)
    query = {"year_from": "2025"} if detail.startswith("averages") else {}
    assert client.get(reverse(url_name), query).status_code == 200
    entry = latest(Action.INDICATOR_EXPORTED)
    assert (entry.actor_id, entry.target_type, entry.detail) == (cast.facilitator.pk, "", detail)


# --- the transaction -----------------------------------------------------------------------


def test_a_rolled_back_action_leaves_no_audit_row(cast):
    organisation = OrganisationFactory(name="Ångrad AB", status=Organisation.Status.UNVERIFIED)
    person_at(organisation)
    with pytest.raises(RuntimeError), transaction.atomic():
        review_organisation(organisation=organisation, reviewer=cast.facilitator, verify=True)
        assert AuditEntry.objects.filter(action=Action.ORG_VERIFIED).exists()
        raise RuntimeError("the caller failed after the service")
    assert not AuditEntry.objects.filter(action=Action.ORG_VERIFIED).exists()
