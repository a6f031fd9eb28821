"""Need statements: versions that never overwrite each other (StaleEdit), review, publishing and
closing (told to members, observers and the suppliers of open dialogues), comments, and each
authority's commitment, summed for suppliers."""

from django.db import transaction
from django.db.models import Count, Max, Min, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation
from accounts.services import users_of_organisations
from audit.models import Action
from audit.services import record as record_audit
from groups.models import (
    BuyerGroup,
    Endorsement,
    EndorsementChange,
    Membership,
    NeedComment,
    NeedStatement,
    NeedVersion,
)
from groups.services.shared import GroupRuleError
from groups.signals import need_published
from notifications.services import notify


class StaleEdit(Exception):
    """Someone saved a newer version since the editor opened the form."""

    def __init__(self, current: NeedVersion):
        super().__init__("stale edit")
        self.current = current


@transaction.atomic
def create_need(*, group, user, fields: dict, requirements: list[dict], change_note: str) -> NeedStatement:
    need = NeedStatement.objects.create(group=group)
    save_need_version(
        need=need,
        user=user,
        fields=fields,
        requirements=requirements,
        change_note=change_note,
        base_version_number=None,
    )
    need.refresh_from_db()  # save_need_version worked on its own locked copy
    return need


@transaction.atomic
def save_need_version(*, need, user, fields, requirements, change_note, base_version_number) -> NeedVersion:
    """Save the next version. Refuses with StaleEdit if someone saved since base_version_number
    (the version the editor started from), so nobody silently overwrites anybody. New
    requirements get the next free number; a number is never reused."""
    need = NeedStatement.objects.select_for_update(of=("self",)).select_related("current_version").get(pk=need.pk)
    if need.state == NeedStatement.State.CLOSED:
        raise GroupRuleError(_("The need statement is closed and can no longer be changed."))
    current = need.current_version
    if current is not None and base_version_number != current.number:
        raise StaleEdit(current)
    numbered, next_number = [], need.next_requirement_number
    known = {r["number"] for r in current.requirements} if current else set()
    for requirement in requirements:
        number = requirement.get("number")
        if number not in known:
            number, next_number = next_number, next_number + 1
        numbered.append({**requirement, "number": number})
    version = NeedVersion.objects.create(
        need=need,
        number=(current.number + 1) if current else 1,
        author=user,
        change_note=change_note,
        requirements=numbered,
        **fields,
    )
    need.current_version = version
    need.next_requirement_number = next_number
    need.save(update_fields=["current_version", "next_requirement_number"])
    BuyerGroup.objects.filter(pk=need.group_id).update(last_activity_at=timezone.now())
    return version


@transaction.atomic
def move_need(*, need, user, to_state) -> None:
    """Draft → in review → published → closed, by coordinators. Publishing freezes the current
    version for the market; publishing again after edits keeps the previous one for the diff."""
    state = NeedStatement.State
    allowed = {
        state.DRAFT: {state.IN_REVIEW, state.PUBLISHED},
        state.IN_REVIEW: {state.DRAFT, state.PUBLISHED},
        state.PUBLISHED: {state.PUBLISHED, state.CLOSED},
        state.CLOSED: set(),
    }
    need = NeedStatement.objects.select_for_update().get(pk=need.pk)
    if to_state not in allowed[need.state]:
        raise GroupRuleError(
            _("The need statement cannot go from %(from)s to %(to)s.")
            % {"from": state(need.state).label, "to": state(to_state).label}
        )
    if to_state == state.PUBLISHED:
        if need.published_version_id == need.current_version_id:
            raise GroupRuleError(_("This version is already published."))
        if need.published_version_id:
            need.previously_published_version_id = need.published_version_id
        need.published_version_id = need.current_version_id
        need.published_at = timezone.now()
    republished = to_state == state.PUBLISHED and need.previously_published_version_id is not None
    from_state = need.state
    need.state = to_state
    need.save()
    if to_state == state.PUBLISHED:
        version = NeedVersion.objects.get(pk=need.published_version_id)
        record_audit(
            actor=user,
            action=Action.NEED_PUBLISHED,
            target=version,
            group=need.group,
            detail=f"{from_state} → {to_state}",
        )
    else:
        record_audit(
            actor=user, action=Action.NEED_STATE, target=need, group=need.group, detail=f"{from_state} → {to_state}"
        )
    BuyerGroup.objects.filter(pk=need.group_id).update(last_activity_at=timezone.now())
    if to_state == state.PUBLISHED:
        need_published.send(sender=NeedStatement, need=need, user=user)
    if to_state in (state.IN_REVIEW, state.PUBLISHED):
        _notify_need_moved(need=need, user=user, republished=republished)


def need_publication_recipients(need):
    """Who is told when a need is published: the people of the group's member and observer
    organisations, and of the suppliers taking part in the need's open dialogues."""
    organisations = Organisation.objects.filter(
        group_memberships__in=Membership.objects.filter(group_id=need.group_id).active()
    ) | Organisation.objects.filter(
        dialogue_participations__dialogue__need=need,
        dialogue_participations__dialogue__state="open",
        dialogue_participations__withdrawn_at__isnull=True,
    )
    return users_of_organisations(organisations.values("pk"))


def _notify_need_moved(*, need, user, republished: bool) -> None:
    """Members and observers hear that a need is ready for review or published; once it is
    published, so do the suppliers taking part in its open dialogues."""
    group = BuyerGroup.objects.get(pk=need.group_id)
    params = {"need": need.current_version.title if need.current_version_id else "", "group": group.name}
    organisations = Organisation.objects.filter(group_memberships__in=group.memberships.active())
    recipients = users_of_organisations(organisations.values("pk"))
    if need.state == NeedStatement.State.IN_REVIEW:
        kind = "need_review"
    else:
        kind = "need_published"
        params["variant"] = "republished" if republished else "published"
        recipients = need_publication_recipients(need)
    notify(
        kind=kind,
        recipients=recipients,
        params=params,
        place=group,
        target=need,
        actor=user,
    )


def add_comment(*, need, user, body, requirement_number=None) -> NeedComment:
    comment = NeedComment.objects.create(need=need, author=user, body=body, requirement_number=requirement_number)
    BuyerGroup.objects.filter(pk=need.group_id).update(last_activity_at=timezone.now())
    return comment


@transaction.atomic
def save_endorsement(*, need, organisation, user, **fields) -> Endorsement:
    endorsement, _created = Endorsement.objects.update_or_create(
        need=need, organisation=organisation, defaults={**fields, "updated_by": user}
    )
    EndorsementChange.objects.create(
        endorsement=endorsement,
        changed_by=user,
        snapshot={key: (str(value) if value is not None else None) for key, value in fields.items()},
    )
    return endorsement


def demand_aggregate(need) -> dict:
    """What suppliers see: the committed authorities' demand summed, never the breakdown."""
    return demand_aggregates([need.pk])[need.pk]


def demand_aggregates(need_ids) -> dict[int, dict]:
    """demand_aggregate for many needs at once, in three queries whatever their number (the open
    data API's lists): need id -> {authorities, budget_min, budget_max, earliest_start,
    latest_start, quantities: [{unit, total}], interested}."""
    need_ids = list(need_ids)
    committed = Endorsement.objects.filter(need__in=need_ids, commitment=Endorsement.Commitment.COMMITTED)
    result = {
        pk: {
            "authorities": 0,
            "budget_min": None,
            "budget_max": None,
            "earliest_start": None,
            "latest_start": None,
            "quantities": [],
            "interested": 0,
        }
        for pk in need_ids
    }
    totals = committed.values("need").annotate(
        authorities=Count("pk"),
        budget_min=Sum("budget_min"),
        budget_max=Sum("budget_max"),
        earliest_start=Min("wanted_start"),
        latest_start=Max("wanted_start"),
    )
    for row in totals.order_by():
        result[row.pop("need")].update(row)
    quantities = (
        committed.exclude(quantity__isnull=True)
        .values("need", "unit")
        .annotate(total=Sum("quantity"))
        .order_by("need", "unit")
    )
    for row in quantities:
        result[row["need"]]["quantities"].append({"unit": row["unit"], "total": row["total"]})
    interested = (
        Endorsement.objects.filter(need__in=need_ids, commitment=Endorsement.Commitment.INTERESTED)
        .values("need")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for row in interested:
        result[row["need"]]["interested"] = row["count"]
    return result
