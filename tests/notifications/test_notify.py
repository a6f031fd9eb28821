"""The outbox contract: rows written in the caller's transaction, delivery after commit."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.services import delete_account
from notifications.models import Notification
from notifications.services import notify
from tests.factories import OrganisationFactory, UserFactory
from tests.notifications.conftest import many_users

pytestmark = pytest.mark.django_db


def test_one_row_per_recipient_skipping_duplicates_actor_inactive_and_deleted(people):
    inactive = UserFactory(is_active=False)
    deleted = UserFactory()
    delete_account(user=deleted)
    created = notify(
        kind="join_request",
        recipients=[people.anna, people.erik, people.erik, people.sara, inactive, deleted],
        params={"organisation": "Lunds kommun", "group": "Fossilfria arbetsmaskiner"},
        actor=people.sara,
    )
    assert created == 2
    assert sorted(Notification.objects.values_list("recipient__email", flat=True)) == ["anna@vaxjo.se", "erik@vaxjo.se"]


def test_recipients_can_be_a_queryset(people):
    colleagues = get_user_model().objects.filter(affiliations__organisation=people.authority)
    created = notify(kind="need_review", recipients=colleagues, params={})
    assert created == 3  # anna, erik and ulla (whose address is unverified still gets the in-app item)


def test_unknown_kind_is_refused_and_writes_nothing(people):
    with pytest.raises(ValueError, match="no_such_kind"):
        notify(kind="no_such_kind", recipients=[people.anna])
    assert not Notification.objects.exists()


def test_message_is_rendered_in_the_language_asked_for_not_stored(people):
    notify(
        kind="membership_decided",
        recipients=[people.anna],
        params={"variant": "declined", "organisation": "Växjö kommun", "group": "Solceller", "reason": "Fel tema"},
    )
    notification = Notification.objects.get()
    assert notification.params["variant"] == "declined"
    with translation.override("en"):
        assert notification.message() == "Solceller declined the request from Växjö kommun. Reason: Fel tema"
    with translation.override("sv"):
        assert notification.message() == "Solceller avslog ansökan från Växjö kommun. Skäl: Fel tema"


def test_datetimes_in_params_are_shown_in_the_readers_language_and_time_zone(people):
    notify(
        kind="meeting_reminder",
        recipients=[people.anna],
        params={"dialogue": "Solceller", "starts_at": datetime(2026, 3, 2, 9, 30, tzinfo=UTC)},
    )
    notification = Notification.objects.get()
    assert notification.params["starts_at"] == {"datetime": "2026-03-02T09:30:00+00:00"}
    with translation.override("sv"):
        assert "2 mars 2026 10:30" in notification.message()  # Stockholm is UTC+1 in March
    with translation.override("en"):
        assert "2 March 2026 10:30" in notification.message()  # day before month (config/formats/en)


def test_a_missing_param_shows_an_ellipsis_instead_of_failing(people):
    notify(kind="mention", recipients=[people.anna], params={"person": "Erik"})
    with translation.override("en"):
        assert Notification.objects.get().message() == "Erik mentioned you in …."


def test_place_and_target_are_stored_with_the_targets_url(people):
    notify(kind="organisation_reviewed", recipients=[people.anna], place=people.authority, target=people.authority)
    notification = Notification.objects.get()
    assert notification.place_label == "Växjö kommun"
    assert notification.place_url == notification.url == people.authority.get_absolute_url()
    assert notification.target == people.authority and not notification.target_is_gone


def test_dedupe_key_makes_a_rerun_create_nothing(people):
    assert notify(kind="deadline_reminder", recipients=[people.anna, people.erik], dedupe_key="d:1:3d") == 2
    everyone = [people.anna, people.erik, people.sara]
    assert notify(kind="deadline_reminder", recipients=everyone, dedupe_key="d:1:3d") == 1
    assert Notification.objects.filter(dedupe_key="d:1:3d").count() == 3


def test_nothing_is_scheduled_before_commit_and_delivery_follows_it(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        notify(kind="mention", recipients=[people.anna], params={"person": "Erik", "thread": "Allmänt"})
    assert len(callbacks) == 1
    assert Notification.objects.get().delivered_at is None


def test_a_rolled_back_event_leaves_no_notification(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                notify(kind="mention", recipients=[people.anna])
                raise RuntimeError("the event failed")
    assert not Notification.objects.exists()
    assert callbacks == []


def count_queries(recipients):
    with CaptureQueriesContext(connection) as queries:
        notify(kind="answer_published", recipients=recipients, params={"dialogue": "Solceller"})
    return len(queries)


def test_answer_to_300_participants_is_300_rows_in_bounded_queries_and_nothing_sent_before_commit(
    people, mailoutbox, django_capture_on_commit_callbacks, deliver_outbox
):
    small = count_queries(many_users(3))
    participants = many_users(300)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks() as callbacks:
        with transaction.atomic():
            large = count_queries(participants)
            assert Notification.objects.filter(kind="answer_published").count() == 300
        assert mailoutbox == []  # committed, but the on-commit work has not run yet
    assert large == small <= 4
    assert len(callbacks) == 1  # one scheduling callback, which queues batches, never one task per person
    assert mailoutbox == []
    for callback in callbacks:
        callback()
    deliver_outbox()
    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u in participants)
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mailoutbox)
    # Everyone got it at the same moment: one created_at for all 300 rows.
    assert Notification.objects.values("created_at").distinct().count() == 1


def test_the_place_keeps_the_language_its_name_is_written_in(people):
    """WCAG 3.1.2: the notification list marks the place's name with its language."""
    place = OrganisationFactory(name="Nordic Buyers Ltd", content_language="en")
    notify(kind="need_review", recipients=[people.anna], params={}, place=place)
    notify(kind="need_review", recipients=[people.erik], params={})
    assert dict(Notification.objects.values_list("recipient__email", "place_language")) == {
        "anna@vaxjo.se": "en",
        "erik@vaxjo.se": "",
    }
