"""A facilitator writes to many people at once (PRODUCT.md §2.9b): the coordinators of every
ongoing group, the people of one group, or the authorities that have not answered the
self-assessment for a year. The letter goes through the notification outbox, so every
recipient's choice for the kind (e-mail at once, digest or none) and the unsubscribe link hold;
it is rate-limited per facilitator and written to the audit log."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Organisation, OrganisationMember
from audit.details import register_detail
from audit.models import Action, AuditEntry
from audit.services import record
from core.rate_limits import refusal, within_limit
from groups.models import BuyerGroup, Coordinator, Membership
from indicator.models import Delegation, OutreachMessage
from indicator.services import non_respondents
from notifications.services import notify

Audience = OutreachMessage.Audience


class OutreachError(Exception):
    """The letter cannot be sent; the message says why, for the facilitator."""


def _reachable(user_ids) -> QuerySet:
    """Active, not deleted users among `user_ids` (a subquery), each once."""
    return get_user_model().objects.filter(pk__in=user_ids, is_active=True, deleted_at__isnull=True)


def audience_people(*, audience: str, group: BuyerGroup | None = None, year: int | None = None) -> QuerySet:
    """The people an outreach letter to the audience reaches, as one queryset (not run here):

    - all coordinators: the coordinators of every group that has not ended;
    - one group: the people of its active member and observer organisations;
    - non-respondents: the administrators of the authorities that have not answered for the year
      (indicator.services.non_respondents), and the colleagues they delegated the answering to.

    Each person once; inactive and deleted accounts never."""
    if audience == Audience.ALL_COORDINATORS:
        ids = Coordinator.objects.filter(group__in=BuyerGroup.objects.ongoing()).values("user_id")
    elif audience == Audience.GROUP:
        if group is None:
            return get_user_model().objects.none()
        organisations = Membership.objects.active().filter(group=group).values("organisation_id")
        ids = OrganisationMember.objects.filter(organisation__in=organisations).values("user_id")
    elif audience == Audience.NON_RESPONDENTS:
        if year is None:
            return get_user_model().objects.none()
        authorities = non_respondents(year).values("pk")
        admins = OrganisationMember.objects.filter(
            organisation__in=authorities, role=OrganisationMember.Role.ADMIN
        ).values("user_id")
        delegates = Delegation.objects.filter(organisation__in=authorities).values("user_id")
        return _reachable(admins) | _reachable(delegates)
    else:
        return get_user_model().objects.none()
    return _reachable(ids)


def audience_organisations(*, audience: str, group: BuyerGroup | None = None, year: int | None = None) -> QuerySet:
    """The organisations the people of audience_people() work for, for the confirmation page."""
    people = audience_people(audience=audience, group=group, year=year)
    organisations = Organisation.objects.filter(staff__user__in=people.values("pk"))
    if audience == Audience.GROUP:
        organisations = organisations.filter(group_memberships__group=group, group_memberships__status="active")
    elif audience == Audience.NON_RESPONDENTS:
        organisations = organisations.filter(pk__in=non_respondents(year).values("pk"))
    return organisations.distinct().order_by("name")


def recipients_for(*, sender, audience: str, group=None, year=None) -> QuerySet:
    """audience_people() without the sender, who does not write to themselves."""
    return audience_people(audience=audience, group=group, year=year).exclude(pk=sender.pk)


@transaction.atomic
def send_outreach(
    *, sender, audience: str, subject: str, body: str, group: BuyerGroup | None = None, year: int | None = None
) -> OutreachMessage:
    """Send a facilitator's letter to the audience; the caller has checked that the sender is a
    facilitator (indicator.access.require_indicator_facilitator) and validated the input.

    Raises OutreachError, and writes and sends nothing, when the sender has sent too many letters
    in the last hour (core.rate_limits "outreach"), when the group has ended, or when nobody would
    receive it. Otherwise stores the letter with its recipients, writes one notification per
    recipient (delivered after commit, each as the recipient chose for the kind) and the audit
    entry, in a fixed number of queries whatever the number of recipients."""
    if audience == Audience.GROUP and (group is None or group.is_ended):
        raise OutreachError(_("The group has ended: write to its people one by one instead."))
    recipients = recipients_for(sender=sender, audience=audience, group=group, year=year)
    recipient_ids = list(recipients.values_list("pk", flat=True))
    if not recipient_ids:
        raise OutreachError(_("Nobody would receive this message: there is no one to reach in this group of people."))
    if not within_limit(user=sender, action="outreach"):
        raise OutreachError(refusal("outreach"))
    message = OutreachMessage.objects.create(
        sender=sender,
        audience=audience,
        group=group if audience == Audience.GROUP else None,
        year=year if audience == Audience.NON_RESPONDENTS else None,
        subject=subject,
        body=body,
        recipient_count=len(recipient_ids),
    )
    through = OutreachMessage.recipients.through
    through.objects.bulk_create([through(outreachmessage=message, user_id=pk) for pk in recipient_ids])
    notify(
        kind="outreach_message",
        recipients=message.recipients.all(),
        params={"sender": sender.display_name, "subject": subject, "body": body},
        target=message,
        actor=sender,
        dedupe_key=f"outreach:{message.pk}",
    )
    record(
        actor=sender,
        action=Action.OUTREACH_SENT,
        target=message,
        group=message.group,
        detail=audience,
        params={"recipients": len(recipient_ids), "year": message.year},
    )
    return message


def _describe_outreach(entry: AuditEntry, readable: bool) -> str | None:
    if entry.detail not in Audience.values:
        return None
    count = entry.params.get("recipients", 0)
    people = ngettext("%(count)s recipient", "%(count)s recipients", count) % {"count": count}
    audience = Audience(entry.detail).label
    if entry.params.get("year"):
        return f"{audience} ({entry.params['year']}): {people}"
    return f"{audience}: {people}"


def register_audit_details() -> None:
    register_detail(Action.OUTREACH_SENT, _describe_outreach)
