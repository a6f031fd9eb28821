"""Each person's agenda, "To do" (home/agenda.py): each kind of thing reaches the person whose
task it is and nobody else, the most urgent first, with links that work, and the page and the
header's count cost the same number of queries with 5 groups as with 200."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import DomainJoinRequest
from dialogues.models import Dialogue, MeetingSlot, Participation, Question
from dialogues.services.declarations import declare_conflict
from dialogues.services.meetings import add_meeting_slots, book_meeting_slot
from groups.models import BuyerGroup, Coordinator, Membership, NeedStatement
from groups.services.memberships import invite_organisation, request_membership
from groups.services.needs import create_need, move_need, save_endorsement
from home.agenda import LATER, OVERDUE, THIS_WEEK, UNDATED, AgendaCount, agenda_for, forget_count
from moderation.services import report_content
from tests.dialogues.conftest import ask_question_a, signed_in
from tests.factories import InvitationFactory, OrganisationFactory, UserFactory
from tests.groups.conftest import FIELDS, REQUIREMENTS

pytestmark = pytest.mark.django_db

AGENDA = "/agenda/"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def kinds(user) -> list[str]:
    return [item.kind for item in agenda_for(user)]


def items_of(user, kind):
    return [item for item in agenda_for(user) if item.kind == kind]


def page(user) -> str:
    response = signed_in(user).get(AGENDA)
    assert response.status_code == 200
    return response.content.decode()


def header_count(html: str) -> int:
    found = re.search(r'data-agenda-count="(\d+)"', html)
    return int(found.group(1)) if found else 0


# --- Who may see the page ------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(AGENDA)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_page_only_answers_get(dc):
    assert signed_in(dc.member).post(AGENDA).status_code == 405


def test_someone_with_nothing_to_do_is_told_so():
    stranger = UserFactory()
    html = page(stranger)
    assert "Nothing to do right now." in html
    assert header_count(html) == 0
    assert agenda_for(stranger) == []


# --- Each kind reaches the right person --------------------------------------------------------


def test_a_join_request_is_for_the_coordinators_to_decide(cast):
    membership = request_membership(
        group=cast.group, organisation=cast.trafikverket, user=cast.non_member, motivation="Vi vill", role="member"
    )
    [item] = items_of(cast.coordinator, "join-request")
    assert "Trafikverket" in item.title and item.place == cast.group
    assert item.url == reverse("groups:membership-decide", args=[cast.group.slug, membership.pk])
    assert item.urgency == UNDATED and item.since is not None
    for person in (cast.member, cast.observer, cast.non_member, cast.supplier, cast.facilitator):
        assert "join-request" not in kinds(person)
    assert signed_in(cast.coordinator).get(item.url).status_code == 200


def test_a_group_invitation_is_for_the_invited_organisations_people(cast):
    invite_organisation(
        group=cast.group, organisation=cast.trafikverket, role="member", user=cast.coordinator, message=""
    )
    [item] = items_of(cast.non_member, "group-invitation")
    assert "Trafikverket" in item.title
    assert "Accept the invitation" in signed_in(cast.non_member).get(item.url).content.decode()
    for person in (cast.coordinator, cast.member, cast.supplier):
        assert "group-invitation" not in kinds(person)


def test_an_invitation_to_an_organisation_is_for_the_invited_address_until_it_expires(cast):
    person = UserFactory()  # with a verified address
    invitation = InvitationFactory(organisation=cast.lund, email=person.email)
    [item] = items_of(person, "organisation-invitation")
    assert item.due == invitation.expires_at and item.url == invitation.get_absolute_url()
    assert "organisation-invitation" not in kinds(cast.member)
    assert signed_in(person).get(item.url).status_code == 200


def test_a_request_to_join_by_domain_is_for_the_organisations_administrators(cast):
    person = UserFactory(name="Vera Växjö")
    DomainJoinRequest.objects.create(organisation=cast.vaxjo, user=person)
    [item] = items_of(cast.coordinator, "domain-join-request")  # Anna administers Växjö kommun
    assert "Vera Växjö" in item.title and item.place == cast.vaxjo
    assert "domain-join-request" not in kinds(cast.member)
    assert signed_in(cast.coordinator).get(item.url).status_code == 200


def test_a_need_in_review_is_for_the_groups_members_and_observers(cast):
    move_need(need=cast.need, user=cast.coordinator, to_state=NeedStatement.State.IN_REVIEW)
    for person in (cast.coordinator, cast.member, cast.observer):
        [item] = items_of(person, "need-review")
        assert item.detail == "Fossilfria hjullastare"
        assert signed_in(person).get(item.url).status_code == 200
    for person in (cast.non_member, cast.supplier, cast.facilitator, cast.unverified):
        assert "need-review" not in kinds(person)


def test_a_commitment_is_asked_of_each_member_authority_until_it_is_stated(cast, published_need):
    [item] = items_of(cast.member, "commitment")
    assert "Lunds kommun" in item.title
    assert item.url == reverse("groups:endorsement-edit", args=[cast.group.slug, published_need.pk, cast.lund.pk])
    assert signed_in(cast.member).get(item.url).status_code == 200
    assert "commitment" not in kinds(cast.observer)  # observers state no commitment
    assert "commitment" not in kinds(cast.facilitator)

    save_endorsement(need=published_need, organisation=cast.lund, user=cast.member, commitment="interested")
    assert "commitment" not in kinds(cast.member)
    [still] = items_of(cast.coordinator, "commitment")  # Växjö has not stated its own yet
    assert "Växjö kommun" in still.title


def test_a_commitment_is_asked_per_authority_for_someone_in_two(cast, published_need):
    """The need's row is joined with each of the person's member authorities: both are asked."""
    request = request_membership(
        group=cast.group, organisation=cast.trafikverket, user=cast.non_member, motivation="", role="member"
    )
    Membership.objects.filter(pk=request.pk).update(status=Membership.Status.ACTIVE)
    cast.member.affiliations.create(organisation=cast.trafikverket)
    save_endorsement(need=published_need, organisation=cast.lund, user=cast.member, commitment="committed")
    [item] = items_of(cast.member, "commitment")
    assert "Trafikverket" in item.title and item.url.endswith(f"/{cast.trafikverket.pk}/")


def test_a_missing_declaration_is_for_the_member_authorities_users_until_they_declare(dc):
    [item] = items_of(dc.member, "declaration")
    assert item.place == dc.dialogue and item.due == dc.dialogue.submission_deadline
    assert signed_in(dc.member).get(item.url).status_code == 200
    for person in (dc.observer, dc.supplier_a, dc.non_member, dc.facilitator):
        assert "declaration" not in kinds(person)

    declare_conflict(dialogue=dc.dialogue, user=dc.member, has_conflict=False)
    assert "declaration" not in kinds(dc.member)
    assert "declaration" in kinds(dc.coordinator)


def test_supplier_questions_are_for_the_coordinators_to_answer(dc):
    ask_question_a(dc)
    [item] = items_of(dc.coordinator, "questions")
    assert item.title == "Answer 1 supplier question"
    assert item.url == reverse("dialogues:question-list", args=[dc.dialogue.pk]) + "#waiting-heading"
    assert signed_in(dc.coordinator).get(item.url).status_code == 200
    for person in (dc.member, dc.observer, dc.supplier_a, dc.supplier_b, dc.facilitator):
        assert "questions" not in kinds(person)


def test_questions_due_beyond_two_weeks_wait_off_the_agenda(dc):
    question = ask_question_a(dc)
    Question.objects.filter(pk=question.pk).update(answer_due_at=timezone.now() + timedelta(days=20))
    assert "questions" not in kinds(dc.coordinator)
    assert "own-question" in kinds(dc.supplier_a)  # the asker sees their own question whatever its date


def test_a_supplier_sees_only_its_own_unanswered_questions(dc):
    question = ask_question_a(dc)
    [item] = items_of(dc.supplier_a, "own-question")
    assert item.url == question.get_absolute_url() and item.due == question.answer_due_at
    assert "batteribyte" in item.detail
    assert signed_in(dc.supplier_a).get(item.url).status_code == 200
    assert "own-question" not in kinds(dc.supplier_b)
    assert "batteribyte" not in page(dc.supplier_b)


def test_an_overdue_question_is_marked_and_comes_first(dc):
    question = ask_question_a(dc)
    Question.objects.filter(pk=question.pk).update(answer_due_at=timezone.now() - timedelta(days=1))
    items = agenda_for(dc.coordinator)
    assert items[0].kind == "questions" and items[0].urgency == OVERDUE
    html = page(dc.coordinator)
    overdue = html.split('id="agenda-overdue"')[1].split("</section>")[0]
    assert "Answer 1 supplier question" in overdue and "Overdue" in overdue


def test_deadlines_of_the_next_two_weeks_reach_the_participants_and_the_group(dc):
    Dialogue.objects.filter(pk=dc.dialogue.pk).update(question_deadline=timezone.now() + timedelta(days=3))
    [supplier_item] = items_of(dc.supplier_a, "question-deadline")
    assert supplier_item.url == reverse("dialogues:question-list", args=[dc.dialogue.pk])
    assert supplier_item.urgency == THIS_WEEK
    [group_item] = items_of(dc.member, "question-deadline")
    assert group_item.url == dc.dialogue.get_absolute_url()
    for person in (dc.outside_supplier, dc.non_member, dc.unverified_supplier):
        assert "question-deadline" not in kinds(person)
    # the deadline for proposals is 30 days away: not yet on the agenda
    assert "proposal-deadline" not in kinds(dc.supplier_a)


def test_a_booked_meeting_reaches_its_supplier_and_the_group_only(dc):
    [slot, _other] = add_meeting_slots(
        dialogue=dc.dialogue,
        user=dc.coordinator,
        first_start=timezone.now() + timedelta(days=2),
        length_minutes=45,
        count=2,
    )
    book_meeting_slot(slot=slot, organisation=dc.solvent, user=dc.supplier_a)
    [own] = items_of(dc.supplier_a, "meeting")
    assert own.title == f"Meeting with {dc.group.name}" and own.due == slot.starts_at
    assert signed_in(dc.supplier_a).get(own.url).status_code == 200
    [group_side] = items_of(dc.member, "meeting")
    assert group_side.title == "Meeting with Solvent Energi AB"
    assert "meeting" not in kinds(dc.supplier_b)  # another supplier's meeting
    assert "meeting" not in kinds(dc.outside_supplier)


def test_facilitators_see_organisations_to_verify_and_reports(dc):
    question = ask_question_a(dc)
    report_content(reporter=dc.member, target=question, reason="Namnger leverantören")
    titles = {item.kind: item.title for item in agenda_for(dc.facilitator)}
    assert titles["organisations"] == "Verify 2 organisations"  # Ny kommun and Oprövad AB
    assert titles["reports"] == "Decide on 1 report"
    assert "reports" in kinds(dc.coordinator)  # the group's coordinator moderates it too
    assert "reports" not in kinds(dc.member)  # who filed it, and is no moderator
    assert "organisations" not in kinds(dc.coordinator)
    client = signed_in(dc.facilitator)
    for item in agenda_for(dc.facilitator):
        assert client.get(item.url).status_code == 200, item.kind


# --- Order, page and header -------------------------------------------------------------------


def test_overdue_first_then_by_due_date_then_undated(dc):
    question = ask_question_a(dc)
    Question.objects.filter(pk=question.pk).update(answer_due_at=timezone.now() - timedelta(hours=2))
    Dialogue.objects.filter(pk=dc.dialogue.pk).update(question_deadline=timezone.now() + timedelta(days=9))
    request_membership(group=dc.group, organisation=dc.trafikverket, user=dc.non_member, motivation="", role="member")
    items = agenda_for(dc.coordinator)
    # overdue; then the dated by date (9 days, 30 days); then the undated, the longest waiting first
    assert [item.kind for item in items] == [
        "questions",
        "question-deadline",
        "declaration",
        "join-request",
        "commitment",
    ]
    assert [item.urgency for item in items] == [OVERDUE, LATER, LATER, UNDATED, UNDATED]
    html = page(dc.coordinator)
    headings = re.findall(r'<h2 id="agenda-([a-z-]+)"', html)
    assert headings == ["overdue", "later", "undated"]


def test_every_link_on_the_agenda_opens(dc):
    ask_question_a(dc)
    create_need(group=dc.group, user=dc.coordinator, fields=FIELDS, requirements=REQUIREMENTS, change_note="v1")
    review = dc.group.needs.get(state=NeedStatement.State.DRAFT)
    move_need(need=review, user=dc.coordinator, to_state=NeedStatement.State.IN_REVIEW)
    request_membership(group=dc.group, organisation=dc.trafikverket, user=dc.non_member, motivation="", role="member")
    for person in (dc.coordinator, dc.member, dc.observer, dc.supplier_a):
        client = signed_in(person)
        items = agenda_for(person)
        assert items, person
        html = client.get(AGENDA).content.decode()
        for item in items:
            assert f'href="{item.url}"' in html.replace("&amp;", "&")
            assert client.get(item.url).status_code == 200, (person, item.kind, item.url)


def test_the_header_counts_the_agenda_and_says_it_in_words(dc):
    html = signed_in(dc.member).get(reverse("home:dashboard")).content.decode()
    count = len(agenda_for(dc.member))
    assert count and header_count(html) == count
    assert f'To do<span class="visually-hidden">, {count} thing' in html
    assert reverse("home:agenda") in html


def test_the_count_is_right_as_soon_as_the_person_acts(dc, settings):
    settings.AGENDA_COUNT_SECONDS = 60  # the cache is on, as in production
    client = signed_in(dc.member)
    before = header_count(client.get("/groups/").content.decode())
    declared = client.post(reverse("dialogues:declaration-list", args=[dc.dialogue.pk]), {"has_conflict": "no"})
    assert declared.status_code == 302
    assert header_count(client.get("/groups/").content.decode()) == before - 1


def test_the_header_count_comes_from_the_cache_and_what_others_do_reaches_it(dc, settings):
    settings.AGENDA_COUNT_SECONDS = 60
    client = signed_in(dc.member)
    before = header_count(client.get("/groups/").content.decode())
    with CaptureQueriesContext(connection) as first:
        client.get("/groups/")
    forget_count(dc.member.pk)
    with CaptureQueriesContext(connection) as worked_out:
        client.get("/groups/")
    assert len(first) < len(worked_out)  # the cached count costs no agenda queries
    # Someone else's act (here: the service, as another person's request would) shows in the
    # header within COUNT_SECONDS, and at once on the agenda page, which refreshes the header.
    declare_conflict(dialogue=dc.dialogue, user=dc.member, has_conflict=False)
    assert header_count(client.get("/groups/").content.decode()) == before
    assert header_count(client.get(AGENDA).content.decode()) == before - 1
    assert header_count(client.get("/groups/").content.decode()) == before - 1
    forget_count(dc.member.pk)  # as the minute running out does
    assert header_count(client.get("/groups/").content.decode()) == before - 1


def test_the_dashboard_links_the_agenda(dc):
    html = signed_in(dc.member).get(reverse("home:dashboard")).content.decode()
    assert f'href="{reverse("home:agenda")}"' in html and "To do:" in html


def test_user_texts_carry_their_language_on_an_english_page(dc):
    ask_question_a(dc)
    html = page(dc.supplier_a)
    assert f'<span lang="sv">{dc.dialogue.title}</span>' in html


# --- Queries: constant in the number of groups -------------------------------------------------


def grow(dc, n):
    """n more groups that the coordinator leads with the member, each with a join request, a need in
    review and a published one, an open dialogue with supplier A taking part, its unanswered
    question and its booked meeting."""
    now = timezone.now()
    start = BuyerGroup.objects.count()
    groups = BuyerGroup.objects.bulk_create(
        BuyerGroup(name=f"Grupp {start + i}", slug=f"grupp-{start + i}", theme="transport", summary="s", challenge="c")
        for i in range(n)
    )
    Coordinator.objects.bulk_create(Coordinator(group=g, user=dc.coordinator) for g in groups)
    askers = [OrganisationFactory() for _ in range(2)]
    memberships = []
    for g in groups:
        memberships += [
            Membership(group=g, organisation=dc.vaxjo, status="active"),
            Membership(group=g, organisation=dc.lund, status="active"),
            Membership(group=g, organisation=askers[0], status="requested"),
        ]
    Membership.objects.bulk_create(memberships)
    NeedStatement.objects.bulk_create(NeedStatement(group=g, state="in_review") for g in groups)
    needs = NeedStatement.objects.bulk_create(NeedStatement(group=g, state="published") for g in groups)
    dialogues = Dialogue.objects.bulk_create(
        Dialogue(
            group=g,
            need=need,
            title=f"Dialog {g.name}",
            purpose="p",
            question_deadline=now + timedelta(days=3),
            submission_deadline=now + timedelta(days=10),
            state="open",
        )
        for g, need in zip(groups, needs, strict=True)
    )
    Participation.objects.bulk_create(Participation(dialogue=d, organisation=dc.solvent) for d in dialogues)
    Question.objects.bulk_create(
        Question(dialogue=d, organisation=dc.solvent, text="Fråga?", answer_due_at=now + timedelta(days=2))
        for d in dialogues
    )
    MeetingSlot.objects.bulk_create(
        MeetingSlot(
            dialogue=d,
            starts_at=now + timedelta(days=4),
            ends_at=now + timedelta(days=4, hours=1),
            organisation=dc.solvent,
        )
        for d in dialogues
    )


def queries(run) -> int:
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured)


@pytest.mark.parametrize("role", ["coordinator", "member", "supplier_a", "facilitator"])
def test_the_page_and_the_header_count_cost_the_same_with_5_and_200_groups(dc, role):
    person = getattr(dc, role)
    client = signed_in(person)

    def agenda_page():
        assert client.get(AGENDA).status_code == 200

    def header_only():  # a page whose only agenda work is the header's count, not cached
        forget_count(person.pk)
        assert client.get(reverse("accessibility")).status_code == 200

    def bare_count():
        forget_count(person.pk)
        person.__dict__.pop("active_affiliations", None)
        assert AgendaCount(person).count >= 0

    grow(dc, 5)
    small = (queries(agenda_page), queries(header_only), queries(bare_count), len(agenda_for(person)))
    grow(dc, 195)
    large = (queries(agenda_page), queries(header_only), queries(bare_count), len(agenda_for(person)))
    assert large[:3] == small[:3], f"{role}: {small[:3]} queries with 5 groups, {large[:3]} with 200"
    if role != "facilitator":  # the grown groups are the person's: their agenda did grow
        assert large[3] > small[3]
