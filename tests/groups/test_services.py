import pytest

from audit.models import Action, AuditEntry
from groups.models import Coordinator, Endorsement, EndorsementChange, Membership, NeedStatement
from groups.services.memberships import end_membership, remove_coordinator, request_membership
from groups.services.needs import StaleEdit, demand_aggregate, move_need, save_endorsement, save_need_version
from groups.services.shared import GroupRuleError
from tests.groups.conftest import FIELDS

pytestmark = pytest.mark.django_db


def next_version(cast, requirements, *, base=None, title=None):
    need = cast.need
    need.refresh_from_db()
    return save_need_version(
        need=need,
        user=cast.member,
        fields={**FIELDS, "title": title or FIELDS["title"]},
        requirements=requirements,
        change_note="ändring",
        base_version_number=base if base is not None else need.current_version.number,
    )


def test_creating_a_group_makes_the_creator_coordinator_of_the_first_member(cast):
    group = cast.group
    first = group.memberships.get(organisation=cast.vaxjo)
    assert first.status == Membership.Status.ACTIVE and first.role == Membership.Role.MEMBER
    assert list(group.coordinators.values_list("user", flat=True)) == [cast.coordinator.pk]
    assert group.stage_plan.count() == 6
    created = AuditEntry.objects.get(group_id=group.pk, action=Action.GROUP_CREATED)
    assert (created.actor_id, created.target_type, created.target_id) == (
        cast.coordinator.pk,
        "groups.buyergroup",
        str(group.pk),
    )
    assert created.params["membership_id"] == first.pk


def test_closed_group_refuses_join_requests(cast):
    cast.group.is_open = False
    cast.group.save()
    with pytest.raises(GroupRuleError):
        request_membership(group=cast.group, organisation=cast.trafikverket, user=cast.non_member, motivation="x")


def test_a_second_open_request_is_refused(cast):
    request_membership(group=cast.group, organisation=cast.trafikverket, user=cast.non_member, motivation="x")
    with pytest.raises(GroupRuleError):
        request_membership(group=cast.group, organisation=cast.trafikverket, user=cast.non_member, motivation="y")
    assert cast.group.memberships.filter(organisation=cast.trafikverket).count() == 1


def test_decisions_are_recorded_with_reason(cast):
    entries = AuditEntry.objects.filter(group_id=cast.group.pk, action=Action.MEMBERSHIP_APPROVED)
    approved = cast.group.memberships.filter(organisation__in=[cast.lund, cast.energi])
    assert {e.target_id for e in entries} == {str(m.pk) for m in approved}
    assert all(e.actor_id == cast.coordinator.pk for e in entries)


def test_the_last_coordinator_cannot_leave_or_be_removed(cast):
    membership = cast.group.memberships.get(organisation=cast.vaxjo)
    with pytest.raises(GroupRuleError):
        end_membership(membership=membership, user=cast.coordinator, removed=False)
    with pytest.raises(GroupRuleError):
        remove_coordinator(coordinator=Coordinator.objects.get(group=cast.group), user=cast.coordinator)
    membership.refresh_from_db()
    assert membership.status == Membership.Status.ACTIVE


def test_removing_a_member_records_who_and_why(cast):
    membership = cast.group.memberships.get(organisation=cast.lund)
    end_membership(membership=membership, user=cast.coordinator, removed=True, reason="Lämnat projektet")
    entry = AuditEntry.objects.get(group_id=cast.group.pk, action=Action.MEMBERSHIP_REMOVED)
    assert (entry.target_id, entry.reason, entry.actor_id) == (
        str(membership.pk),
        "Lämnat projektet",
        cast.coordinator.pk,
    )


def test_a_change_of_the_group_marks_it_active(cast):
    cast.group.refresh_from_db()
    before = cast.group.last_activity_at
    membership = cast.group.memberships.get(organisation=cast.lund)
    end_membership(membership=membership, user=cast.coordinator, removed=True, reason="Slut")
    cast.group.refresh_from_db()
    assert cast.group.last_activity_at > before


def test_requirement_numbers_are_stable_and_never_reused(cast):
    first = cast.need.current_version
    assert [r["number"] for r in first.requirements] == [1, 2]
    # Drop R1, keep R2, add one: the new one is R3, not R1.
    kept = [first.requirements[1], {"number": None, "text": "Buller", "priority": "should"}]
    second = next_version(cast, kept)
    assert [r["number"] for r in second.requirements] == [2, 3]
    # A client cannot claim a number that was never there.
    third = next_version(cast, [*second.requirements, {"number": 99, "text": "Fusk", "priority": "must"}])
    assert [r["number"] for r in third.requirements] == [2, 3, 4]


def test_a_stale_edit_is_refused_with_the_current_version(cast):
    base = cast.need.current_version.number
    saved = next_version(cast, cast.need.current_version.requirements, base=base, title="Först")
    with pytest.raises(StaleEdit) as stale:
        next_version(cast, cast.need.current_version.requirements, base=base, title="Sist")
    assert stale.value.current == saved
    cast.need.refresh_from_db()
    assert cast.need.current_version.title == "Först"


def test_publishing_freezes_a_version_and_republishing_keeps_the_previous(cast):
    move_need(need=cast.need, user=cast.coordinator, to_state=NeedStatement.State.IN_REVIEW)
    move_need(need=cast.need, user=cast.coordinator, to_state=NeedStatement.State.PUBLISHED)
    cast.need.refresh_from_db()
    first_published = cast.need.published_version
    assert first_published == cast.need.current_version

    edited = next_version(cast, cast.need.current_version.requirements, title="Ny rubrik")
    cast.need.refresh_from_db()
    assert cast.need.published_version == first_published and cast.need.current_version == edited
    assert cast.need.has_unpublished_changes

    move_need(need=cast.need, user=cast.coordinator, to_state=NeedStatement.State.PUBLISHED)
    cast.need.refresh_from_db()
    assert cast.need.published_version == edited
    assert cast.need.previously_published_version == first_published
    with pytest.raises(GroupRuleError):
        move_need(need=cast.need, user=cast.coordinator, to_state=NeedStatement.State.PUBLISHED)


def test_a_closed_need_cannot_change(published_need, cast):
    move_need(need=published_need, user=cast.coordinator, to_state=NeedStatement.State.CLOSED)
    with pytest.raises(GroupRuleError):
        next_version(cast, published_need.current_version.requirements)


def test_the_aggregate_counts_committed_authorities_only(cast):
    save_endorsement(
        need=cast.need,
        organisation=cast.vaxjo,
        user=cast.coordinator,
        commitment="committed",
        quantity=12,
        unit="maskiner",
        budget_min=10,
        budget_max=20,
        wanted_start="2028-03-01",
    )
    save_endorsement(
        need=cast.need,
        organisation=cast.lund,
        user=cast.member,
        commitment="committed",
        quantity=8,
        unit="maskiner",
        budget_min=5,
        budget_max=8,
        wanted_start="2028-09-01",
    )
    save_endorsement(
        need=cast.need,
        organisation=cast.trafikverket,
        user=cast.non_member,
        commitment="interested",
        quantity=100,
        unit="maskiner",
        budget_min=1000,
        budget_max=2000,
    )
    aggregate = demand_aggregate(cast.need)
    assert aggregate["authorities"] == 2
    assert [(row["unit"], int(row["total"])) for row in aggregate["quantities"]] == [("maskiner", 20)]
    assert (aggregate["budget_min"], aggregate["budget_max"]) == (15, 28)
    assert str(aggregate["earliest_start"]) == "2028-03-01" and str(aggregate["latest_start"]) == "2028-09-01"
    assert aggregate["interested"] == 1


def test_every_endorsement_change_is_kept(cast):
    for commitment in ("interested", "committed", "withdrawn"):
        save_endorsement(need=cast.need, organisation=cast.vaxjo, user=cast.coordinator, commitment=commitment)
    endorsement = Endorsement.objects.get()
    assert endorsement.commitment == "withdrawn"
    assert EndorsementChange.objects.filter(endorsement=endorsement).count() == 3
