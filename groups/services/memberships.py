"""Who is in the group: requests, invitations and decisions, leaving and removal, and the
coordinators. Every change is written to the group's history in the same transaction."""

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from accounts.services import admins_of_organisation, users_of_organisations
from accounts.standing import suspension_refusal
from audit.models import Action
from core.sockets import revoke_socket_access
from groups.audit_details import COORDINATOR_LEFT_WITH_ORGANISATION
from groups.models import Coordinator, Membership
from groups.services.shared import GroupRuleError, record_history
from notifications.services import notify


def active_group_names(organisation_ids) -> dict[int, list[str]]:
    """The groups each organisation is an active member of, by name (for accounts: registered
    in GroupsConfig.ready as accounts.group_memberships' source)."""
    names: dict[int, list[str]] = {}
    memberships = (
        Membership.objects.active()
        .filter(organisation_id__in=organisation_ids)
        .order_by("group__name")
        .values_list("organisation_id", "group__name")
    )
    for organisation_id, group_name in memberships:
        names.setdefault(organisation_id, []).append(group_name)
    return names


def public_member_authorities(group) -> QuerySet[Organisation]:
    """The group's member authorities as the public sees them (the group's public page, and the
    public API): verified contracting authorities with an active membership as member, by name.
    Pending and ended memberships, observers and unverified organisations are left out. Only
    who they are: what each member needs (the need's aggregate) stays with the group."""
    listed = Membership.objects.publicly_listed().filter(group=group, organisation=OuterRef("pk"))
    return Organisation.objects.filter(Exists(listed)).order_by("name", "pk")


def _open_membership_exists(group, organisation) -> bool:
    return group.memberships.filter(organisation=organisation, status__in=Membership.OPEN_STATUSES).exists()


@transaction.atomic
def request_membership(*, group, organisation, user, motivation, role=Membership.Role.MEMBER) -> Membership:
    if suspended := suspension_refusal(user, group.pk):
        raise GroupRuleError(suspended)
    if group.is_ended:
        raise GroupRuleError(_("The group has ended and takes no new members."))
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
    if group.is_ended:
        raise GroupRuleError(_("The group has ended and takes no new members."))
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
            detail=COORDINATOR_LEFT_WITH_ORGANISATION,
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
