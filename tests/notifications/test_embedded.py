"""The embedded mode: Celery runs tasks eagerly in the web process, still only after commit.
These tests switch Celery to eager themselves, so they check it in the services mode too."""

import pytest
from django.db import transaction
from django.urls import reverse

from config.celery import app as celery_app
from notifications.models import Notification
from notifications.services import notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager():
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def test_eager_delivery_waits_for_commit(people, eager, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            notify(kind="mention", recipients=[people.erik], params={"person": "Anna", "thread": "Allmänt"})
            assert mailoutbox == []
    assert [m.to for m in mailoutbox] == [[people.erik.email]]
    assert Notification.objects.get().delivered_at is not None


def test_failing_email_in_the_embedded_mode_does_not_fail_the_request(
    client, facilitator, unverified_admin, eager, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MAILERS = {
        "default": {"BACKEND": "tests.notifications.mailbox.DirectoryBackend", "OPTIONS": {"directory": tmp_path}}
    }
    (tmp_path / "fail-next").write_text("10")
    organisation = unverified_admin.affiliations.get().organisation
    client.force_login(facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:organisation-review", args=[organisation.pk]), {"decision": "verify"})
    assert response.status_code == 302
    notification = Notification.objects.get(kind="organisation_reviewed")
    # Tried once, not retried in a loop inside the request; the sweep tries again later.
    assert notification.delivered_at is None and notification.attempts == 1
