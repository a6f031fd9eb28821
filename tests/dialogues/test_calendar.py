"""Meetings and deadlines as iCalendar: the download per meeting and the personal subscription
feed behind a secret link. Every calendar is read back with the `icalendar` parser."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.models import CalendarLink, OrganisationMember
from accounts.services import delete_account, renew_calendar_link, revoke_calendar_link
from core.mail import site_domain
from dialogues.models import MeetingSlot
from dialogues.services.amendments import amend_dialogue
from dialogues.services.dialogue import register_participation, withdraw_participation
from dialogues.services.meetings import add_meeting_slots, book_meeting_slot, cancel_meeting_booking
from groups.models import NeedStatement
from groups.services.group import create_group
from groups.services.needs import create_need, move_need
from moderation.services import suspend_user
from tests.dialogues.conftest import make_open_dialogue, signed_in, supplier
from tests.factories import OrganisationFactory, UserFactory, person_at
from tests.groups.conftest import FIELDS, REQUIREMENTS


def offer(dialogue, coordinator, count=1, days=3):
    return add_meeting_slots(
        dialogue=dialogue,
        user=coordinator,
        first_start=timezone.now() + timedelta(days=days),
        length_minutes=60,
        count=count,
    )


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    return Calendar.from_ical(response.content)


def events_of(calendar: Calendar) -> dict:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def feed(user) -> Calendar:
    """The person's feed, fetched as a calendar app does: without a session."""
    token = renew_calendar_link(user=user)
    return parse(Client().get(reverse("home:calendar-feed", args=[token])))


def uid(key):
    return f"{key}@{site_domain()}"


def deadlines(dialogue):
    return {uid(f"dialogue-{dialogue.pk}-questions"), uid(f"dialogue-{dialogue.pk}-proposals")}


@pytest.fixture
def booked(dc):
    """Supplier A and supplier B each booked a meeting; a third time is free."""
    first, second, free = offer(dc.dialogue, dc.coordinator, count=3)
    book_meeting_slot(slot=first, organisation=dc.solvent, user=dc.supplier_a)
    book_meeting_slot(slot=second, organisation=dc.nordlys, user=dc.supplier_b)
    return first, second, free


@pytest.fixture
def group_b(dc):
    """Another group's open dialogue, where a third supplier booked a meeting."""
    kalmar = OrganisationFactory(name="Kalmar kommun")
    coordinator = person_at(kalmar, role=OrganisationMember.Role.ADMIN, name="Bo Samordnare", email="bo@kalmar.se")
    group = create_group(
        creator=coordinator,
        organisation=kalmar,
        name="Laddinfrastruktur",
        theme="transport",
        summary="Laddning.",
        challenge="Laddning.",
        is_open=True,
    )
    need = create_need(group=group, user=coordinator, fields=FIELDS, requirements=REQUIREMENTS, change_note="v1")
    move_need(need=need, user=coordinator, to_state=NeedStatement.State.PUBLISHED)
    dialogue = make_open_dialogue(group, need, coordinator, title="Dialog om laddare")
    register_participation(dialogue=dialogue, organisation=dc.third, user=dc.outside_supplier)
    slot = offer(dialogue, coordinator)[0]
    book_meeting_slot(slot=slot, organisation=dc.third, user=dc.outside_supplier)
    return dialogue, slot


# --- The download per meeting ---------------------------------------------------------------


def test_a_meeting_downloads_as_a_calendar_in_stockholm_time_with_a_stable_uid(dc, booked):
    slot = booked[0]
    client = signed_in(dc.supplier_a)
    url = reverse("dialogues:meeting-calendar", args=[dc.dialogue.pk, slot.pk])
    response = client.get(url)
    calendar = parse(response)
    assert response["Content-Disposition"] == f'attachment; filename="meeting-{slot.pk}.ics"'
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == uid(f"meeting-{slot.pk}")
    assert event["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert event["DTEND"].params["TZID"] == "Europe/Stockholm"
    assert event.start == slot.starts_at.replace(microsecond=0)  # iCalendar counts whole seconds
    assert event.end == slot.ends_at.replace(microsecond=0)
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/Stockholm"]
    assert "DTSTAMP" in event and str(event["STATUS"]) == "CONFIRMED"
    assert str(event["URL"]).endswith(reverse("dialogues:meeting-list", args=[dc.dialogue.pk]))
    assert "Laddinfrastruktur" not in str(event["SUMMARY"])
    assert dc.group.name in str(event["SUMMARY"])  # the supplier meets the group
    again = events_of(parse(client.get(url)))
    assert list(again) == [uid(f"meeting-{slot.pk}")]


def test_the_group_sees_which_supplier_it_meets(dc, booked):
    response = signed_in(dc.member).get(reverse("dialogues:meeting-calendar", args=[dc.dialogue.pk, booked[0].pk]))
    [event] = parse(response).walk("VEVENT")
    assert dc.solvent.name in str(event["SUMMARY"])


def test_a_competitor_and_a_free_time_have_no_download(dc, booked):
    first, _second, free = booked
    url = reverse("dialogues:meeting-calendar", args=[dc.dialogue.pk, first.pk])
    assert signed_in(dc.supplier_b).get(url).status_code == 404
    free_url = reverse("dialogues:meeting-calendar", args=[dc.dialogue.pk, free.pk])
    assert signed_in(dc.member).get(free_url).status_code == 404
    assert signed_in(None).get(url).status_code == 302  # to sign in


def test_the_meeting_list_links_the_download_only_for_ones_own_meeting(dc, booked):
    first, second, _free = booked
    page = signed_in(dc.supplier_a).get(reverse("dialogues:meeting-list", args=[dc.dialogue.pk])).content.decode()
    assert reverse("dialogues:meeting-calendar", args=[dc.dialogue.pk, first.pk]) in page
    assert reverse("dialogues:meeting-calendar", args=[dc.dialogue.pk, second.pk]) not in page


# --- Changes: SEQUENCE and STATUS ------------------------------------------------------------


def test_a_cancelled_booking_is_cancelled_in_both_calendars_with_a_higher_sequence(dc, booked):
    slot = booked[0]
    key = uid(f"meeting-{slot.pk}")
    before = events_of(feed(dc.supplier_a))[key]
    cancel_meeting_booking(slot=slot, user=dc.supplier_a)
    after = events_of(feed(dc.supplier_a))[key]
    assert str(after["STATUS"]) == "CANCELLED"
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert str(events_of(feed(dc.member))[key]["STATUS"]) == "CANCELLED"


def test_booking_then_cancelling_raises_the_sequence_each_time(dc):
    slot = offer(dc.dialogue, dc.coordinator)[0]
    assert slot.sequence == 0
    book_meeting_slot(slot=slot, organisation=dc.solvent, user=dc.supplier_a)
    assert MeetingSlot.objects.get(pk=slot.pk).sequence == 1
    cancel_meeting_booking(slot=MeetingSlot.objects.get(pk=slot.pk), user=dc.supplier_a)
    book_meeting_slot(slot=MeetingSlot.objects.get(pk=slot.pk), organisation=dc.nordlys, user=dc.supplier_b)
    slot.refresh_from_db()
    assert slot.sequence == 3
    events = events_of(feed(dc.supplier_a))
    assert str(events[uid(f"meeting-{slot.pk}")]["STATUS"]) == "CANCELLED"  # supplier A's is off
    group_event = events_of(feed(dc.member))[uid(f"meeting-{slot.pk}")]
    assert str(group_event["STATUS"]) == "CONFIRMED" and dc.nordlys.name in str(group_event["SUMMARY"])
    assert group_event["SEQUENCE"] == 3


def test_a_moved_deadline_keeps_its_uid_with_a_higher_sequence(dc):
    key = uid(f"dialogue-{dc.dialogue.pk}-proposals")
    before = events_of(feed(dc.supplier_a))[key]
    amend_dialogue(
        dialogue=dc.dialogue,
        user=dc.coordinator,
        reason="Mer tid.",
        submission_deadline=dc.dialogue.submission_deadline + timedelta(days=7),
    )
    after = events_of(feed(dc.supplier_a))[key]
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1
    assert after.start == before.start + timedelta(days=7)


# --- Who sees what ---------------------------------------------------------------------------


def test_each_feed_holds_exactly_what_its_person_may_see(dc, booked, group_b):
    first, second, _free = booked
    dialogue_b, slot_b = group_b
    a_deadlines = deadlines(dc.dialogue)
    a_meetings = {uid(f"meeting-{first.pk}"), uid(f"meeting-{second.pk}")}
    lone = person_at(supplier("Ensam AB"), name="Lone", email="lone@ensam.se")
    expected = {
        dc.supplier_a: a_deadlines | {uid(f"meeting-{first.pk}")},
        dc.supplier_b: a_deadlines | {uid(f"meeting-{second.pk}")},
        dc.member: a_deadlines | a_meetings,
        dc.coordinator: a_deadlines | a_meetings,
        dc.observer: a_deadlines | a_meetings,
        dc.outside_supplier: deadlines(dialogue_b) | {uid(f"meeting-{slot_b.pk}")},
        lone: set(),  # a supplier in no dialogue
        dc.unverified_supplier: set(),
        dc.non_member: set(),
        dc.facilitator: set(),  # sees every workspace, but the calendar is for groups one takes part in
    }
    for person, uids in expected.items():
        calendar = feed(person)
        assert set(events_of(calendar)) == uids, person
        assert all(e["DTSTART"].params["TZID"] == "Europe/Stockholm" for e in calendar.walk("VEVENT"))


def test_a_withdrawn_supplier_sees_nothing_more(dc, booked):
    withdraw_participation(participation=dc.dialogue.participations.get(organisation=dc.solvent), user=dc.supplier_a)
    assert events_of(feed(dc.supplier_a)) == {}
    event = events_of(feed(dc.member))[uid(f"meeting-{booked[0].pk}")]
    assert str(event["STATUS"]) == "CANCELLED"


# --- The secret link -------------------------------------------------------------------------


def test_the_feed_needs_no_session_and_uids_are_stable(dc, booked):
    token = renew_calendar_link(user=dc.supplier_a)
    url = reverse("home:calendar-feed", args=[token])
    first = parse(Client().get(url))
    second = parse(Client().get(url))
    assert set(events_of(first)) == set(events_of(second)) != set()
    assert "sessionid" not in Client().get(url).cookies


def test_a_renewed_or_revoked_link_stops_working(dc):
    old = renew_calendar_link(user=dc.supplier_a)
    new = renew_calendar_link(user=dc.supplier_a)
    assert Client().get(reverse("home:calendar-feed", args=[old])).status_code == 404
    assert Client().get(reverse("home:calendar-feed", args=[new])).status_code == 200
    revoke_calendar_link(user=dc.supplier_a)
    assert Client().get(reverse("home:calendar-feed", args=[new])).status_code == 404


def test_deleted_and_suspended_accounts_links_stop_working(dc):
    suspended_token = renew_calendar_link(user=dc.supplier_b)
    suspend_user(user=dc.supplier_b, moderator=dc.facilitator, reason="Spam")
    assert Client().get(reverse("home:calendar-feed", args=[suspended_token])).status_code == 404
    deleted_token = renew_calendar_link(user=dc.supplier_a)
    delete_account(user=dc.supplier_a)
    assert Client().get(reverse("home:calendar-feed", args=[deleted_token])).status_code == 404


@pytest.mark.parametrize("token", ["x", "a" * 500, "%00", "%C3%A5%C3%A4%C3%B6", "..", "null", "-_-"])
def test_bad_tokens_are_404_never_an_error(db, token):
    assert Client().get(f"/calendar/{token}.ics").status_code == 404


def test_the_feed_refuses_other_methods(dc):
    token = renew_calendar_link(user=dc.supplier_a)
    assert Client().post(reverse("home:calendar-feed", args=[token])).status_code == 405


def test_a_link_read_too_often_is_told_to_wait(db):
    user = UserFactory()
    url = reverse("home:calendar-feed", args=[renew_calendar_link(user=user)])
    statuses = [Client().get(url).status_code for _ in range(61)]
    assert statuses[:60] == [200] * 60 and statuses[60] == 429


# --- The profile page ------------------------------------------------------------------------


def test_the_profile_makes_shows_once_renews_and_revokes_the_link(dc):
    client = signed_in(dc.member)
    profile = reverse("accounts:profile")
    assert "Anyone with this link can see them" in client.get(profile).content.decode()
    response = client.post(reverse("accounts:calendar-link-renew"))
    assert response.status_code == 302
    [link] = re.findall(r'id="calendar-url"[^>]*value="([^"]+)"', client.get(profile).content.decode())
    assert Client().get(link).status_code == 200
    assert 'id="calendar-url"' not in client.get(profile).content.decode()  # shown only once
    confirmation = client.get(reverse("accounts:calendar-link-renew")).content.decode()
    assert "stops working at once" in confirmation
    client.post(reverse("accounts:calendar-link-renew"))
    assert Client().get(link).status_code == 404
    client.post(reverse("accounts:calendar-link-revoke"))
    assert not CalendarLink.objects.filter(user=dc.member).exists()
    assert "Make a calendar link" in client.get(profile).content.decode()
