"""Over HTTP: every text that goes to all participants or the public is held back when it
identifies a participating supplier, shows what matched, keeps what was typed, and goes out
only with a reason that lands in the audit log (issue 16 finding 1); publishing an answer asks
for confirmation first (finding 6)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from audit.models import Action, AuditEntry
from dialogues.models import Answer, Dialogue
from dialogues.services.answers import publish_answer, publish_clarification, save_answer_draft
from dialogues.services.meetings import add_meeting_slots, book_meeting_slot
from dialogues.services.shared import IdentifyingText
from notifications.models import Notification

pytestmark = pytest.mark.django_db

HELD_BACK = "Held back: the text identifies a participating supplier."


def url(dc, suffix=""):
    return f"/dialogues/{dc.dialogue.pk}/{suffix}"


def draft(dc, question, body, question_text="Godtas batteribyte?"):
    return save_answer_draft(
        dialogue=dc.dialogue, user=dc.coordinator, question_text=question_text, body=body, questions=[question]
    )


def told():
    return Notification.objects.filter(kind__in=["answer_published", "own_question_answered"]).exists()


def overrides():
    return AuditEntry.objects.filter(action=Action.IDENTITY_CHECK_OVERRIDDEN)


# --- Answers -----------------------------------------------------------------------------


def test_the_publish_button_leads_to_a_confirmation_that_says_what_will_happen(client, dc, question_a):
    answer = draft(dc, question_a, "Ja, inom tio minuter.")
    client.force_login(dc.coordinator)
    assert f"/answers/{answer.pk}/publish/" in client.get(answer.get_absolute_url()).content.decode()
    page = client.get(url(dc, f"answers/{answer.pk}/publish/"))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Publish answer no. 1?" in body
    assert "Answer no. 1 will be published to the 2 suppliers taking part, in the platform and by e-mail" in body
    assert "cannot be changed afterwards" in body and "new numbered entry" in body
    assert "The supplier that asked is told that its own question is answered." in body
    assert HELD_BACK not in body
    assert not Answer.objects.get().is_published and not told()
    assert client.post(url(dc, f"answers/{answer.pk}/publish/")).status_code == 302
    assert Answer.objects.get().number == 1


def test_a_held_back_answer_shows_what_matched_and_keeps_the_text(client, dc, question_a):
    answer = draft(dc, question_a, "Vi på Solvent har fått frågan. Svaret är ja.")
    client.force_login(dc.coordinator)
    assert HELD_BACK in client.get(answer.get_absolute_url()).content.decode()  # warned while drafting
    response = client.post(url(dc, f"answers/{answer.pk}/publish/"))
    body = response.content.decode()
    assert response.status_code == 409
    assert HELD_BACK in body
    assert "<mark>Solvent</mark> – a participating supplier&#x27;s name (Solvent Energi AB)" in body
    assert "Vi på Solvent har fått frågan. Svaret är ja." in body
    assert 'name="override_reason"' in body and "Reword the draft" in body
    assert Answer.objects.get().body == "Vi på Solvent har fått frågan. Svaret är ja."
    assert not Answer.objects.get().is_published and not told()


def test_an_override_without_a_reason_is_refused(client, dc, question_a):
    answer = draft(dc, question_a, "Solvents fråga: ja.")
    client.force_login(dc.coordinator)
    response = client.post(url(dc, f"answers/{answer.pk}/publish/"), {"override_reason": "   "})
    assert response.status_code == 409
    assert "say why it may be published anyway" in response.content.decode()
    assert not Answer.objects.get().is_published and not overrides().exists()


def test_an_override_with_a_reason_publishes_and_is_audited(client, dc, question_a):
    answer = draft(dc, question_a, "Solvents fråga: ja.")
    client.force_login(dc.coordinator)
    response = client.post(
        url(dc, f"answers/{answer.pk}/publish/"), {"override_reason": "Solvent är här ett kemiskt ämne."}
    )
    assert response.status_code == 302
    assert Answer.objects.get().number == 1
    entry = overrides().get()
    assert entry.reason == "Solvent är här ett kemiskt ämne."
    assert "Solvents" in entry.detail and entry.actor_id == dc.coordinator.pk


def test_another_participants_name_holds_the_answer_back_too(client, dc, question_a):
    answer = draft(dc, question_a, "Precis som Nordlys redan har visat godtas det.")
    client.force_login(dc.coordinator)
    response = client.post(url(dc, f"answers/{answer.pk}/publish/"))
    assert response.status_code == 409 and "(Nordlys Teknik AB)" in response.content.decode()
    assert not Answer.objects.get().is_published


def test_a_correction_is_checked(client, dc, question_a):
    answer = publish_answer(answer=draft(dc, question_a, "Ja."), user=dc.coordinator)
    client.force_login(dc.coordinator)
    client.post(url(dc, f"answers/{answer.pk}/amend/"))
    correction = Answer.objects.get(amends=answer)
    client.post(correction.get_absolute_url(), {"question_text": "Godtas batteribyte?", "body": "Nej, Solventen."})
    response = client.post(url(dc, f"answers/{correction.pk}/publish/"))
    assert response.status_code == 409 and "Publish correction no. 2 of entry 1?" in response.content.decode()
    assert not Answer.objects.get(pk=correction.pk).is_published


# --- Clarifications ----------------------------------------------------------------------


def test_a_clarification_is_checked(client, dc):
    client.force_login(dc.coordinator)
    client.post(
        url(dc, "answers/new/?kind=clarification"),
        {"question_text": "Laddning", "body": "Laddning enligt sara@solvent.se:s förslag."},
    )
    clarification = Answer.objects.get()
    response = client.post(url(dc, f"answers/{clarification.pk}/publish/"))
    assert response.status_code == 409
    assert "<mark>sara@solvent.se</mark>" in response.content.decode()
    assert not Answer.objects.get().is_published


def test_the_clarification_service_no_longer_skips_the_check(dc):
    with pytest.raises(IdentifyingText):
        publish_clarification(dialogue=dc.dialogue, user=dc.coordinator, body="Nordlys Teknik AB har rätt.")
    assert not Answer.objects.filter(published_at__isnull=False).exists()


# --- Minutes -----------------------------------------------------------------------------


@pytest.fixture
def held_meeting(dc):
    slot = add_meeting_slots(
        dialogue=dc.dialogue,
        user=dc.coordinator,
        first_start=timezone.now() + timedelta(days=3),
        length_minutes=30,
        count=1,
    )[0]
    book_meeting_slot(slot=slot, organisation=dc.solvent, user=dc.supplier_a)
    with time_machine.travel(slot.starts_at + timedelta(hours=1)):
        yield slot


MINUTES = {"minutes": "Vi talade om laddning.", "anything_new": "yes", "clarification": "Solvent visade en laddare."}


def test_a_minutes_clarification_is_held_back_with_everything_typed_kept(client, dc, held_meeting):
    client.force_login(dc.member)
    response = client.post(url(dc, f"meetings/{held_meeting.pk}/minutes/"), MINUTES)
    body = response.content.decode()
    assert response.status_code == 409
    assert HELD_BACK in body and "<mark>Solvent</mark>" in body
    assert "Vi talade om laddning." in body and "Solvent visade en laddare." in body
    assert 'name="override_reason"' in body
    held_meeting.refresh_from_db()
    assert held_meeting.minutes == "" and not Answer.objects.exists()


def test_a_minutes_clarification_goes_out_with_a_reason(client, dc, held_meeting):
    client.force_login(dc.member)
    client.post(
        url(dc, f"meetings/{held_meeting.pk}/minutes/"), {**MINUTES, "override_reason": "Produktnamn, inte firma."}
    )
    assert Answer.objects.get().is_published
    assert overrides().get().reason == "Produktnamn, inte firma."


def test_the_minutes_form_shows_no_override_field_until_held_back(client, dc, held_meeting):
    client.force_login(dc.member)
    body = client.get(url(dc, f"meetings/{held_meeting.pk}/minutes/")).content.decode()
    assert 'name="override_reason"' not in body


# --- The public record -------------------------------------------------------------------


@pytest.fixture
def overridden_answer(dc, question_a):
    return publish_answer(
        answer=draft(dc, question_a, "Ja.", question_text="Solvent undrar: godtas batteribyte?"),
        user=dc.coordinator,
        override_reason="Beslut i gruppen.",
    )


def test_every_text_of_the_public_record_is_checked(client, dc, overridden_answer):
    client.force_login(dc.coordinator)
    assert HELD_BACK in client.get(url(dc, "summary/")).content.decode()
    response = client.post(url(dc, "summary/"))
    assert response.status_code == 409
    assert "<mark>Solvent</mark>" in response.content.decode()
    assert Dialogue.objects.get(pk=dc.dialogue.pk).public_record is None
    assert client.post(url(dc, "summary/"), {"override_reason": ""}).status_code == 409
    assert Dialogue.objects.get(pk=dc.dialogue.pk).public_record is None


def test_the_public_record_goes_out_with_a_reason(client, dc, overridden_answer):
    client.force_login(dc.coordinator)
    response = client.post(url(dc, "summary/"), {"override_reason": "Leverantören har själv gått ut med det."})
    assert response.status_code == 302
    assert Dialogue.objects.get(pk=dc.dialogue.pk).public_record is not None
    assert overrides().filter(reason="Leverantören har själv gått ut med det.").exists()


# --- Who may reach it --------------------------------------------------------------------


def test_a_supplier_cannot_reach_any_of_it(client, dc, question_a, overridden_answer):
    answer = draft(dc, question_a, "Solvent: ja.")
    slot = add_meeting_slots(
        dialogue=dc.dialogue,
        user=dc.coordinator,
        first_start=timezone.now() + timedelta(days=3),
        length_minutes=30,
        count=1,
    )[0]
    book_meeting_slot(slot=slot, organisation=dc.solvent, user=dc.supplier_a)
    reason = {"override_reason": "Jag vill."}
    for supplier in (dc.supplier_a, dc.supplier_b):
        client.force_login(supplier)
        assert client.get(url(dc, f"answers/{answer.pk}/publish/")).status_code == 404
        assert client.post(url(dc, f"answers/{answer.pk}/publish/"), reason).status_code == 404
        assert client.post(url(dc, "summary/"), reason).status_code == 403
        minutes = client.post(url(dc, f"meetings/{slot.pk}/minutes/"), {**MINUTES, **reason})
        assert minutes.status_code in (403, 404)
    assert not Answer.objects.get(pk=answer.pk).is_published
    assert Dialogue.objects.get(pk=dc.dialogue.pk).public_record is None
    assert overrides().count() == 1  # the fixture's own
