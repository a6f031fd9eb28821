"""Reminders: a registry of sources, each yielding what is due at a moment.

A source is a function `source(now) -> Iterable[Reminder]`, registered with `@reminder_source`.
The beat task `send_reminders` runs every source and calls `notify` with each reminder's
dedupe key, so the task can run as often as it likes (and after an outage, catch up) without
notifying anybody twice. A source should yield a reminder from the moment it is due until the
event has passed ("3 days before" means "from 3 days before until 1 day before"), and put the
event's time in the key so that a moved deadline is reminded of again.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from accounts.models import User
from dialogues.models import Dialogue, MeetingSlot, Question
from notifications.kinds import Kind
from notifications.services import notify, users_of_organisations

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reminder:
    recipients: object  # users: an iterable or a queryset
    kind: str
    dedupe_key: str
    params: dict = field(default_factory=dict)
    url: str = ""
    place: object = None
    target: object = None


Source = Callable[[datetime], Iterable[Reminder]]
SOURCES: list[Source] = []


def reminder_source(source: Source) -> Source:
    SOURCES.append(source)
    return source


def days_before_due(event_at: datetime, now: datetime, *, days=(3, 1)) -> int | None:
    """Which "N days before" reminder is due at `now` for an event at `event_at`: the N whose
    mark has passed while the next (smaller) mark has not; None when it is too early or the
    event has passed."""
    marks = sorted(days, reverse=True)
    for mark, next_mark in zip(marks, [*marks[1:], 0], strict=True):
        if event_at - timedelta(days=mark) <= now < event_at - timedelta(days=next_mark):
            return mark
    return None


def send_due_reminders(*, now: datetime) -> int:
    """Notify about everything due at `now`; returns the number of notifications created. One
    failing source is logged and does not stop the others."""
    created = 0
    for source in list(SOURCES):
        try:
            for reminder in source(now):
                with transaction.atomic():
                    created += notify(
                        kind=reminder.kind,
                        recipients=reminder.recipients,
                        params=reminder.params,
                        url=reminder.url,
                        place=reminder.place,
                        target=reminder.target,
                        dedupe_key=reminder.dedupe_key,
                    )
        except Exception:
            logger.exception("Reminder source %s failed", getattr(source, "__name__", source))
    return created


# --- The platform's sources ----------------------------------------------------------------

REMINDER_DAYS = (3, 1)


def _members_of(group) -> list[int]:
    return list(group.memberships.active().filter(role="member").values_list("organisation_id", flat=True))


@reminder_source
def dialogue_deadlines(now: datetime) -> Iterable[Reminder]:
    """3 days and 1 day before an open dialogue's question and proposal deadlines, to the
    people of the suppliers taking part."""
    horizon = now + timedelta(days=max(REMINDER_DAYS))
    dialogues = Dialogue.objects.open().filter(
        Q(question_deadline__gt=now, question_deadline__lte=horizon)
        | Q(submission_deadline__gt=now, submission_deadline__lte=horizon)
    )
    for dialogue in dialogues:
        participants = users_of_organisations(dialogue.participations.active().values("organisation_id"))
        for variant, deadline in (
            ("question", dialogue.question_deadline),
            ("submission", dialogue.submission_deadline),
        ):
            if days := days_before_due(deadline, now, days=REMINDER_DAYS):
                yield Reminder(
                    recipients=participants,
                    kind=Kind.DEADLINE_REMINDER,
                    params={"variant": variant, "dialogue": dialogue.title, "deadline": deadline},
                    place=dialogue,
                    target=dialogue,
                    dedupe_key=f"deadline:{variant}:{dialogue.pk}:{deadline.isoformat()}:{days}d",
                )


@reminder_source
def booked_meetings(now: datetime) -> Iterable[Reminder]:
    """3 days and 1 day before a booked dialogue meeting, to the booking supplier's people and
    the people of the group's member authorities."""
    horizon = now + timedelta(days=max(REMINDER_DAYS))
    slots = MeetingSlot.objects.filter(
        organisation__isnull=False, starts_at__gt=now, starts_at__lte=horizon, dialogue__state=Dialogue.State.OPEN
    ).select_related("dialogue__group")
    members: dict[int, list[int]] = {}
    for slot in slots:
        days = days_before_due(slot.starts_at, now, days=REMINDER_DAYS)
        if days is None:
            continue
        group = slot.dialogue.group
        if group.pk not in members:
            members[group.pk] = _members_of(group)
        yield Reminder(
            recipients=users_of_organisations([slot.organisation_id, *members[group.pk]]),
            kind=Kind.MEETING_REMINDER,
            params={"dialogue": slot.dialogue.title, "starts_at": slot.starts_at},
            url=reverse("dialogues:meeting-list", args=[slot.dialogue_id]),
            place=slot.dialogue,
            target=slot,
            # The supplier is in the key: a slot booked again by another supplier is reminded again.
            dedupe_key=f"meeting:{slot.pk}:{slot.organisation_id}:{slot.starts_at.isoformat()}:{days}d",
        )


@reminder_source
def overdue_questions(now: datetime) -> Iterable[Reminder]:
    """A supplier question still unanswered past the group's promised answer time, once, to the
    group's coordinators and the facilitators (the message never names the asker)."""
    facilitators = User.objects.facilitators()
    questions = Question.objects.overdue(now).filter(dialogue__state=Dialogue.State.OPEN).select_related("dialogue")
    for question in questions:
        dialogue = question.dialogue
        yield Reminder(
            recipients=User.objects.filter(
                Q(pk__in=facilitators.values("pk")) | Q(coordinated_groups__group_id=dialogue.group_id)
            ),
            kind=Kind.QUESTION_OVERDUE,
            params={"dialogue": dialogue.title, "asked_at": question.created_at},
            url=question.get_absolute_url(),
            place=dialogue,
            target=question,
            dedupe_key=f"overdue:question:{question.pk}",
        )
