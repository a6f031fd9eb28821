"""Meetings: the group offers equal slots, suppliers book and cancel, and the minutes are kept
(with a clarification to every participant when something new was said)."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.services import users_of_organisations
from dialogues.models import Answer, Dialogue, MeetingSlot
from dialogues.services.answers import publish_clarification
from dialogues.services.shared import DialogueRuleError, _local, anyone_of, group_member_users
from notifications.services import notify


@transaction.atomic
def add_meeting_slots(*, dialogue, user, first_start, length_minutes, count, gap_minutes=0, location="") -> list:
    """Offer `count` consecutive slots of equal length. Every slot of a dialogue has the same
    length, so no supplier gets more of the group's time than another."""
    if dialogue.state == Dialogue.State.CLOSED:
        raise DialogueRuleError(_("The dialogue is closed: no new meetings can be offered."))
    if first_start <= timezone.now():
        raise DialogueRuleError(_("The first meeting must start in the future."))
    length = timedelta(minutes=length_minutes)
    existing = list(dialogue.meeting_slots.all())
    if existing and existing[0].length != length:
        raise DialogueRuleError(
            _("Every meeting in this dialogue is %(minutes)s minutes long; offer slots of the same length.")
            % {"minutes": int(existing[0].length.total_seconds() // 60)}
        )
    slots = []
    start = first_start
    for _index in range(count):
        slots.append(MeetingSlot(dialogue=dialogue, starts_at=start, ends_at=start + length, location=location))
        start = start + length + timedelta(minutes=gap_minutes)
    for slot in slots:
        if any(other.starts_at < slot.ends_at and slot.starts_at < other.ends_at for other in existing):
            raise DialogueRuleError(
                _("A new slot at %(start)s overlaps a slot already offered.") % {"start": _local(slot.starts_at)}
            )
    return MeetingSlot.objects.bulk_create(slots)


@transaction.atomic
def remove_meeting_slot(*, slot, user) -> None:
    if slot.is_booked:
        raise DialogueRuleError(_("The slot is booked. Cancel the booking before removing it."))
    slot.delete()


@transaction.atomic
def book_meeting_slot(*, slot, organisation, user) -> MeetingSlot:
    """Book a free slot for a participating supplier: one supplier per slot and one slot per
    supplier, even when two suppliers click at the same moment (a conditional update and a
    unique constraint decide, not a read-then-write)."""
    dialogue = slot.dialogue
    now = timezone.now()
    if not dialogue.is_open:
        raise DialogueRuleError(_("The dialogue is closed: meetings can no longer be booked."))
    if slot.starts_at <= now:
        raise DialogueRuleError(_("This meeting time has passed."))
    if not dialogue.participations.active().filter(organisation=organisation).exists():
        raise DialogueRuleError(_("Register your organisation to take part before booking a meeting."))
    try:
        with transaction.atomic():
            taken = MeetingSlot.objects.filter(pk=slot.pk, organisation__isnull=True).update(
                organisation=organisation, booked_by=user, booked_at=now, sequence=F("sequence") + 1
            )
    except IntegrityError as error:
        raise DialogueRuleError(
            _("%(organisation)s has already booked a meeting in this dialogue. Cancel it first to choose another time.")
            % {"organisation": organisation.name}
        ) from error
    if not taken:
        raise DialogueRuleError(_("Someone else booked this time a moment ago. Choose another one."))
    slot.refresh_from_db()
    _notify_both_sides(slot=slot, organisation=organisation, kind="meeting_booked", user=user)
    return slot


def _notify_both_sides(*, slot, organisation, kind, user) -> None:
    """Bookings and cancellations reach the supplier's people and the group's member users."""
    dialogue = slot.dialogue
    notify(
        kind=kind,
        recipients=anyone_of(users_of_organisations([organisation.pk]), group_member_users(dialogue.group)),
        params={"organisation": organisation.name, "dialogue": dialogue.title, "starts_at": slot.starts_at},
        place=dialogue,
        url=reverse("dialogues:meeting-list", args=[dialogue.pk]),
        actor=user,
    )


@transaction.atomic
def cancel_meeting_booking(*, slot, user, by_group=False) -> None:
    """A supplier cancels its booking until 24 hours before the meeting; the group may
    cancel at any time (the supplier is told)."""
    slot = MeetingSlot.objects.select_for_update().get(pk=slot.pk)
    if not slot.is_booked:
        raise DialogueRuleError(_("This meeting time is not booked."))
    limit = timedelta(hours=settings.MEETING_CANCEL_HOURS)
    if not by_group and slot.starts_at - timezone.now() < limit:
        raise DialogueRuleError(
            _("A booking can be cancelled until %(hours)s hours before the meeting. Contact the group instead.")
            % {"hours": settings.MEETING_CANCEL_HOURS}
        )
    organisation = slot.organisation
    slot.organisation = None
    slot.booked_by = None
    slot.booked_at = None
    slot.cancelled_organisation = organisation
    slot.cancelled_at = timezone.now()
    slot.sequence += 1  # the row is locked (select_for_update above)
    slot.save(
        update_fields=["organisation", "booked_by", "booked_at", "cancelled_organisation", "cancelled_at", "sequence"]
    )
    _notify_both_sides(slot=slot, organisation=organisation, kind="meeting_cancelled", user=user)


def minutes_refusal(slot) -> str:
    """Why the minutes of `slot` cannot be written now ("" when they can): not before the
    meeting has started, so a meeting that has not happened is never recorded as held."""
    if slot.has_started:
        return ""
    return _("The meeting starts %(start)s. Write the minutes once it has started.") % {
        "start": date_format(timezone.localtime(slot.starts_at), "DATETIME_FORMAT")
    }


@transaction.atomic
def save_meeting_minutes(*, slot, user, minutes, clarification="", override_reason="") -> Answer | None:
    """Record the minutes. If anything new was said to this supplier, the group's
    `clarification` is published to every participant (same channel as answers); when it
    identifies a supplier, nothing is saved (IdentifyingText) unless overridden with a reason.
    Refused (DialogueRuleError) before the meeting's start."""
    if refusal := minutes_refusal(slot):
        raise DialogueRuleError(refusal)
    slot.minutes = minutes
    slot.minutes_by = user
    slot.minutes_at = timezone.now()
    published = None
    if clarification.strip():
        published = publish_clarification(
            dialogue=slot.dialogue,
            user=user,
            body=clarification,
            kind=Answer.Kind.MEETING,
            override_reason=override_reason,
        )
        slot.clarification = published
    slot.save(update_fields=["minutes", "minutes_by", "minutes_at", "clarification"])
    return published
