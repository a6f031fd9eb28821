"""Everything in groups that writes more than one row or has side effects.

Every membership and role change writes an audit entry in the same transaction: the audit log
is the group's history (groups:group-history shows the group's part of it).
"""

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from accounts.services import admins_of_organisation, users_of_organisations
from accounts.standing import suspension_refusal
from audit.models import Action
from audit.services import record as record_audit
from core.sockets import revoke_socket_access
from groups.models import (
    STAGE_ORDER,
    BuyerGroup,
    Coordinator,
    Document,
    DocumentVersion,
    Endorsement,
    EndorsementChange,
    Membership,
    NeedComment,
    NeedStatement,
    NeedVersion,
    ProcedureChoice,
    ProcedureChoiceChange,
    Stage,
    StagePlanEntry,
    ThemeFollow,
)
from groups.signals import need_published
from notifications.services import notify


class StaleEdit(Exception):
    """Someone saved a newer version since the editor opened the form."""

    def __init__(self, current: NeedVersion):
        super().__init__("stale edit")
        self.current = current


class GroupRuleError(Exception):
    """A rule of the group was broken; the message is for people."""


def record_history(*, group, actor, action, target, reason="", detail="") -> None:
    """Write a change of the group to the audit log, which is the group's history, and mark the
    group active. Call it inside the change's transaction."""
    record_audit(actor=actor, action=action, target=target, group=group, reason=reason, detail=detail)
    BuyerGroup.objects.filter(pk=group.pk).update(last_activity_at=timezone.now())


def unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "grupp"
    slug, counter = base, 2
    while BuyerGroup.objects.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


@transaction.atomic
def create_group(*, creator, organisation, name, theme, summary, challenge, is_open) -> BuyerGroup:
    """The creator's organisation becomes the first member and the creator its coordinator."""
    group = BuyerGroup.objects.create(
        name=name,
        slug=unique_slug(name),
        theme=theme,
        summary=summary,
        challenge=challenge,
        is_open=is_open,
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
    record_history(group=group, actor=creator, action=Action.GROUP_CREATED, target=membership)
    record_history(group=group, actor=creator, action=Action.COORDINATOR_APPOINTED, target=creator)
    return group


def _open_membership_exists(group, organisation) -> bool:
    return group.memberships.filter(organisation=organisation, status__in=Membership.OPEN_STATUSES).exists()


@transaction.atomic
def request_membership(*, group, organisation, user, motivation, role=Membership.Role.MEMBER) -> Membership:
    if suspended := suspension_refusal(user, group.pk):
        raise GroupRuleError(suspended)
    if not group.is_open:
        raise GroupRuleError(_("The group is closed for new members. Ask a coordinator to invite you."))
    if _open_membership_exists(group, organisation):
        raise GroupRuleError(
            _("%(organisation)s already has a request, an invitation or a membership in this group.")
            % {"organisation": organisation.name}
        )
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                group=group,
                organisation=organisation,
                role=role,
                status=Membership.Status.REQUESTED,
                motivation=motivation,
                created_by=user,
            )
    except IntegrityError as error:  # two clicks at once: the constraint keeps one
        raise GroupRuleError(
            _("A request from %(organisation)s is already waiting.") % {"organisation": organisation.name}
        ) from error
    record_history(
        group=group,
        actor=user,
        action=Action.MEMBERSHIP_REQUESTED,
        target=membership,
        reason=motivation,
        detail=membership.role,
    )
    notify(
        kind="join_request",
        recipients=User.objects.filter(coordinated_groups__group=group),
        params={"organisation": organisation.name, "group": group.name},
        url=reverse("groups:member-list", args=[group.slug]),
        place=group,
        target=membership,
        actor=user,
    )
    return membership


@transaction.atomic
def invite_organisation(*, group, organisation, role, user, message="") -> Membership:
    if _open_membership_exists(group, organisation):
        raise GroupRuleError(
            _("%(organisation)s already has a request, an invitation or a membership in this group.")
            % {"organisation": organisation.name}
        )
    membership = Membership.objects.create(
        group=group,
        organisation=organisation,
        role=role,
        status=Membership.Status.INVITED,
        motivation=message,
        created_by=user,
    )
    record_history(
        group=group, actor=user, action=Action.INVITATION_SENT, target=membership, reason=message, detail=role
    )
    notify(
        kind="group_invitation",
        recipients=admins_of_organisation(organisation),
        params={"organisation": organisation.name, "group": group.name},
        url=reverse("home:dashboard"),  # invitations are answered on the overview
        place=group,
        target=membership,
        actor=user,
    )
    return membership


@transaction.atomic
def decide_membership(*, membership, user, approve: bool, reason="") -> None:
    """A coordinator's or facilitator's answer to a join request."""
    membership.status = Membership.Status.ACTIVE if approve else Membership.Status.DECLINED
    membership.reason = reason
    membership.decided_by = user
    membership.decided_at = timezone.now()
    membership.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    record_history(
        group=membership.group,
        actor=user,
        action=Action.MEMBERSHIP_APPROVED if approve else Action.MEMBERSHIP_DECLINED,
        target=membership,
        reason=reason,
        detail=membership.role,
    )
    notify(
        kind="membership_decided",
        recipients=users_of_organisations([membership.organisation_id]),
        params={
            "variant": "approved" if approve else "declined",
            "organisation": membership.organisation.name,
            "group": membership.group.name,
            "reason": reason,
        },
        place=membership.group,
        target=membership.group,
        actor=user,
    )


@transaction.atomic
def answer_invitation(*, membership, user, accept: bool) -> None:
    if accept and (suspended := suspension_refusal(user, membership.group_id)):
        raise GroupRuleError(suspended)
    membership.status = Membership.Status.ACTIVE if accept else Membership.Status.DECLINED
    membership.decided_by = user
    membership.decided_at = timezone.now()
    membership.save(update_fields=["status", "decided_by", "decided_at"])
    record_history(
        group=membership.group,
        actor=user,
        action=Action.INVITATION_ACCEPTED if accept else Action.INVITATION_DECLINED,
        target=membership,
        detail=membership.role,
    )


def _coordinators_left_after(group, organisation) -> int:
    return group.coordinators.exclude(user__affiliations__organisation=organisation).count()


@transaction.atomic
def end_membership(*, membership, user, removed: bool, reason="") -> None:
    """Leave (by the organisation) or remove (by a coordinator). The organisation's people stop
    being coordinators; a group must keep at least one coordinator."""
    group = membership.group
    if _coordinators_left_after(group, membership.organisation) == 0:
        raise GroupRuleError(
            _("The group must keep at least one coordinator. Appoint a coordinator from another organisation first.")
        )
    membership.status = Membership.Status.REMOVED if removed else Membership.Status.LEFT
    membership.reason = reason
    membership.decided_by = user
    membership.decided_at = timezone.now()
    membership.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    for coordinator in group.coordinators.filter(user__affiliations__organisation=membership.organisation):
        coordinator.delete()
        record_history(
            group=group,
            actor=user,
            action=Action.COORDINATOR_REMOVED,
            target=coordinator.user,
            reason=_("their organisation is no longer a member"),
        )
    record_history(
        group=group,
        actor=user,
        action=Action.MEMBERSHIP_REMOVED if removed else Action.MEMBERSHIP_LEFT,
        target=membership,
        reason=reason,
    )
    # After commit, the organisation's people's open discussion connections check their access
    # again and close where it is gone.
    revoke_socket_access(membership.organisation.staff.values_list("user_id", flat=True))


@transaction.atomic
def appoint_coordinator(*, group, person, user) -> Coordinator:
    coordinator, created = Coordinator.objects.get_or_create(group=group, user=person, defaults={"appointed_by": user})
    if created:
        record_history(group=group, actor=user, action=Action.COORDINATOR_APPOINTED, target=person)
    return coordinator


@transaction.atomic
def remove_coordinator(*, coordinator, user, reason="") -> None:
    group = coordinator.group
    if group.coordinators.count() <= 1:
        raise GroupRuleError(_("The group must keep at least one coordinator."))
    coordinator.delete()
    record_history(group=group, actor=user, action=Action.COORDINATOR_REMOVED, target=coordinator.user, reason=reason)


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
        detail=group.get_current_stage_display(),
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
def add_document(*, group, title, upload, content_type, user, note="") -> Document:
    document = Document.objects.create(group=group, title=title, created_by=user)
    document.latest_version = add_document_version(
        document=document, upload=upload, content_type=content_type, user=user, note=note
    )
    return document


@transaction.atomic
def add_document_version(*, document, upload, content_type, user, note="") -> DocumentVersion:
    document = Document.objects.select_for_update().get(pk=document.pk)
    number = (document.versions.aggregate(highest=Max("number"))["highest"] or 0) + 1
    version = DocumentVersion(
        document=document,
        number=number,
        original_name=upload.name[:255],
        content_type=content_type,
        size=upload.size,
        uploaded_by=user,
        note=note,
    )
    version.file.save(upload.name, upload, save=False)
    version.save()
    document.latest_version = version
    document.save(update_fields=["latest_version"])
    BuyerGroup.objects.filter(pk=document.group_id).update(last_activity_at=timezone.now())
    return version


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
    committed = need.endorsements.filter(commitment=Endorsement.Commitment.COMMITTED)
    totals = committed.aggregate(
        authorities=Count("pk"),
        budget_min=Sum("budget_min"),
        budget_max=Sum("budget_max"),
        earliest_start=Min("wanted_start"),
        latest_start=Max("wanted_start"),
    )
    totals["quantities"] = list(
        committed.exclude(quantity__isnull=True).values("unit").annotate(total=Sum("quantity")).order_by("unit")
    )
    totals["interested"] = need.endorsements.filter(commitment=Endorsement.Commitment.INTERESTED).count()
    return totals


def need_versions_for_diff(need, first: int, second: int):
    versions = {v.number: v for v in need.versions.filter(number__in=[first, second])}
    return versions.get(first), versions.get(second)


# --- Theme follows -------------------------------------------------------------------------


@transaction.atomic
def follow_themes(*, user, themes) -> None:
    """The themes the person follows are exactly these (a supplier hears when a dialogue opens
    in one of them)."""
    ThemeFollow.objects.filter(user=user).delete()
    ThemeFollow.objects.bulk_create(ThemeFollow(user=user, theme=theme) for theme in sorted(set(themes)))


def followers_of_theme(theme: str):
    """People of verified supplier organisations who follow a buyer-group theme."""
    return User.objects.filter(
        theme_follows__theme=theme,
        affiliations__organisation__kind=Organisation.Kind.SUPPLIER,
        affiliations__organisation__status=Organisation.Status.VERIFIED,
        is_active=True,
        deleted_at__isnull=True,
    ).distinct()
