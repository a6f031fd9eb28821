"""The reminder sources of market dialogues, registered in DialoguesConfig.ready() and run by
notifications' periodic task (see notifications/reminders.py for what a source promises: each
yields what is due from the moment it is due until the event has passed, with the event's time
in the dedupe key so that a moved deadline is reminded of again)."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db.models import Q
from django.urls import reverse

from accounts.models import User
from accounts.services import users_of_organisations
from dialogues.models import Dialogue, MeetingSlot, Question
from notifications.reminders import Reminder, days_before_due

REMINDER_DAYS = (3, 1)


def _members_of(group) -> list[int]:
    return list(group.memberships.active().filter(role="member").values_list("organisation_id", flat=True))


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
                    kind="deadline_reminder",
                    params={"variant": variant, "dialogue": dialogue.title, "deadline": deadline},
                    place=dialogue,
                    target=dialogue,
                    dedupe_key=f"deadline:{variant}:{dialogue.pk}:{deadline.isoformat()}:{days}d",
                )


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
            kind="meeting_reminder",
            params={"dialogue": slot.dialogue.title, "starts_at": slot.starts_at},
            url=reverse("dialogues:meeting-list", args=[slot.dialogue_id]),
            place=slot.dialogue,
            target=slot,
            # The supplier is in the key: a slot booked again by another supplier is reminded again.
            dedupe_key=f"meeting:{slot.pk}:{slot.organisation_id}:{slot.starts_at.isoformat()}:{days}d",
        )


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
            kind="question_overdue",
            params={"dialogue": dialogue.title, "asked_at": question.created_at},
            url=question.get_absolute_url(),
            place=dialogue,
            target=question,
            dedupe_key=f"overdue:question:{question.pk}",
        )
