"""Reminders: sources yield what is due, the beat task notifies once per dedupe key."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from notifications.models import Notification
from notifications.registry import register_reminder_source
from notifications.reminders import Reminder, days_before_due, send_due_reminders
from notifications.tasks import send_reminders

pytestmark = pytest.mark.django_db

DEADLINE = datetime(2026, 5, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def deadline_source(people, isolated_registry):
    """A question deadline 3 days and 1 day ahead, for Anna and Erik, as a dialogue source would."""

    def source(now):
        if days := days_before_due(DEADLINE, now):
            yield Reminder(
                recipients=[people.anna, people.erik],
                kind="deadline_reminder",
                params={"variant": "question", "dialogue": "Solceller", "deadline": DEADLINE},
                url="/dialogues/1/",
                dedupe_key=f"deadline:question:1:{DEADLINE.isoformat()}:{days}d",
            )

    return register_reminder_source(source)


def test_nothing_is_due_a_week_before(deadline_source):
    assert send_due_reminders(now=DEADLINE - timedelta(days=7)) == 0


def test_three_days_before_each_person_is_reminded_once_however_often_beat_runs(deadline_source):
    with time_machine.travel(DEADLINE - timedelta(days=3), tick=False):
        assert send_reminders() == 2
    with time_machine.travel(DEADLINE - timedelta(days=3) + timedelta(minutes=15), tick=False):
        assert send_reminders() == 0
    with time_machine.travel(DEADLINE - timedelta(days=2), tick=False):
        assert send_reminders() == 0
    assert Notification.objects.filter(kind="deadline_reminder").count() == 2


def test_one_day_before_comes_a_second_reminder(deadline_source):
    for moment in (DEADLINE - timedelta(days=3), DEADLINE - timedelta(hours=23), DEADLINE - timedelta(hours=1)):
        with time_machine.travel(moment, tick=False):
            send_reminders()
    keys = sorted(set(Notification.objects.values_list("dedupe_key", flat=True)))
    assert [key.rsplit(":", 1)[1] for key in keys] == ["1d", "3d"]
    assert Notification.objects.count() == 4


def test_a_beat_that_was_down_catches_up(deadline_source):
    # Nothing ran at the 3-day mark; two and a half days before, the reminder still goes out.
    with time_machine.travel(DEADLINE - timedelta(days=2, hours=12), tick=False):
        assert send_reminders() == 2


def test_the_reminder_shows_the_deadline_in_the_readers_language(deadline_source, people):
    send_due_reminders(now=DEADLINE - timedelta(days=3))
    from django.utils import translation

    with translation.override("sv"):
        text = Notification.objects.filter(recipient=people.anna).get().message()
    assert text == "Frågor i Solceller kan ställas till och med 20 maj 2026 14:00."


def test_a_failing_source_does_not_stop_the_others(deadline_source, isolated_registry):
    def broken(now):
        raise RuntimeError("a source with a bug")

    isolated_registry._reminder_sources.insert(0, broken)  # it runs before the working one
    assert send_due_reminders(now=DEADLINE - timedelta(days=3)) == 2


@pytest.mark.parametrize(
    ("before", "due"),
    [
        (timedelta(days=4), None),
        (timedelta(days=3), 3),
        (timedelta(days=1, seconds=1), 3),
        (timedelta(days=1), 1),
        (timedelta(seconds=1), 1),
        (timedelta(0), None),
        (-timedelta(days=1), None),
    ],
)
def test_days_before_due(before, due):
    assert days_before_due(DEADLINE, DEADLINE - before) == due
