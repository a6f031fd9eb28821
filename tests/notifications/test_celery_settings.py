"""The Celery settings the delivery guarantees rest on."""

from celery.schedules import crontab
from django.conf import settings

from config.celery import app
from notifications import tasks  # noqa: F401 (registers the tasks)


def test_beat_runs_the_digest_at_seven_in_stockholm_the_reminders_and_the_sweep():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert settings.CELERY_TIMEZONE == "Europe/Stockholm"
    assert schedule["notifications-daily-digest"]["schedule"] == crontab(hour=7, minute=0)
    for entry in schedule.values():
        assert entry["task"] in app.tasks, entry["task"]


def test_reliability_settings():
    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost
    assert app.conf.accept_content == ["json"] and app.conf.task_serializer == "json"
    longest_wait = settings.CELERY_TASK_TIME_LIMIT + 1800 + settings.NOTIFICATION_RETRY_BASE_SECONDS
    assert app.conf.broker_transport_options["visibility_timeout"] > longest_wait
