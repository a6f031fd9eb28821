"""Everything in accounts that writes more than one row or has side effects."""

import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.group_memberships import group_names_of
from accounts.models import (
    CalendarLink,
    DomainJoinRequest,
    Invitation,
    Organisation,
    OrganisationDomain,
    OrganisationMember,
    User,
)
from accounts.standing import suspension_in_force
from audit.models import Action
from audit.services import record
from core.sockets import revoke_socket_access
from notifications.services import absolute_url, notify, queue_email

# --- Who is told (the recipients other apps hand to notify) ----------------------------------


def users_of_organisations(organisation_ids) -> QuerySet[User]:
    """Active, not deleted people of the given organisations (ids, a list or a values queryset)."""
    return User.objects.filter(
        affiliations__organisation_id__in=organisation_ids, is_active=True, deleted_at__isnull=True
    ).distinct()


def admins_of_organisation(organisation: Organisation) -> QuerySet[User]:
    """Active, not deleted administrators of the organisation."""
    return User.objects.filter(
        affiliations__organisation=organisation,
        affiliations__role=OrganisationMember.Role.ADMIN,
        is_active=True,
        deleted_at__isnull=True,
    ).distinct()


@transaction.atomic
def create_organisation(*, creator: User, **fields) -> Organisation:
    """Register a new, unverified organisation with its creator as administrator."""
    organisation = Organisation.objects.create(created_by=creator, **fields)
    OrganisationMember.objects.create(organisation=organisation, user=creator, role=OrganisationMember.Role.ADMIN)
    return organisation


@transaction.atomic
def review_organisation(*, organisation: Organisation, reviewer: User, verify: bool, reason: str = "") -> None:
    """A facilitator's decision; the organisation's administrators are notified (outbox row in
    this transaction, delivered after commit)."""
    organisation.status = Organisation.Status.VERIFIED if verify else Organisation.Status.REJECTED
    organisation.status_reason = reason
    organisation.reviewed_by = reviewer
    organisation.reviewed_at = timezone.now()
    organisation.save(update_fields=["status", "status_reason", "reviewed_by", "reviewed_at"])
    record(
        actor=reviewer,
        action=Action.ORG_VERIFIED if verify else Action.ORG_REJECTED,
        target=organisation,
        reason=reason,
    )
    notify(
        kind="organisation_reviewed",
        recipients=admins_of_organisation(organisation),
        params={"variant": "verified" if verify else "rejected", "organisation": organisation.name, "reason": reason},
        place=organisation,
        target=organisation,
        actor=reviewer,
    )


@transaction.atomic
def resubmit_organisation(*, organisation: Organisation, user: User, **fields) -> Organisation:
    """An administrator (its registrant, usually) corrects a rejected registration and sends it
    again: it awaits review, in the facilitators' list, as a new one does. The earlier decision
    stays on the row (reviewed_by, reviewed_at, status_reason) for the reviewer to read; the
    caller checked that it was rejected (access.require_rejected)."""
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.status = Organisation.Status.UNVERIFIED
    organisation.save()
    record(actor=user, action=Action.ORG_RESUBMITTED, target=organisation)
    return organisation


@transaction.atomic
def invite_colleague(*, organisation: Organisation, invited_by: User, email: str, role: str) -> Invitation:
    """Create an invitation and e-mail its link (the address may have no account: a direct
    e-mail, stored in this transaction and sent by a task after commit, so a broker outage
    delays it but does not lose it). Someone who already has an account also sees it under
    Notifications. The invitation expires after INVITATION_VALID_DAYS."""
    invitation = Invitation.objects.create(
        organisation=organisation, email=email.lower(), role=role, invited_by=invited_by
    )
    record(actor=invited_by, action=Action.INVITATION_SENT, target=invitation, detail=role)
    existing = User.objects.filter(email__iexact=email, is_active=True, deleted_at__isnull=True).first()
    queue_email(
        to=invitation.email,
        template="accounts/email/invitation",
        context={
            "invitation": invitation,
            "url": absolute_url(invitation.get_absolute_url()),
            "signup_url": absolute_url(reverse("account_signup")),
        },
        language=existing.language if existing else invited_by.language,
    )
    if existing is not None:
        notify(
            kind="organisation_invitation",
            recipients=[existing],
            params={"person": invited_by.display_name, "organisation": organisation.name},
            url=invitation.get_absolute_url(),
            place=organisation,
            target=invitation,
            actor=invited_by,
        )
    return invitation


def revoke_invitation(*, invitation: Invitation) -> None:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user: User) -> OrganisationMember:
    """Join the organisation; the caller has checked that the invitation is pending and for this user."""
    membership, created = OrganisationMember.objects.get_or_create(
        organisation=invitation.organisation, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def register_domain(*, organisation: Organisation, domain: str, added_by: User) -> OrganisationDomain:
    """Register an e-mail domain of the organisation (in the audit log: who, which domain)."""
    registered = OrganisationDomain.objects.create(organisation=organisation, domain=domain.lower(), added_by=added_by)
    record(actor=added_by, action=Action.DOMAIN_REGISTERED, target=organisation, detail=registered.domain)
    return registered


@transaction.atomic
def remove_domain(*, domain: OrganisationDomain, removed_by: User) -> None:
    """No newcomer is offered the organisation through this domain any more (in the audit log)."""
    domain.delete()
    record(actor=removed_by, action=Action.DOMAIN_REMOVED, target=domain.organisation, detail=domain.domain)


def verified_email_domains(user: User) -> set[str]:
    return {
        address.email.rsplit("@", 1)[1].lower()
        for address in user.emailaddress_set.filter(verified=True)
        if "@" in address.email
    }


def domain_offers(user: User) -> list[Organisation]:
    """Verified organisations whose registered domain matches one of the user's verified
    addresses, which the user has not joined and has not already asked to join."""
    domains = verified_email_domains(user)
    if not domains:
        return []
    return list(
        Organisation.objects.verified()
        .filter(domains__domain__in=domains)
        .exclude(staff__user=user)
        .exclude(join_requests__user=user, join_requests__status=DomainJoinRequest.Status.PENDING)
        .distinct()
    )


@transaction.atomic
def request_domain_join(*, organisation: Organisation, user: User) -> DomainJoinRequest:
    """Ask to join through a registered e-mail domain; the organisation's administrators are
    notified and decide on the organisation's page."""
    join_request = DomainJoinRequest.objects.create(organisation=organisation, user=user)
    notify(
        kind="organisation_join_request",
        recipients=admins_of_organisation(organisation),
        params={"person": f"{user.display_name} ({user.email})", "organisation": organisation.name},
        url=organisation.get_absolute_url(),
        place=organisation,
        target=join_request,
        actor=user,
    )
    return join_request


@transaction.atomic
def decide_domain_join(*, join_request: DomainJoinRequest, admin: User, accept: bool) -> None:
    join_request.status = DomainJoinRequest.Status.ACCEPTED if accept else DomainJoinRequest.Status.DECLINED
    join_request.decided_by = admin
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_by", "decided_at"])
    action = Action.MEMBERSHIP_APPROVED if accept else Action.MEMBERSHIP_DECLINED
    record(actor=admin, action=action, target=join_request)
    if accept:
        OrganisationMember.objects.get_or_create(organisation=join_request.organisation, user=join_request.user)


@dataclass(frozen=True)
class LeftBehind:
    """An organisation in buyer groups that someone's departure leaves with nobody (without_people)
    or with no administrator."""

    organisation: Organisation
    without_people: bool
    groups: list[str]


def organisations_left_behind(user: User) -> list[LeftBehind]:
    """The organisations, members of buyer groups, that would have nobody left, or no
    administrator, without this person (the deletion page warns; delete_account tells the
    facilitators). Three queries."""
    affiliations = list(user.affiliations.select_related("organisation").order_by("organisation__name"))
    others = OrganisationMember.objects.filter(
        organisation_id__in=[a.organisation_id for a in affiliations], user__is_active=True, user__deleted_at=None
    ).exclude(user=user)
    people, admins = set(), set()
    for organisation_id, role in others.values_list("organisation_id", "role"):
        people.add(organisation_id)
        if role == OrganisationMember.Role.ADMIN:
            admins.add(organisation_id)
    stranded = [
        a
        for a in affiliations
        if a.organisation_id not in people
        or (a.role == OrganisationMember.Role.ADMIN and a.organisation_id not in admins)
    ]
    groups = group_names_of(a.organisation_id for a in stranded)
    return [
        LeftBehind(
            organisation=a.organisation,
            without_people=a.organisation_id not in people,
            groups=groups[a.organisation_id],
        )
        for a in stranded
        if a.organisation_id in groups
    ]


@transaction.atomic
def delete_account(*, user: User) -> None:
    """Anonymise the person but keep the account row: what they wrote is part of an
    authority's procurement record and must stay, shown as "deleted user, <organisation>".
    Logged in the audit log (under the name they had); the facilitators are told of each
    organisation in buyer groups left with nobody or no administrator."""
    left_behind = organisations_left_behind(user)
    record(actor=user, action=Action.ACCOUNT_DELETED, target=user)
    user.email = f"deleted-{user.pk}@deleted.invalid"
    user.name = ""
    user.title = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.deleted_at = timezone.now()
    user.set_unusable_password()
    user.save()
    user.emailaddress_set.all().delete()
    user.authenticator_set.all().delete()
    user.join_requests.filter(status=DomainJoinRequest.Status.PENDING).delete()
    CalendarLink.objects.filter(user=user).delete()
    # Their notifications and settings are about them only, not part of any record.
    user.notifications.all().delete()
    user.notification_preferences.all().delete()
    user.theme_follows.all().delete()
    Invitation.objects.filter(invited_by=user).pending().update(revoked_at=timezone.now())
    revoke_socket_access([user.pk])  # open pages stop hearing anything at once (after commit)
    facilitators = User.objects.facilitators().filter(is_active=True, deleted_at__isnull=True)
    for stranded in left_behind:
        notify(
            kind="organisation_left_behind",
            recipients=facilitators,
            params={
                "variant": "no_people" if stranded.without_people else "no_admin",
                "organisation": stranded.organisation.name,
                "groups": ", ".join(stranded.groups),
            },
            place=stranded.organisation,
            target=stranded.organisation,
        )


# --- The secret calendar link ------------------------------------------------------------


def _calendar_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def renew_calendar_link(*, user: User) -> str:
    """Make the person's calendar link, or a new one in place of the old (which stops working
    at once). Returns the token; only its hash is stored, so this is the one time it is seen."""
    token = secrets.token_urlsafe(32)
    CalendarLink.objects.update_or_create(
        user=user, defaults={"token_hash": _calendar_token_hash(token), "created_at": timezone.now()}
    )
    return token


def revoke_calendar_link(*, user: User) -> None:
    CalendarLink.objects.filter(user=user).delete()


def calendar_link_owner(token: str) -> User | None:
    """Whose calendar link `token` is, while they may use the site: None for an unknown or
    revoked token, a deleted or deactivated account, or a suspension from the whole site.
    The lookup is by the token's hash, so how long it takes tells nothing about the token."""
    if not token or len(token) > 200:
        return None
    link = CalendarLink.objects.select_related("user").filter(token_hash=_calendar_token_hash(token)).first()
    if link is None:
        return None
    user = link.user
    if not user.is_active or user.is_deleted or suspension_in_force(user) is not None:
        return None
    return user
