"""The audit log keeps codes and values, and words them in the reader's language when it is read
(audit/details.py): stages, roles, suspensions' end dates, e-mail domains. Entries written before a
detail became a code read as they were stored."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from accounts.services import register_domain
from audit.details import describe, target_name
from audit.models import Action, AuditEntry
from audit.services import record
from groups.models import Stage
from groups.services.group import set_current_stage
from groups.services.memberships import end_membership
from moderation.services import lift_suspension, suspend_user
from tests.signing_in import TwoFactorClient

pytestmark = pytest.mark.django_db


def latest(action) -> AuditEntry:
    entry = AuditEntry.objects.filter(action=action).order_by("-pk").first()
    assert entry is not None, f"no {action} entry"
    return entry


def read_in(language, entry) -> str:
    with translation.override(language):
        return describe(entry)


def audit_page(user, language="en", **filters) -> str:
    client = TwoFactorClient()
    client.force_login(user)
    with translation.override(language):
        response = client.get("/audit/", filters, headers={"accept-language": language})
    assert response.status_code == 200
    return response.content.decode()


# --- Codes, worded when read ----------------------------------------------------------------


def test_a_stage_is_kept_as_its_code_and_read_in_the_readers_language(cast):
    with translation.override("sv"):  # the actor writes in Swedish …
        set_current_stage(group=cast.group, stage=Stage.PRE_STUDY, user=cast.coordinator)
    entry = latest(Action.GROUP_STAGE_CHANGED)
    assert entry.detail == "pre_study"
    assert read_in("en", entry) == "Pre-study and market analysis"  # … an English reader reads English
    assert read_in("sv", entry) == "Förstudie och marknadsanalys"


@pytest.mark.parametrize(
    ("stored", "english"),
    [
        ("Förstudie och marknadsanalys", "Pre-study and market analysis"),  # a Swedish actor, before codes
        ("Early dialogue", "Early dialogue"),  # an English one
        ("Något annat", "Något annat"),  # not a stage's label at all: as stored
    ],
)
def test_a_stage_stored_as_a_label_before_is_recognised_in_any_language(cast, stored, english):
    """The log is append-only, so older entries are not rewritten: their label is read back."""
    record(
        actor=cast.coordinator, action=Action.GROUP_STAGE_CHANGED, target=cast.group, group=cast.group, detail=stored
    )
    assert read_in("en", latest(Action.GROUP_STAGE_CHANGED)) == english


def test_a_role_stored_as_a_swedish_label_before_reads_in_english(cast):
    membership = cast.group.memberships.get(organisation=cast.lund)
    record(actor=cast.member, action=Action.MEMBERSHIP_REQUESTED, target=membership, group=cast.group, detail="Medlem")
    assert read_in("en", latest(Action.MEMBERSHIP_REQUESTED)) == "Member"


def test_the_group_history_names_the_stage_in_the_readers_language(cast):
    with translation.override("sv"):
        set_current_stage(group=cast.group, stage=Stage.PRE_STUDY, user=cast.coordinator)
    client = TwoFactorClient()
    client.force_login(cast.coordinator)
    client.cookies["django_language"] = "en"
    body = client.get(f"/groups/{cast.group.slug}/history/").content.decode()
    assert "Pre-study and market analysis" in body and "pre_study" not in body


def test_a_coordinator_removed_with_their_organisation_is_explained_in_the_readers_language(cast):
    membership = cast.group.memberships.get(organisation=cast.lund)
    cast.group.coordinators.create(user=cast.member, appointed_by=cast.coordinator)
    with translation.override("sv"):
        end_membership(membership=membership, user=cast.coordinator, removed=True, reason="Slut")
    entry = AuditEntry.objects.get(action=Action.COORDINATOR_REMOVED, target_id=str(cast.member.pk))
    assert (entry.detail, entry.reason) == ("membership_ended", "")
    assert read_in("en", entry) == "their organisation is no longer a member"


def test_creating_a_group_names_its_first_member(cast):
    entry = latest(Action.GROUP_CREATED)
    assert (entry.target_type, entry.target_id) == ("groups.buyergroup", str(cast.group.pk))
    assert read_in("en", entry) == f"first member: {cast.vaxjo.name}"
    assert "first member: Växjö kommun" in audit_page(cast.facilitator, action=Action.GROUP_CREATED)


# --- E-mail domains ------------------------------------------------------------------------


def test_registering_an_email_domain_is_logged(cast):
    registered = register_domain(organisation=cast.vaxjo, domain="Vaxjo.SE", added_by=cast.coordinator)
    entry = latest(Action.DOMAIN_REGISTERED)
    assert (entry.actor_id, entry.target_type, entry.target_id) == (
        cast.coordinator.pk,
        "accounts.organisation",
        str(cast.vaxjo.pk),
    )
    assert entry.detail == registered.domain == "vaxjo.se"
    body = audit_page(cast.facilitator, action=Action.DOMAIN_REGISTERED)
    assert "registered an e-mail domain" in body and "vaxjo.se" in body


def test_registering_a_domain_through_the_page_is_logged(cast):
    client = TwoFactorClient()
    client.force_login(cast.coordinator)
    own_domain = cast.coordinator.email.rsplit("@", 1)[1]  # an admin registers the domain of their own address
    response = client.post(reverse("accounts:domain-create", args=[cast.vaxjo.pk]), {"domain": own_domain})
    assert response.status_code == 302
    assert latest(Action.DOMAIN_REGISTERED).detail == own_domain.lower()


# --- Suspensions ---------------------------------------------------------------------------


def test_a_suspension_logs_its_end_date_and_reads_it_in_the_readers_language(cast):
    ends_at = timezone.now() + timedelta(days=7)
    suspension = suspend_user(
        user=cast.member, moderator=cast.facilitator, reason="Påhopp", group=cast.group, ends_at=ends_at
    )
    entry = latest(Action.USER_SUSPENDED)
    assert entry.params == {"suspension": suspension.pk, "ends_at": ends_at.isoformat()}
    with translation.override("en"):
        expected = formats.date_format(timezone.localtime(ends_at), "SHORT_DATETIME_FORMAT")
    assert read_in("en", entry) == f"until {expected}"
    assert "/" not in expected  # day before month, by name (config/formats/en): never 12/04/2026
    assert expected in audit_page(cast.facilitator, action=Action.USER_SUSPENDED)


def test_a_suspension_without_end_is_logged_as_until_lifted(cast):
    suspend_user(user=cast.member, moderator=cast.facilitator, reason="Påhopp")
    entry = latest(Action.USER_SUSPENDED)
    assert entry.params["ends_at"] is None
    assert read_in("en", entry) == "until lifted"


def test_lifting_a_suspension_early_logs_when_it_was_to_end(cast):
    ends_at = timezone.now() + timedelta(days=7)
    suspension = suspend_user(
        user=cast.member, moderator=cast.facilitator, reason="Påhopp", group=cast.group, ends_at=ends_at
    )
    lift_suspension(suspension=suspension, moderator=cast.facilitator, reason="Missförstånd")
    entry = latest(Action.SUSPENSION_LIFTED)
    assert (entry.reason, entry.params) == (
        "Missförstånd",
        {"suspension": suspension.pk, "ends_at": ends_at.isoformat()},
    )
    assert read_in("en", entry).startswith("lifted early; it was to end ")


def test_a_suspension_logged_before_end_dates_were_kept_reads_as_stored(cast):
    record(actor=cast.facilitator, action=Action.USER_SUSPENDED, target=cast.member, reason="Påhopp")
    assert read_in("en", latest(Action.USER_SUSPENDED)) == ""


def test_removing_a_domain_through_the_page_is_logged(cast):
    domain = register_domain(organisation=cast.vaxjo, domain="vaxjo.se", added_by=cast.coordinator)
    client = TwoFactorClient()
    client.force_login(cast.coordinator)
    response = client.post(reverse("accounts:domain-delete", args=[cast.vaxjo.pk, domain.pk]))
    assert response.status_code == 302
    assert not cast.vaxjo.domains.filter(pk=domain.pk).exists()
    entry = latest(Action.DOMAIN_REMOVED)
    assert (entry.actor_id, entry.target_id, entry.detail) == (cast.coordinator.pk, str(cast.vaxjo.pk), "vaxjo.se")
    assert "removed an e-mail domain" in audit_page(cast.facilitator, action=Action.DOMAIN_REMOVED)


# --- The dialogues' and needs' details, and targets named in the reader's language (issue 19) ---


def entry(action, detail="", **fields) -> AuditEntry:
    return AuditEntry(action=action, detail=detail, **fields)


@pytest.mark.parametrize(
    ("action", "detail", "english"),
    [
        (Action.DIALOGUE_STATE, "draft → open", "Draft → Open"),
        (Action.DIALOGUE_STATE, "open → closed", "Open → Closed"),
        (Action.NEED_STATE, "in_review → closed", "In review → Closed"),
        (Action.NEED_PUBLISHED, "draft → published", "Draft → Published"),
        (Action.ANSWER_PUBLISHED, "clarification", "Clarification"),
        (Action.ANSWER_PUBLISHED, "answer, amends #3", "Answer, amends no. 3"),
        (Action.ANSWER_WITHDRAWN, "no. 2 withdrawn by notice no. 5", "no. 2, withdrawn by notice no. 5"),
        (Action.DIALOGUE_AMENDED, "no. 4: need_version 1 → 2", "notice no. 4: need statement version 1 → 2"),
        (
            Action.DIALOGUE_AMENDED,
            "no. 6: question_deadline; shorter notice approved by a facilitator: question_deadline",
            "notice no. 6: last day for questions; shorter notice approved by a facilitator: last day for questions",
        ),
        (
            Action.IDENTITY_CHECK_OVERRIDDEN,
            "Solvent (name: Solvent AB)",
            "Solvent (a participating supplier's name: Solvent AB)",
        ),
    ],
)
def test_dialogue_and_need_details_read_in_the_readers_language(action, detail, english):
    assert read_in("en", entry(action, detail)) == english


def test_a_state_change_reads_in_swedish_too():
    swedish = read_in("sv", entry(Action.DIALOGUE_STATE, "draft → open"))
    assert "draft" not in swedish and "open" not in swedish and " → " in swedish


@pytest.mark.parametrize(
    ("action", "detail"),
    [
        (Action.DIALOGUE_STATE, "somewhere → elsewhere"),  # not codes: as stored
        (Action.DIALOGUE_AMENDED, "something else entirely"),
        (Action.IDENTITY_CHECK_OVERRIDDEN, "Solvent (unknown_kind: Solvent AB)"),
    ],
)
def test_a_detail_in_another_shape_reads_as_stored(action, detail):
    assert read_in("en", entry(action, detail)) == detail


@pytest.mark.parametrize(
    ("target_type", "english"),
    [
        ("discussions.message", "message 303"),
        ("dialogues.message", "message 303"),  # messages lived in dialogues before
        ("groups.needstatement", "need statement 303"),
        ("retired.thing", "retired.thing 303"),  # a model that is gone: as stored
    ],
)
def test_the_target_is_named_in_the_readers_language(target_type, english):
    with translation.override("en"):
        assert target_name(entry(Action.CONTENT_HIDDEN, target_type=target_type, target_id="303")) == english


def test_the_log_page_names_targets_by_their_verbose_name(cast):
    record(actor=cast.coordinator, action=Action.GROUP_STAGE_CHANGED, target=cast.need, group=cast.group)
    html = audit_page(cast.facilitator)
    assert "(need statement " in html and "(groups.needstatement " not in html
