"""The group itself: starting it, its current stage and its procedure choice (neither may say
the procurement has started while a market dialogue is open)."""

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import record
from core.content_language import ContentLanguage
from groups.models import (
    STAGE_ORDER,
    BuyerGroup,
    Coordinator,
    Membership,
    ProcedureChoice,
    ProcedureChoiceChange,
    Stage,
    StagePlanEntry,
)
from groups.services.shared import GroupRuleError, record_history


def unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "grupp"
    slug, counter = base, 2
    while BuyerGroup.objects.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


@transaction.atomic
def create_group(
    *, creator, organisation, name, theme, summary, challenge, is_open, content_language=ContentLanguage.SWEDISH
) -> BuyerGroup:
    """The creator's organisation becomes the first member and the creator its coordinator."""
    group = BuyerGroup.objects.create(
        name=name,
        slug=unique_slug(name),
        theme=theme,
        summary=summary,
        challenge=challenge,
        is_open=is_open,
        content_language=content_language,
        created_by=creator,
    )
    membership = Membership.objects.create(
        group=group,
        organisation=organisation,
        role=Membership.Role.MEMBER,
        status=Membership.Status.ACTIVE,
        created_by=creator,
        decided_by=creator,
        decided_at=timezone.now(),
    )
    Coordinator.objects.create(group=group, user=creator, appointed_by=creator)
    StagePlanEntry.objects.bulk_create([StagePlanEntry(group=group, stage=stage) for stage in Stage.values])
    ProcedureChoice.objects.create(group=group, rationale="", decided_by=creator)
    record_history(
        group=group,
        actor=creator,
        action=Action.GROUP_CREATED,
        target=group,
        params={"organisation": organisation.name, "organisation_id": organisation.pk, "membership_id": membership.pk},
    )
    record_history(group=group, actor=creator, action=Action.COORDINATOR_APPOINTED, target=creator)
    return group


def require_no_open_dialogue(group) -> None:
    """The dialogue stops at the start line (DOMAIN.md §2): while a market dialogue is open the
    procurement cannot be recorded as started."""
    if group.dialogues.filter(state="open").exists():
        raise GroupRuleError(
            _(
                "A market dialogue of the group is still open. Close it before the procurement is recorded as "
                "advertised: supplier dialogue ends when the procurement starts."
            )
        )


@transaction.atomic
def set_current_stage(*, group, stage, user) -> None:
    if STAGE_ORDER.index(stage) >= STAGE_ORDER.index(Stage.PROCUREMENT):
        require_no_open_dialogue(group)
    group.current_stage = stage
    group.save(update_fields=["current_stage"])
    record_history(
        group=group,
        actor=user,
        action=Action.GROUP_STAGE_CHANGED,
        target=group,
        detail=stage,  # the code: the log shows its label in the reader's language
    )


@transaction.atomic
def save_procedure_choice(*, choice: ProcedureChoice, user) -> ProcedureChoice:
    """Save and keep the change. Refuses "advertised" while a market dialogue is open."""
    if choice.status in (ProcedureChoice.Status.ADVERTISED, ProcedureChoice.Status.AWARDED):
        require_no_open_dialogue(choice.group)
    choice.decided_by = user
    choice.save()
    ProcedureChoiceChange.objects.create(
        choice=choice,
        changed_by=user,
        snapshot={
            "procedure": choice.procedure,
            "lead_organisation": choice.lead_organisation.name if choice.lead_organisation else None,
            "legal_vehicle": choice.legal_vehicle,
            "rationale": choice.rationale,
            "external_reference": choice.external_reference,
            "status": choice.status,
        },
    )
    BuyerGroup.objects.filter(pk=choice.group_id).update(last_activity_at=timezone.now())
    return choice


@transaction.atomic
def end_group(
    *,
    group: BuyerGroup,
    user,
    outcome,
    ended_on,
    procedure="",
    advertised_on=None,
    notice_url="",
    notice_reference="",
    note="",
) -> None:
    """End the group in an outcome (coordinators and facilitators; the form checks what each
    outcome needs). An ended group takes no new members; its open market dialogues must be
    closed first, since the group that runs them is gone."""
    group = BuyerGroup.objects.select_for_update().get(pk=group.pk)
    if group.is_ended:
        raise GroupRuleError(_("The group has already ended."))
    if group.dialogues.filter(state="open").exists():
        raise GroupRuleError(_("A market dialogue of the group is still open. Close it before the group ends."))
    group.outcome = outcome
    group.ended_on = ended_on
    group.ending_procedure = procedure
    group.advertised_on = advertised_on
    group.notice_url = notice_url
    group.notice_reference = notice_reference
    group.ending_note = note
    group.save(update_fields=ENDING_FIELDS)
    record_history(
        group=group,
        actor=user,
        action=Action.GROUP_ENDED,
        target=group,
        reason=note,
        detail=outcome,  # the code: the log shows its label in the reader's language
        params={
            "ended_on": ended_on.isoformat(),
            "procedure": procedure,
            "advertised_on": advertised_on.isoformat() if advertised_on else "",
            "notice_url": notice_url,
            "notice_reference": notice_reference,
        },
    )


ENDING_FIELDS = [
    "outcome",
    "ended_on",
    "ending_procedure",
    "advertised_on",
    "notice_url",
    "notice_reference",
    "ending_note",
]


@transaction.atomic
def reopen_group(*, group: BuyerGroup, user, reason: str) -> None:
    """Undo an ending (facilitators only; access checks it). The ending is kept in the audit log."""
    group = BuyerGroup.objects.select_for_update().get(pk=group.pk)
    if not group.is_ended:
        raise GroupRuleError(_("The group has not ended."))
    previous_outcome = group.outcome
    for name in ENDING_FIELDS:
        setattr(group, name, BuyerGroup._meta.get_field(name).get_default())
    group.save(update_fields=ENDING_FIELDS)
    record_history(
        group=group, actor=user, action=Action.GROUP_REOPENED, target=group, reason=reason, detail=previous_outcome
    )


@transaction.atomic
def set_contacts(*, group: BuyerGroup, user, contacts) -> None:
    """Name the facilitators who are the group's contact persons at Upphandlingsmyndigheten
    (facilitators only; access checks it, and the form offers only facilitators). Written to the
    audit log when the choice changed."""
    before = set(group.contacts.values_list("pk", flat=True))
    after = {contact.pk for contact in contacts}
    if before == after:
        return
    group.contacts.set(contacts)
    record(
        actor=user,
        action=Action.GROUP_CONTACTS_CHANGED,
        target=group,
        group=group,
        params={"contacts": sorted(f"{contact.display_name} <{contact.email}>" for contact in contacts)},
    )
