"""Withdrawal (issue 16): a coordinator or facilitator withdraws a published answer or
clarification with a reason, after a confirmation page; every participant is told at once by a
new numbered notice; the text disappears for suppliers and the public while the group's record
keeps it, marked; the questions it answered are waiting again."""

from datetime import timedelta

import pytest

from audit.models import Action, AuditEntry
from dialogues.models import Answer, Dialogue
from dialogues.record import build_record
from dialogues.services.answers import publish_answer, save_answer_draft
from dialogues.services.record import publish_public_record
from notifications.models import Notification
from search.services import search

pytestmark = pytest.mark.django_db

BODY = "Ja, batteribyte godtas om det sker inom en arbetsdag."
REASON = "Svaret var fel: batteribyte prövas först i upphandlingen."


@pytest.fixture
def answer(dc, question_a):
    draft = save_answer_draft(
        dialogue=dc.dialogue,
        user=dc.coordinator,
        question_text="Godtas batteribyte under drift?",
        body=BODY,
        questions=[question_a],
    )
    return publish_answer(answer=draft, user=dc.coordinator)


def withdraw_url(answer):
    return f"/dialogues/{answer.dialogue_id}/answers/{answer.pk}/withdraw/"


def withdraw(client, user, answer, reason=REASON, **extra):
    client.force_login(user)
    return client.post(withdraw_url(answer), {"reason": reason, **extra})


def test_the_confirmation_page_says_what_happens_and_who_is_told(client, dc, answer):
    client.force_login(dc.coordinator)
    response = client.get(withdraw_url(answer))
    assert response.status_code == 200
    body = response.content.decode()
    assert "What happens" in body
    assert "published at once to all 2 suppliers taking part" in body
    assert "is waiting for an answer again" in body
    assert Answer.objects.get(pk=answer.pk).withdrawn_at is None  # looking changes nothing


@pytest.mark.parametrize("who", ["coordinator", "facilitator"])
def test_a_coordinator_or_facilitator_withdraws_an_answer_and_everyone_is_told_at_once(
    client, dc, answer, who, mailoutbox, deliver_outbox
):
    user = getattr(dc, who)
    response = withdraw(client, user, answer)
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.is_withdrawn and answer.withdrawn_by == user and answer.withdrawal_reason == REASON
    notice = Answer.objects.get(kind=Answer.Kind.WITHDRAWAL)
    assert (notice.number, notice.amends, notice.body) == (2, answer, REASON)
    assert notice.published_at is not None
    assert (
        "Entry 1 is withdrawn. Notice no. 2 is published to 2 participants."
        in client.get(response["Location"]).content.decode()
    )
    items = Notification.objects.filter(kind="dialogue_amended")
    everyone = {dc.supplier_a.email, dc.supplier_b.email, dc.member.email, dc.coordinator.email}
    assert {item.recipient.email for item in items} == everyone - {user.email}
    assert {item.params["variant"] for item in items} == {"withdrawal"}
    deliver_outbox()
    mailed = {address for mail in mailoutbox for address in mail.to}
    assert {dc.supplier_a.email, dc.supplier_b.email} <= mailed
    assert AuditEntry.objects.get(action=Action.ANSWER_WITHDRAWN).reason == REASON


@pytest.mark.parametrize("who", ["member", "observer", "supplier_a", "supplier_b"])
def test_nobody_else_may_withdraw(client, dc, answer, who):
    client.force_login(getattr(dc, who))
    assert client.get(withdraw_url(answer)).status_code == 403
    assert client.post(withdraw_url(answer), {"reason": REASON}).status_code == 403
    answer.refresh_from_db()
    assert not answer.is_withdrawn
    assert not Answer.objects.filter(kind=Answer.Kind.WITHDRAWAL).exists()


def test_a_withdrawal_needs_a_reason(client, dc, answer):
    response = withdraw(client, dc.coordinator, answer, reason="  ")
    assert response.status_code == 400
    assert "Say why the entry is withdrawn" in response.content.decode()
    answer.refresh_from_db()
    assert not answer.is_withdrawn


def test_a_reason_that_names_a_supplier_is_held_back_until_overridden(client, dc, answer):
    reason = "Svaret avslöjade att Solvent Energi AB frågade."
    response = withdraw(client, dc.coordinator, answer, reason=reason)
    assert response.status_code == 409
    assert reason in response.content.decode()
    assert not Answer.objects.get(pk=answer.pk).is_withdrawn
    response = withdraw(client, dc.coordinator, answer, reason=reason, override_reason="Leverantören har bett om det.")
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action=Action.IDENTITY_CHECK_OVERRIDDEN).count() == 1


def test_the_withdrawn_text_is_gone_for_suppliers(client, dc, answer):
    withdraw(client, dc.coordinator, answer)
    for supplier in (dc.supplier_a, dc.supplier_b):
        client.force_login(supplier)
        for page in ("questions/", "", f"answers/{answer.pk}/"):
            body = client.get(f"/dialogues/{dc.dialogue.pk}/{page}").content.decode()
            assert BODY not in body and "Godtas batteribyte under drift?" not in body, page
        assert "Withdrawn, see" in body
        assert REASON in client.get(f"/dialogues/{dc.dialogue.pk}/questions/").content.decode()


def test_the_withdrawn_text_is_gone_from_the_public_record_published_before_and_after(client, dc, answer):
    publish_public_record(
        dialogue=dc.dialogue, user=dc.coordinator, public_record=build_record(dc.dialogue, public=True)
    )
    withdraw(client, dc.coordinator, answer)
    client.logout()
    body = client.get(f"/dialogues/{dc.dialogue.pk}/summary/").content.decode()
    assert BODY not in body and "återkallat" in body  # a visitor reads Swedish
    dialogue = Dialogue.objects.get(pk=dc.dialogue.pk)
    assert BODY not in str(build_record(dialogue, public=True))


def test_the_group_keeps_the_withdrawn_text_marked_in_the_record(client, dc, answer):
    withdraw(client, dc.coordinator, answer)
    client.force_login(dc.facilitator)
    body = client.get(f"/dialogues/{dc.dialogue.pk}/record/").content.decode()
    assert BODY in body and "withdrawn" in body and REASON in body
    client.force_login(dc.member)
    page = client.get(f"/dialogues/{dc.dialogue.pk}/answers/{answer.pk}/").content.decode()
    assert BODY in page and "Shown only to the group, for the record" in page


def test_the_question_it_answered_is_waiting_again_with_a_new_promised_time(client, dc, question_a, answer):
    promised = question_a.answer_due_at
    withdraw(client, dc.coordinator, answer)
    question_a.refresh_from_db()
    assert not question_a.is_answered
    assert list(dc.dialogue.questions.unanswered()) == [question_a]
    assert question_a.answer_due_at > promised
    overdue_later = Dialogue.objects.with_overdue_questions(now=question_a.answer_due_at + timedelta(minutes=1))
    assert list(overdue_later) == [dc.dialogue]
    client.force_login(dc.member)
    waiting = client.get(f"/dialogues/{dc.dialogue.pk}/questions/").content.decode()
    assert f"/answers/new/?question={question_a.pk}" in waiting
    client.force_login(dc.supplier_a)
    own = client.get(f"/dialogues/{dc.dialogue.pk}/questions/").content.decode()
    assert "waiting for an answer" in own


def test_a_withdrawn_entry_cannot_be_withdrawn_again_or_corrected(client, dc, answer):
    withdraw(client, dc.coordinator, answer)
    notice = Answer.objects.get(kind=Answer.Kind.WITHDRAWAL)
    again = withdraw(client, dc.coordinator, answer, reason="Igen.")
    assert again.status_code == 302
    assert Answer.objects.filter(kind=Answer.Kind.WITHDRAWAL).count() == 1
    client.post(f"/dialogues/{dc.dialogue.pk}/answers/{answer.pk}/amend/")
    assert not Answer.objects.filter(published_at__isnull=True).exists()
    withdraw(client, dc.coordinator, notice, reason="Notisen också.")
    notice.refresh_from_db()
    assert not notice.is_withdrawn


def test_search_no_longer_finds_the_withdrawn_text_for_suppliers(client, dc, answer):
    def answers_found(user):
        return [hit.url for hit in search(user, "arbetsdag", kind="answers").sections[0].hits]

    assert answers_found(dc.supplier_b) == [answer.get_absolute_url()]
    withdraw(client, dc.coordinator, answer)
    assert answers_found(dc.supplier_b) == []
    assert answers_found(dc.member) == [answer.get_absolute_url()]
