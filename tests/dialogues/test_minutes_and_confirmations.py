"""Issue 16 finding 6: minutes only once the meeting has started (and the public summary does
not count a meeting that has not happened); opening and closing a dialogue are confirmed on a
page that says what will happen and who will be told, and a GET changes nothing."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from dialogues.models import Dialogue, MeetingSlot
from dialogues.record import build_record
from dialogues.services.dialogue import create_dialogue
from dialogues.services.meetings import add_meeting_slots, book_meeting_slot, save_meeting_minutes
from dialogues.services.shared import DialogueRuleError
from groups.models import ThemeFollow
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def booked_slots(dc, count=1):
    slots = add_meeting_slots(
        dialogue=dc.dialogue,
        user=dc.coordinator,
        first_start=timezone.now() + timedelta(days=3),
        length_minutes=30,
        count=count,
    )
    for slot, (organisation, person) in zip(
        slots, [(dc.solvent, dc.supplier_a), (dc.nordlys, dc.supplier_b)], strict=False
    ):
        book_meeting_slot(slot=slot, organisation=organisation, user=person)
        slot.refresh_from_db()
    return slots


def minutes_url(dc, slot):
    return f"/dialogues/{dc.dialogue.pk}/meetings/{slot.pk}/minutes/"


# --- Minutes -------------------------------------------------------------------------------


def test_minutes_before_the_meeting_starts_are_refused_with_a_clear_message(client, dc):
    slot = booked_slots(dc)[0]
    client.force_login(dc.member)
    assert "You can write the minutes once it has started." in client.get(minutes_url(dc, slot)).content.decode()
    response = client.post(
        minutes_url(dc, slot),
        {"minutes": "Solvent visade batteriet.", "anything_new": "yes", "clarification": "Batteribyte godtas."},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Write the minutes once it has started." in body
    assert "Solvent visade batteriet." in body and "Batteribyte godtas." in body  # what was typed stays
    slot.refresh_from_db()
    assert slot.minutes == "" and slot.minutes_at is None and slot.clarification is None
    assert not dc.dialogue.answers.exists()


def test_the_service_refuses_minutes_before_the_start(dc):
    slot = booked_slots(dc)[0]
    with time_machine.travel(slot.starts_at - timedelta(minutes=1)):
        with pytest.raises(DialogueRuleError, match="once it has started"):
            save_meeting_minutes(slot=slot, user=dc.member, minutes="För tidigt.")
    with time_machine.travel(slot.starts_at):
        save_meeting_minutes(slot=slot, user=dc.member, minutes="Mötet har börjat.")
    assert MeetingSlot.objects.get(pk=slot.pk).minutes == "Mötet har börjat."


def test_minutes_after_the_start_are_saved(client, dc):
    slot = booked_slots(dc)[0]
    with time_machine.travel(slot.starts_at + timedelta(minutes=10)):
        client.force_login(dc.member)  # inside the travelled clock: a session ends after 8 idle hours
        response = client.post(minutes_url(dc, slot), {"minutes": "Anteckningar", "anything_new": "no"})
    assert response.status_code == 302
    assert MeetingSlot.objects.get(pk=slot.pk).minutes == "Anteckningar"


def test_the_public_summary_counts_only_meetings_that_have_started(dc):
    first, second = booked_slots(dc, count=2)
    assert build_record(dc.dialogue, public=True)["meetings_held"] == 0
    with time_machine.travel(first.starts_at + timedelta(minutes=1)):  # the second is still to come
        assert build_record(dc.dialogue, public=True)["meetings_held"] == 1
    with time_machine.travel(second.ends_at):
        assert build_record(dc.dialogue, public=True)["meetings_held"] == 2


# --- Opening and closing are confirmed ------------------------------------------------------


@pytest.fixture
def draft(cast, published_need):
    return create_dialogue(
        group=cast.group,
        need=published_need,
        user=cast.coordinator,
        title="Ny dialog",
        purpose="Lära oss om marknaden",
        question_deadline=timezone.now() + timedelta(days=10),
        submission_deadline=timezone.now() + timedelta(days=20),
    )


def test_the_dialogue_page_leads_to_the_confirmation_not_straight_to_opening(client, cast, draft):
    client.force_login(cast.coordinator)
    body = client.get(f"/dialogues/{draft.pk}/").content.decode()
    assert f'href="/dialogues/{draft.pk}/state/?action=open"' in body
    assert f'action="/dialogues/{draft.pk}/state/"' not in body


def test_opening_is_confirmed_with_who_will_be_told_and_a_get_changes_nothing(client, cast, draft):
    ThemeFollow.objects.create(user=cast.supplier, theme=cast.group.theme)
    client.force_login(cast.coordinator)
    response = client.get(f"/dialogues/{draft.pk}/state/?action=open")
    body = response.content.decode()
    assert response.status_code == 200
    # member, observer and the supplier who follows the theme; not the coordinator who opens it
    assert "publishes it to every verified supplier and to the public summary, and notifies the 3 people" in body
    assert "It cannot be undone." in body
    assert 'name="csrfmiddlewaretoken"' in body and 'name="action" value="open"' in body
    assert Dialogue.objects.get(pk=draft.pk).state == Dialogue.State.DRAFT
    assert not Notification.objects.filter(kind="dialogue_opened").exists()

    assert client.post(f"/dialogues/{draft.pk}/state/", {"action": "open"}).status_code == 302
    assert Dialogue.objects.get(pk=draft.pk).state == Dialogue.State.OPEN
    assert Notification.objects.filter(kind="dialogue_opened").count() == 3  # as many as the page said


def test_closing_is_confirmed_and_a_get_changes_nothing(client, dc):
    client.force_login(dc.coordinator)
    detail = client.get(f"/dialogues/{dc.dialogue.pk}/").content.decode()
    assert f'href="/dialogues/{dc.dialogue.pk}/state/?action=close"' in detail
    response = client.get(f"/dialogues/{dc.dialogue.pk}/state/?action=close")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Closing the dialogue is the start line" in body and "The 2 organisations taking part" in body
    assert "It cannot be undone." in body
    assert Dialogue.objects.get(pk=dc.dialogue.pk).state == Dialogue.State.OPEN


def test_a_confirmation_for_what_cannot_happen_sends_back_with_a_message(client, dc):
    client.force_login(dc.coordinator)
    response = client.get(f"/dialogues/{dc.dialogue.pk}/state/?action=open", follow=True)
    assert "Only a draft dialogue can be opened, and only an open one closed." in response.content.decode()
    assert Dialogue.objects.get(pk=dc.dialogue.pk).state == Dialogue.State.OPEN


@pytest.mark.parametrize(("role", "status"), [("member", 403), ("observer", 403), ("supplier_a", 404)])
def test_only_managers_see_the_confirmation(client, dc, role, status):
    client.force_login(getattr(dc, role))
    assert client.get(f"/dialogues/{dc.dialogue.pk}/state/?action=close").status_code == status
    assert Dialogue.objects.get(pk=dc.dialogue.pk).state == Dialogue.State.OPEN
