"""Reminders: the apps' sources, each yielding what is due at a moment.

A source is a function `source(now) -> Iterable[Reminder]` that an app registers with
`notifications.registry.register_reminder_source` in its AppConfig.ready() (dialogues: deadlines,
meetings and overdue questions, dialogues/reminders.py). The beat task `send_reminders` runs
every source and calls `notify` with each reminder's dedupe key, so the task can run as often as
it likes (and after an outage, catch up) without notifying anybody twice. A source should yield
a reminder from the moment it is due until the event has passed ("3 days before" means "from 3
days before until 1 day before"), and put the event's time in the key so that a moved deadline
is reminded of again.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction

from notifications.registry import reminder_sources
from notifications.services import notify

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
    for source in reminder_sources():
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
