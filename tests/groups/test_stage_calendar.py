"""The stage plan's planned dates in the personal calendar feed (issue 20, "every meeting and
deadline as iCalendar"): all-day events for the people who work in the group, updated with a
higher SEQUENCE when the dates move, gone when the dates are removed or the group ends."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from groups.ical import stage_plan_events
from groups.models import Stage, StagePlanEntry
from tests.dialogues.test_calendar import events_of, feed, uid
from tests.groups.test_ending import procured

pytestmark = pytest.mark.django_db


def plan(client, cast, stage, start="", end=""):
    """The coordinator saves the stage plan with `stage` dated, as the form posts it."""
    client.force_login(cast.coordinator)
    response = client.post(
        reverse("groups:stage-plan", args=[cast.group.slug]),
        {f"{stage}-planned_start": start, f"{stage}-planned_end": end, "current_stage": cast.group.current_stage},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return StagePlanEntry.objects.get(group=cast.group, stage=stage)


def test_a_planned_stage_is_an_all_day_event_for_those_who_work_in_the_group(client, cast):
    entry = plan(client, cast, Stage.EARLY_DIALOGUE, "2027-02-01", "2027-03-15")
    key = uid(f"stage-{entry.pk}")
    for person in (cast.coordinator, cast.member, cast.observer):
        event = events_of(feed(person))[key]
        assert event.start == date(2027, 2, 1)
        assert event.end == date(2027, 3, 16)  # DTEND is the day after, as RFC 5545 counts days
        assert cast.group.name in str(event["SUMMARY"])
        assert event["SEQUENCE"] == 0
    for outsider in (cast.non_member, cast.supplier, cast.stranger, cast.facilitator):
        assert key not in events_of(feed(outsider)), outsider


def test_one_date_is_a_one_day_event_and_no_dates_no_event(client, cast):
    entry = plan(client, cast, Stage.PRE_STUDY, end="2027-01-20")
    event = events_of(feed(cast.member))[uid(f"stage-{entry.pk}")]
    assert (event.start, event.end) == (date(2027, 1, 20), date(2027, 1, 21))
    plan(client, cast, Stage.PRE_STUDY)
    assert uid(f"stage-{entry.pk}") not in events_of(feed(cast.member))


def test_moved_dates_keep_the_uid_with_a_higher_sequence(client, cast):
    entry = plan(client, cast, Stage.EARLY_DIALOGUE, "2027-02-01", "2027-03-15")
    plan(client, cast, Stage.EARLY_DIALOGUE, "2027-02-08", "2027-03-15")
    event = events_of(feed(cast.member))[uid(f"stage-{entry.pk}")]
    assert event["SEQUENCE"] == 1 and event.start == date(2027, 2, 8)
    # Saving the plan without touching the dates is not an update.
    plan(client, cast, Stage.EARLY_DIALOGUE, "2027-02-08", "2027-03-15")
    entry.refresh_from_db()
    assert entry.calendar_sequence == 1


def test_an_ended_group_leaves_the_calendar(client, cast):
    entry = plan(client, cast, Stage.EARLY_DIALOGUE, "2027-02-01", "2027-03-15")
    procured(cast)
    assert uid(f"stage-{entry.pk}") not in events_of(feed(cast.coordinator))


def test_the_feed_reads_the_stage_plan_in_a_fixed_number_of_queries(client, cast, django_assert_max_num_queries):
    for offset, stage in enumerate(Stage.values):
        StagePlanEntry.objects.filter(group=cast.group, stage=stage).update(
            planned_start=date(2027, 1, 1) + timedelta(days=30 * offset)
        )
    with django_assert_max_num_queries(3):
        events = stage_plan_events(cast.member)
    assert len(events) == len(Stage.values)
