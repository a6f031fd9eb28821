"""Every role × every dialogue page, from one table; and the cases that must never fail:
supplier B cannot read supplier A's proposal or unanswered question by any URL, and no page
shown to B names A in connection with a question."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from dialogues.models import Dialogue
from dialogues.services.answers import ask_question, publish_answer, save_answer_draft
from dialogues.services.dialogue import create_dialogue
from dialogues.services.meetings import add_meeting_slots, book_meeting_slot
from dialogues.services.record import publish_public_record

pytestmark = pytest.mark.django_db

ROLES = [
    "visitor",
    "supplier_a",
    "supplier_b",
    "outside_supplier",
    "unverified_supplier",
    "member",
    "observer",
    "coordinator",
    "facilitator",
    "non_member",
]


@pytest.fixture
def world(declared, question_a, submission_a):
    """An open dialogue with every kind of object: A's unanswered question, A's answered
    question and its published answer, a draft answer, A's proposal, A's booked meeting, a
    draft dialogue of the same group."""
    dc = declared
    answered = ask_question(
        dialogue=dc.dialogue, organisation=dc.solvent, user=dc.supplier_a, text="Solvent frågar: hur många timmar?"
    )
    answer = publish_answer(
        answer=save_answer_draft(
            dialogue=dc.dialogue,
            user=dc.coordinator,
            question_text="Hur många drifttimmar per år?",
            body="Cirka 1 200 timmar.",
            questions=[answered],
        ),
        user=dc.coordinator,
    )
    b_question = ask_question(dialogue=dc.dialogue, organisation=dc.nordlys, user=dc.supplier_b, text="Laddeffekt?")
    draft = save_answer_draft(
        dialogue=dc.dialogue, user=dc.member, question_text="Vilken laddeffekt?", body="Utkast", questions=[b_question]
    )
    slot = add_meeting_slots(
        dialogue=dc.dialogue,
        user=dc.coordinator,
        first_start=timezone.now() + timedelta(days=4),
        length_minutes=30,
        count=2,
    )[0]
    book_meeting_slot(slot=slot, organisation=dc.solvent, user=dc.supplier_a)
    draft_dialogue = create_dialogue(
        group=dc.group,
        need=dc.need,
        user=dc.coordinator,
        title="Utkast till dialog",
        purpose="p",
        question_deadline=timezone.now() + timedelta(days=3),
        submission_deadline=timezone.now() + timedelta(days=4),
    )
    d = dc.dialogue.pk
    attachment = submission_a.latest_version.attachments.get()
    return SimpleNamespace(
        dc=dc,
        answered=answered,
        answer=answer,
        draft=draft,
        slot=slot,
        urls={
            "list": "/dialogues/",
            "detail": f"/dialogues/{d}/",
            "draft_dialogue": f"/dialogues/{draft_dialogue.pk}/",
            "group_dialogues": f"/dialogues/group/{dc.group.slug}/",
            "create": f"/dialogues/group/{dc.group.slug}/new/",
            "edit": f"/dialogues/{d}/edit/",
            "questions": f"/dialogues/{d}/questions/",
            "unanswered_question_of_a": f"/dialogues/{d}/questions/{question_a.pk}/",
            "answered_question_of_a": f"/dialogues/{d}/questions/{answered.pk}/",
            "published_answer": f"/dialogues/{d}/answers/{answer.pk}/",
            "draft_answer": f"/dialogues/{d}/answers/{draft.pk}/",
            "answer_create": f"/dialogues/{d}/answers/new/",
            "withdraw_answer": f"/dialogues/{d}/answers/{answer.pk}/withdraw/",
            "submissions": f"/dialogues/{d}/submissions/",
            "submission_of_a": f"/dialogues/{d}/submissions/{submission_a.pk}/",
            "attachment_of_a": f"/dialogues/{d}/submissions/{submission_a.pk}/attachments/{attachment.pk}/",
            "access_log": f"/dialogues/{d}/submissions/log/",
            "participants": f"/dialogues/{d}/participants/",
            "meetings": f"/dialogues/{d}/meetings/",
            "minutes_of_a": f"/dialogues/{d}/meetings/{slot.pk}/minutes/",
            "declarations": f"/dialogues/{d}/conflicts/",
            "state_confirmation": f"/dialogues/{d}/state/?action=close",
            "conflict_clear": f"/dialogues/{d}/conflicts/{dc.member.pk}/clear/",
            "record": f"/dialogues/{d}/record/",
            "record_download": f"/dialogues/{d}/record/download/",
            "summary_unpublished": f"/dialogues/{d}/summary/",
        },
    )


# 302 for a visitor means "sign in first" (LoginRequiredMiddleware); for B on A's answered
# question it is the redirect to the published, anonymous answer.
#            visitor  A    B    outside unverif member observ coord facil non_member
EXPECTED = {
    "list": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "detail": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "draft_dialogue": (404, 404, 404, 404, 404, 200, 200, 200, 200, 404),
    "group_dialogues": (302, 404, 404, 404, 404, 200, 200, 200, 200, 404),
    "create": (302, 404, 404, 404, 404, 403, 403, 200, 200, 404),
    "edit": (302, 404, 404, 404, 404, 403, 403, 200, 200, 404),
    "questions": (302, 200, 200, 200, 403, 200, 200, 200, 200, 403),
    "unanswered_question_of_a": (302, 200, 404, 404, 404, 200, 404, 200, 200, 404),
    "answered_question_of_a": (302, 200, 302, 404, 404, 200, 302, 200, 200, 404),
    "published_answer": (302, 200, 200, 403, 403, 200, 200, 200, 200, 403),
    "draft_answer": (302, 404, 404, 404, 404, 200, 404, 200, 200, 404),
    "answer_create": (302, 403, 403, 403, 403, 200, 403, 200, 200, 403),
    "withdraw_answer": (302, 403, 403, 403, 403, 403, 403, 200, 200, 403),
    "submissions": (302, 200, 200, 403, 403, 200, 403, 200, 403, 403),
    "submission_of_a": (302, 200, 404, 404, 404, 200, 404, 200, 404, 404),
    "attachment_of_a": (302, 200, 404, 404, 404, 200, 404, 200, 404, 404),
    "access_log": (302, 404, 404, 404, 404, 200, 403, 200, 200, 404),
    "participants": (302, 404, 404, 404, 404, 200, 200, 200, 200, 404),
    "meetings": (302, 200, 200, 200, 403, 200, 200, 200, 200, 403),
    "minutes_of_a": (302, 200, 404, 404, 403, 200, 404, 200, 200, 403),
    "declarations": (302, 404, 404, 404, 404, 200, 403, 200, 200, 404),
    "state_confirmation": (302, 404, 404, 404, 404, 403, 403, 200, 200, 404),
    # the member declared no conflict: nothing to clear, so managers are sent back to the list
    "conflict_clear": (302, 404, 404, 404, 404, 403, 403, 302, 302, 404),
    "record": (302, 404, 404, 404, 404, 403, 403, 200, 200, 404),
    "record_download": (302, 404, 404, 404, 404, 403, 403, 200, 200, 404),
    "summary_unpublished": (404, 404, 404, 404, 404, 404, 404, 200, 200, 404),
}


def client_for(client, dc, role):
    if role != "visitor":
        client.force_login(getattr(dc, role))
    return client


def test_the_table_covers_every_dialogue_page():
    from dialogues.urls import urlpatterns

    get_pages = {
        "dialogue-list",
        "group-dialogues",
        "dialogue-create",
        "dialogue-detail",
        "dialogue-edit",
        "participant-list",
        "question-list",
        "question-detail",
        "answer-create",
        "answer-detail",
        "answer-withdraw",
        "submission-list",
        "submission-log",
        "submission-detail",
        "attachment-download",
        "meeting-list",
        "meeting-minutes",
        "declaration-list",
        "conflict-clear",
        "dialogue-state",
        "record",
        "record-download",
        "public-record",
    }
    post_only = {
        "participation-register",
        "participation-withdraw",
        "answer-publish",
        "answer-amend",
        "answer-delete",
        "meeting-book",
        "meeting-cancel",
        "meeting-remove",
    }
    # A new view must be added to one of these sets, and to EXPECTED or the POST tests below.
    assert {p.name for p in urlpatterns} == get_pages | post_only


@pytest.mark.parametrize("page", list(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_page_access(client, world, role, page):
    expected = EXPECTED[page][ROLES.index(role)]
    response = client_for(client, world.dc, role).get(world.urls[page])
    assert response.status_code == expected, f"{role} on {page}"


def test_the_redirect_for_b_on_a_question_is_the_anonymous_answer(client, world):
    client.force_login(world.dc.supplier_b)
    response = client.get(world.urls["answered_question_of_a"])
    assert response["Location"] == world.answer.get_absolute_url()


def test_a_visitor_is_sent_to_sign_in(client, world):
    response = client.get(world.urls["questions"])
    assert response["Location"].startswith("/accounts/login/")


def test_member_who_declared_a_conflict_cannot_open_proposals(client, world, submission_a):
    from dialogues.services.declarations import declare_conflict

    dc = world.dc
    declare_conflict(dialogue=dc.dialogue, user=dc.member, has_conflict=True, description="Min bror äger Solvent.")
    client.force_login(dc.member)
    response = client.get(world.urls["submission_of_a"])
    assert response.status_code == 403
    assert b"conflict of interest" in response.content


def test_member_without_a_declaration_cannot_open_proposals(client, dc, submission_a):
    client.force_login(dc.member)
    response = client.get(f"/dialogues/{dc.dialogue.pk}/submissions/{submission_a.pk}/")
    assert response.status_code == 403
    assert b"Declare whether you have a conflict of interest" in response.content


# --- What must never fail ----------------------------------------------------------------

A_IDENTITY = ("Solvent", "Sara Säljare", "sara@solvent.se")


def pages_b_can_reach(world):
    dc = world.dc
    d = dc.dialogue.pk
    yield from (url for page, url in world.urls.items() if EXPECTED[page][ROLES.index("supplier_b")] in (200, 302))
    yield f"/dialogues/{d}/questions/?page=1"
    yield f"/dialogues/{d}/submissions/?organisation={dc.solvent.pk}"  # naming A's organisation in the URL


def test_no_page_shown_to_b_names_a(client, world):
    client.force_login(world.dc.supplier_b)
    for url in pages_b_can_reach(world):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        body = response.content.decode()
        for name in A_IDENTITY:
            assert name not in body, f"{name!r} is on {url}"


def test_b_cannot_reach_a_by_any_id(client, world, question_a, submission_a):
    """Every object id of A, in every URL that takes one, for B: 404."""
    dc = world.dc
    d = dc.dialogue.pk
    client.force_login(dc.supplier_b)
    attachment = submission_a.latest_version.attachments.get()
    for url in [
        f"/dialogues/{d}/questions/{question_a.pk}/",
        f"/dialogues/{d}/submissions/{submission_a.pk}/",
        f"/dialogues/{d}/submissions/{submission_a.pk}/?version=1",
        f"/dialogues/{d}/submissions/{submission_a.pk}/attachments/{attachment.pk}/",
        f"/dialogues/{d}/answers/{world.draft.pk}/",
        f"/dialogues/{d}/meetings/{world.slot.pk}/minutes/",
    ]:
        assert client.get(url).status_code == 404, url


def test_b_posting_to_a_question_or_proposal_changes_nothing(client, world, question_a, submission_a):
    dc = world.dc
    d = dc.dialogue.pk
    client.force_login(dc.supplier_b)
    assert client.post(f"/dialogues/{d}/answers/{world.draft.pk}/publish/").status_code == 404
    assert client.post(f"/dialogues/{d}/meetings/{world.slot.pk}/cancel/").status_code == 403
    world.slot.refresh_from_db()
    assert world.slot.organisation == dc.solvent


def test_the_published_public_record_names_no_supplier(client, world):
    dc = world.dc
    from dialogues.record import build_record

    publish_public_record(
        dialogue=dc.dialogue, user=dc.coordinator, public_record=build_record(dc.dialogue, public=True)
    )
    for role in ("visitor", "supplier_b"):
        client.logout()
        response = client_for(client, dc, role).get(f"/dialogues/{dc.dialogue.pk}/summary/")
        assert response.status_code == 200
        body = response.content.decode()
        assert "Hur många drifttimmar per år?" in body
        for name in (*A_IDENTITY, "Nordlys", "Batterikemin", "Hemligt förslag"):
            assert name not in body


def test_observers_never_see_proposals_anywhere(client, world):
    client.force_login(world.dc.observer)
    for url in (world.urls["submissions"], world.urls["submission_of_a"], world.urls["attachment_of_a"]):
        assert client.get(url).status_code in (403, 404)
    body = client.get(world.urls["detail"]).content.decode()
    assert "Hemligt förslag" not in body


def test_drafts_are_not_listed_for_suppliers(client, world):
    client.force_login(world.dc.supplier_a)
    body = client.get("/dialogues/").content.decode()
    assert "Utkast till dialog" not in body
    assert Dialogue.objects.filter(state=Dialogue.State.DRAFT).exists()
