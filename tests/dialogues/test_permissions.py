"""Every role × every dialogue page, from one table; and the cases that must never fail:
supplier B cannot read supplier A's proposal or unanswered question by any URL, and no page
shown to B names A in connection with a question.

Every test here only reads, so the world is built once for the module; the tests that change
something first are in test_permissions_that_write.py, each with a world of its own."""

from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.urls import resolve
from django.utils import timezone, translation

from dialogues.models import Dialogue
from dialogues.services.answers import ask_question, publish_answer, save_answer_draft
from dialogues.services.dialogue import create_dialogue
from dialogues.services.meetings import add_meeting_slots, book_meeting_slot
from tests.dialogues.conftest import ask_question_a, declare_no_conflicts, submit_proposal_a
from tests.security.permission_table import expected_get

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


def build_world(dc, question_a, submission_a):
    """An open dialogue with every kind of object: A's unanswered question, A's answered
    question and its published answer, a draft answer, A's proposal, A's booked meeting, a
    draft dialogue of the same group. The group's member users have declared no conflict."""
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
        question_a=question_a,
        submission_a=submission_a,
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
            "calendar_of_a": f"/dialogues/{d}/meetings/{slot.pk}/meeting.ics",
            "declarations": f"/dialogues/{d}/conflicts/",
            "state_confirmation": f"/dialogues/{d}/state/?action=close",
            "conflict_clear": f"/dialogues/{d}/conflicts/{dc.member.pk}/clear/",
            "record": f"/dialogues/{d}/record/",
            "record_download": f"/dialogues/{d}/record/download/",
            "summary_unpublished": f"/dialogues/{d}/summary/",
        },
    )


@pytest.fixture(scope="module")
def _module_world(_module_dc, django_db_blocker):
    with django_db_blocker.unblock(), translation.override("en"):
        dc = declare_no_conflicts(_module_dc)
        return build_world(dc, ask_question_a(dc), submit_proposal_a(dc))


@pytest.fixture
def world(_module_world, db):
    return _module_world


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
    # a meeting's calendar file: the supplier that booked it and the group's workspace users
    "calendar_of_a": (302, 200, 404, 404, 403, 200, 200, 200, 200, 403),
    "declarations": (302, 404, 404, 404, 404, 200, 403, 200, 200, 404),
    "state_confirmation": (302, 404, 404, 404, 404, 403, 403, 200, 200, 404),
    # the member declared no conflict: nothing to clear, so managers are sent back to the list
    "conflict_clear": (302, 404, 404, 404, 404, 403, 403, 302, 302, 404),
    "record": (302, 404, 404, 404, 404, 403, 403, 200, 200, 404),
    "record_download": (302, 404, 404, 404, 404, 403, 403, 200, 200, 404),
    "summary_unpublished": (404, 404, 404, 404, 404, 404, 404, 200, 200, 404),
}


# The cells that the security suite's table (tests/security/permission_table.py) asserts the
# same way, for the same kind of person on the same page, are left to it: every role it has
# (below, with its name there) on every page it has a row for. Kept here: a verified supplier
# that does not take part (the security world has none), the draft dialogue (no row) and the
# state change's confirmation with ?action= (the row asks without it).
SECURITY_ROLES = {
    "visitor": "anonymous",
    "supplier_a": "supplier",
    "supplier_b": "other_supplier",
    "unverified_supplier": "unverified",
    "member": "member",
    "observer": "observer",
    "coordinator": "coordinator",
    "facilitator": "facilitator",
    "non_member": "outsider",
}
SECURITY_ROWS = {
    "list": "dialogues:dialogue-list",
    "detail": "dialogues:dialogue-detail",
    "group_dialogues": "dialogues:group-dialogues",
    "create": "dialogues:dialogue-create",
    "edit": "dialogues:dialogue-edit",
    "questions": "dialogues:question-list",
    "unanswered_question_of_a": "dialogues:question-detail[unanswered]",
    "answered_question_of_a": "dialogues:question-detail[answered]",
    "published_answer": "dialogues:answer-detail[published]",
    "draft_answer": "dialogues:answer-detail[draft]",
    "answer_create": "dialogues:answer-create",
    "withdraw_answer": "dialogues:answer-withdraw",
    "submissions": "dialogues:submission-list",
    "submission_of_a": "dialogues:submission-detail",
    "attachment_of_a": "dialogues:attachment-download",
    "access_log": "dialogues:submission-log",
    "participants": "dialogues:participant-list",
    "meetings": "dialogues:meeting-list",
    "minutes_of_a": "dialogues:meeting-minutes",
    "calendar_of_a": "dialogues:meeting-calendar",
    "declarations": "dialogues:declaration-list",
    "conflict_clear": "dialogues:conflict-clear",
    "record": "dialogues:record",
    "record_download": "dialogues:record-download",
    "summary_unpublished": "dialogues:public-record",
}
CELLS = [(role, page) for page in EXPECTED for role in ROLES if role not in SECURITY_ROLES or page not in SECURITY_ROWS]


def test_the_security_table_has_the_cells_left_to_it(world):
    """Each cell left out here is in the security table, with the same status, for the same page."""
    for page, label in SECURITY_ROWS.items():
        assert resolve(urlsplit(world.urls[page]).path).view_name == label.split("[")[0], page
        for role, theirs in SECURITY_ROLES.items():
            assert expected_get(label, theirs) == EXPECTED[page][ROLES.index(role)], f"{role} on {page}"


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
        "meeting-calendar",
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


@pytest.mark.parametrize(("role", "page"), CELLS)
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


def test_b_cannot_reach_a_by_any_id(client, world):
    """Every object id of A, in every URL that takes one, for B: 404."""
    dc, question_a, submission_a = world.dc, world.question_a, world.submission_a
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
