"""A market dialogue's meetings and deadlines as calendar events (core/ical.py writes them).

Who sees which event is DialogueAccess's answer, as on the meeting list: a booked meeting for
the supplier that booked it and for the group's workspace users (who see who booked it); the
deadlines for the suppliers taking part and the group's workspace users. Nothing here decides
access; it only reads it.

- A meeting's UID is the slot's ("meeting-<pk>"), its SEQUENCE MeetingSlot.sequence (raised by
  each booking and cancellation, dialogues/services/meetings.py). A cancelled booking stays in
  its supplier's calendar as STATUS:CANCELLED (the slot remembers the last cancelled booking),
  and in the group's while the time is free again; a time booked again is the group's meeting
  with the new supplier. A removed free time was in nobody's calendar.
- A deadline's SEQUENCE is the number of published amendments that moved it.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from core.ical import CalendarEvent
from dialogues.access import DialogueAccess, dialogue_access, dialogues_taken_part_in_by
from dialogues.models import Answer, Dialogue, MeetingSlot
from groups.ical import groups_of_calendar
from notifications.services import absolute_url


def meeting_event(access: DialogueAccess, slot: MeetingSlot) -> CalendarEvent | None:
    """The meeting as this person's calendar shows it, or None when it is not theirs to see."""
    if not access.can_see_answers:
        return None
    if slot.is_booked and (access.is_own_booking(slot) or access.can_see_participants):
        organisation, cancelled = slot.organisation, False
    elif slot.cancelled_organisation_id and (
        access.is_own(slot.cancelled_organisation_id) or (access.can_see_participants and not slot.is_booked)
    ):
        organisation, cancelled = slot.cancelled_organisation, True
    else:
        return None
    dialogue = access.dialogue
    with_whom = dialogue.group.name if access.is_own(organisation.pk) else organisation.name
    return CalendarEvent(
        key=f"meeting-{slot.pk}",
        summary=_("Meeting with %(party)s: %(dialogue)s") % {"party": with_whom, "dialogue": dialogue.title},
        start=slot.starts_at,
        end=slot.ends_at,
        sequence=slot.sequence,
        cancelled=cancelled,
        location=slot.location,
        description=_("A one-to-one meeting in the market dialogue “%(dialogue)s” of %(group)s.")
        % {"dialogue": dialogue.title, "group": dialogue.group.name},
        url=absolute_url(reverse("dialogues:meeting-list", args=[dialogue.pk])),
    )


def _amendment_counts(dialogue: Dialogue) -> dict[str, int]:
    counts = {}
    for changes in dialogue.answers.published().filter(kind=Answer.Kind.CHANGE).values_list("changes", flat=True):
        for change in changes or ():
            counts[change["field"]] = counts.get(change["field"], 0) + 1
    return counts


def deadline_events(access: DialogueAccess) -> list[CalendarEvent]:
    """The last day for questions and the deadline for proposals, for those taking part."""
    dialogue = access.dialogue
    if not access.can_see_dialogue or not (access.is_participant or access.group.can_see_workspace):
        return []
    moved = _amendment_counts(dialogue)
    description = _("Market dialogue “%(dialogue)s” of %(group)s.") % {
        "dialogue": dialogue.title,
        "group": dialogue.group.name,
    }
    url = absolute_url(dialogue.get_absolute_url())
    return [
        CalendarEvent(
            key=f"dialogue-{dialogue.pk}-questions",
            summary=_("Last day for questions: %(dialogue)s") % {"dialogue": dialogue.title},
            start=dialogue.question_deadline,
            sequence=moved.get("question_deadline", 0),
            description=description,
            url=url,
        ),
        CalendarEvent(
            key=f"dialogue-{dialogue.pk}-proposals",
            summary=_("Deadline for proposals: %(dialogue)s") % {"dialogue": dialogue.title},
            start=dialogue.submission_deadline,
            sequence=moved.get("submission_deadline", 0),
            description=description,
            url=url,
        ),
    ]


def dialogues_of_calendar(user):
    """The dialogues a person's calendar covers: those their supplier organisations take part
    in, and those of the groups their calendar covers (groups.ical.groups_of_calendar)."""
    return (
        Dialogue.objects.filter(
            Q(group__in=groups_of_calendar(user).values("pk")) | Q(pk__in=dialogues_taken_part_in_by(user).values("pk"))
        )
        .select_related("group")
        .order_by("pk")
    )


def dialogue_events(user) -> list[CalendarEvent]:
    """Every meeting and deadline of the person's dialogues that they may see."""
    events = []
    for dialogue in dialogues_of_calendar(user):
        access = dialogue_access(user, dialogue)
        events += deadline_events(access)
        slots = dialogue.meeting_slots.filter(
            Q(organisation__isnull=False) | Q(cancelled_organisation__isnull=False)
        ).select_related("organisation", "cancelled_organisation")
        events += [event for slot in slots if (event := meeting_event(access, slot))]
    return events
