"""Suspensions: a suspended person cannot post or join, is told why and until when, and is cut
off from live discussions (moderation/services.py suspend_user, the gates in the posting and
joining services, and the discussion socket)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from accounts.models import Suspension
from audit.models import Action, AuditEntry
from dialogues.services.answers import ask_question
from dialogues.services.dialogue import register_participation
from dialogues.services.proposals import submit_proposal
from dialogues.services.shared import DialogueRuleError
from discussions.services import ThreadRuleError, post_message
from groups.services.group import create_group
from groups.services.memberships import request_membership
from groups.services.shared import GroupRuleError
from moderation.access import require_can_suspend
from moderation.services import ModerationError, lift_suspension, suspend_user
from notifications.models import Notification
from tests.factories import OrganisationFactory, person_at
from tests.moderation.conftest import signed_in


def suspend_url(user):
    return reverse("moderation:user-suspend", args=[user.pk])


def test_a_group_suspension_stops_posting_there_and_says_why_and_until_when(mc):
    until = timezone.now() + timedelta(days=7)
    suspend_user(user=mc.member, moderator=mc.coordinator, reason="Upprepade påhopp", group=mc.group, ends_at=until)
    with pytest.raises(ThreadRuleError, match="suspended you from Fossilfria arbetsmaskiner until .*Upprepade påhopp"):
        post_message(thread=mc.thread, author=mc.member, body="Hej igen")
    page = signed_in(mc.member).get(mc.thread.get_absolute_url()).content.decode()
    assert "Upprepade påhopp" in page and 'id="composer-form"' not in page


def test_the_suspended_person_is_told_and_it_is_recorded(mc):
    until = timezone.now() + timedelta(days=1)
    suspend_user(user=mc.member, moderator=mc.coordinator, reason="Påhopp", group=mc.group, ends_at=until)
    notice = Notification.objects.get(recipient=mc.member, kind="moderation_action")
    assert (notice.params["variant"], notice.params["reason"]) == ("suspended_until", "Påhopp")
    entry = AuditEntry.objects.get(action=Action.USER_SUSPENDED)
    assert (entry.actor_id, entry.target_id, entry.group_id) == (mc.coordinator.pk, str(mc.member.pk), mc.group.pk)


def test_a_site_suspension_stops_questions_proposals_and_joining(mc):
    suspend_user(user=mc.supplier_a, moderator=mc.facilitator, reason="Reklam överallt")
    with pytest.raises(DialogueRuleError, match="suspended you from the site until further notice"):
        ask_question(dialogue=mc.dialogue, organisation=mc.solvent, user=mc.supplier_a, text="Fråga")
    with pytest.raises(DialogueRuleError, match="Reklam överallt"):
        submit_proposal(dialogue=mc.dialogue, organisation=mc.solvent, user=mc.supplier_a, text="Nytt")
    with pytest.raises(DialogueRuleError, match="Reklam överallt"):
        register_participation(dialogue=mc.dialogue, organisation=mc.third, user=mc.supplier_a)


def test_a_suspended_person_cannot_ask_to_join_a_group(mc):
    suspend_user(user=mc.non_member, moderator=mc.facilitator, reason="Spam", group=mc.group)
    organisation = mc.non_member.affiliations.get().organisation
    with pytest.raises(GroupRuleError, match="Spam"):
        request_membership(group=mc.group, organisation=organisation, user=mc.non_member, motivation="Vi vill")
    response = signed_in(mc.non_member).post(
        reverse("groups:membership-request", args=[mc.group.slug]),
        {"organisation": organisation.pk, "motivation": "Vi vill", "role": "member"},
    )
    assert response.status_code == 400 and "Spam" in response.content.decode()


def test_a_group_suspension_leaves_other_groups_alone(mc):
    suspend_user(user=mc.coordinator, moderator=mc.facilitator, reason="Paus", group=mc.group)
    elsewhere = create_group(
        creator=mc.coordinator,
        organisation=mc.vaxjo,
        name="Skolmat",
        theme="food",
        summary="S",
        challenge="C",
        is_open=True,
    )
    from discussions.services import start_group_thread

    assert start_group_thread(group=elsewhere, author=mc.coordinator, title="Meny", body="Fisk").message_count == 1


def test_lifting_or_the_end_of_a_suspension_lets_the_person_post_again(mc):
    suspension = suspend_user(user=mc.member, moderator=mc.coordinator, reason="Paus", group=mc.group)
    lift_suspension(suspension=suspension, moderator=mc.facilitator, reason="Bättre nu")
    post_message(thread=mc.thread, author=mc.member, body="Tack")
    assert AuditEntry.objects.filter(action=Action.SUSPENSION_LIFTED).count() == 1
    with pytest.raises(ModerationError, match="no longer in force"):
        lift_suspension(suspension=suspension, moderator=mc.facilitator)
    past = timezone.now() - timedelta(days=3)
    Suspension.objects.create(
        user=mc.member, group=mc.group, reason="Förr", starts_at=past, ends_at=past + timedelta(days=1)
    )
    post_message(thread=mc.thread, author=mc.member, body="Fortfarande här")


def test_a_suspension_must_end_in_the_future_and_have_a_reason(mc):
    with pytest.raises(ModerationError, match="future"):
        suspend_user(user=mc.member, moderator=mc.facilitator, reason="x", ends_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(ModerationError, match="reason"):
        suspend_user(user=mc.member, moderator=mc.facilitator, reason="  ")
    assert not Suspension.objects.exists()


# --- Who may suspend whom --------------------------------------------------------------------


def test_a_coordinator_cannot_suspend_a_facilitator(mc):
    with pytest.raises(PermissionDenied, match="cannot suspend facilitators"):
        require_can_suspend(mc.coordinator, mc.facilitator, mc.group)
    response = signed_in(mc.coordinator).post(
        suspend_url(mc.facilitator), {"place": mc.group.pk, "duration": "7", "reason": "x", "confirmed": "true"}
    )
    assert response.status_code == 403
    assert not Suspension.objects.exists()


def test_only_facilitators_suspend_from_the_whole_site(mc):
    with pytest.raises(PermissionDenied):
        require_can_suspend(mc.coordinator, mc.member, None)
    response = signed_in(mc.coordinator).post(
        suspend_url(mc.member), {"place": "0", "duration": "", "reason": "x", "confirmed": "true"}
    )
    assert response.status_code == 400  # the whole site is not among a coordinator's choices
    assert not Suspension.objects.exists()


def test_nobody_suspends_themselves(mc):
    with pytest.raises(PermissionDenied, match="yourself"):
        require_can_suspend(mc.facilitator, mc.facilitator, None)


def test_a_coordinator_cannot_suspend_from_another_group(mc):
    lead = person_at(OrganisationFactory(name="Malmö stad"), name="Mats Malmö")
    other = create_group(
        creator=lead,
        organisation=lead.affiliations.get().organisation,
        name="Skolmat",
        theme="food",
        summary="S",
        challenge="C",
        is_open=True,
    )
    response = signed_in(mc.coordinator).post(
        suspend_url(mc.member), {"place": other.pk, "duration": "1", "reason": "x", "confirmed": "true"}
    )
    assert response.status_code == 400
    assert not Suspension.objects.exists()


@pytest.mark.parametrize("role", ["member", "observer", "supplier_a"])
def test_non_moderators_cannot_open_the_suspension_page(mc, role):
    assert signed_in(getattr(mc, role)).get(suspend_url(mc.non_member)).status_code == 403


def test_an_unknown_user_is_404(mc):
    assert signed_in(mc.facilitator).get(reverse("moderation:user-suspend", args=[999_999])).status_code == 404


def test_suspending_asks_for_confirmation_first(mc):
    client = signed_in(mc.coordinator)
    form = {"place": mc.group.pk, "duration": "7", "reason": "Upprepade påhopp"}
    first = client.post(suspend_url(mc.member), form)
    assert first.status_code == 200 and 'id="confirm-suspend"' in first.content.decode()
    assert not Suspension.objects.exists()
    second = client.post(suspend_url(mc.member), {**form, "confirmed": "true"})
    assert second.status_code == 302
    suspension = Suspension.objects.get()
    assert (suspension.user, suspension.group, suspension.reason) == (mc.member, mc.group, "Upprepade påhopp")
    assert suspension.ends_at > timezone.now() + timedelta(days=6)


def test_moderators_see_and_lift_suspensions(mc):
    suspension = suspend_user(user=mc.member, moderator=mc.coordinator, reason="Paus", group=mc.group)
    client = signed_in(mc.coordinator)
    assert "Erik Medlem" in client.get(reverse("moderation:suspension-list")).content.decode()
    assert client.post(reverse("moderation:suspension-lift", args=[suspension.pk])).status_code == 302
    suspension.refresh_from_db()
    assert suspension.lifted_by == mc.coordinator
    site_wide = suspend_user(user=mc.member, moderator=mc.facilitator, reason="Överallt")
    assert client.post(reverse("moderation:suspension-lift", args=[site_wide.pk])).status_code == 404


def test_a_suspended_admin_cannot_accept_an_invitation(mc):
    from groups.models import Membership
    from groups.services.memberships import invite_organisation

    organisation = mc.non_member.affiliations.get().organisation
    membership = invite_organisation(group=mc.group, organisation=organisation, role="member", user=mc.coordinator)
    suspend_user(user=mc.non_member, moderator=mc.facilitator, reason="Spam", group=mc.group)
    response = signed_in(mc.non_member).post(
        reverse("groups:membership-answer", args=[mc.group.slug, membership.pk]), {"decision": "accept"}, follow=True
    )
    assert "Spam" in response.content.decode()
    membership.refresh_from_db()
    assert membership.status == Membership.Status.INVITED


def test_posting_through_the_page_while_suspended_is_refused_with_the_reason(mc):
    suspend_user(user=mc.member, moderator=mc.coordinator, reason="Upprepade påhopp", group=mc.group)
    response = signed_in(mc.member).post(reverse("threads:message-create", args=[mc.thread.pk]), {"body": "Hej"})
    assert response.status_code == 403
    assert "Upprepade påhopp" in response.content.decode()
    assert not mc.thread.messages.filter(body="Hej").exists()
