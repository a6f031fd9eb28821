"""The moderation pages: reporting, the queue, hiding with a confirmation step, bad input, and
who may do what (moderation/access.py)."""

import pytest
from django.urls import reverse

from audit.models import Action, AuditEntry
from dialogues.services.declarations import declare_conflict
from groups.services.group import create_group
from moderation.models import Report
from moderation.services import hide_content, report_content
from tests.factories import OrganisationFactory, person_at
from tests.moderation.conftest import signed_in

KINDS = ["message", "document", "question", "submission"]


def report_url(kind, pk):
    return reverse("moderation:report-create", args=[kind, pk])


def hide_url(kind, pk):
    return reverse("moderation:content-hide", args=[kind, pk])


# --- Reporting -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_reader_reports_an_item_from_its_page(mc, kind):
    declare_conflict(dialogue=mc.dialogue, user=mc.member, has_conflict=False)
    item = mc.items[kind]
    client = signed_in(mc.coordinator if kind == "message" else mc.member)
    assert client.get(report_url(kind, item.pk)).status_code == 200
    response = client.post(report_url(kind, item.pk), {"reason": "Olämpligt"})
    assert response.status_code == 302
    assert Report.objects.open().about(item).count() == 1


@pytest.mark.parametrize("kind", KINDS)
def test_someone_who_cannot_see_the_item_gets_404(mc, kind):
    response = signed_in(mc.non_member).post(report_url(kind, mc.items[kind].pk), {"reason": "x"})
    assert response.status_code == 404
    assert not Report.objects.exists()


def test_another_supplier_cannot_report_a_question_it_cannot_see(mc):
    assert signed_in(mc.supplier_b).get(report_url("question", mc.question.pk)).status_code == 404


def test_a_visitor_is_sent_to_sign_in(mc):
    response = signed_in(None).get(report_url("message", mc.message.pk))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("url", ["/moderation/report/comment/1/", "/moderation/report/message/999999/"])
def test_unknown_kinds_and_ids_are_404(mc, url):
    assert signed_in(mc.coordinator).get(url).status_code == 404


def test_an_empty_reason_is_refused_with_a_message(mc):
    response = signed_in(mc.coordinator).post(report_url("message", mc.message.pk), {"reason": "  "})
    assert response.status_code == 400
    assert "need a reason" in response.content.decode()
    assert not Report.objects.exists()


def test_reporting_twice_is_refused_with_a_message_and_the_text_kept(mc):
    client = signed_in(mc.coordinator)
    client.post(report_url("message", mc.message.pk), {"reason": "Första"})
    response = client.post(report_url("message", mc.message.pk), {"reason": "Andra gången"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "already reported" in page and "Andra gången" in page
    assert Report.objects.count() == 1


def test_the_report_link_is_on_each_page(mc):
    declare_conflict(dialogue=mc.dialogue, user=mc.member, has_conflict=False)
    client = signed_in(mc.member)
    pages = {
        "document": reverse("groups:document-detail", args=[mc.group.slug, mc.document.pk]),
        "question": mc.question.get_absolute_url(),
        "submission": mc.submission.get_absolute_url(),
    }
    for kind, url in pages.items():
        assert report_url(kind, mc.items[kind].pk) in client.get(url).content.decode(), kind
    thread_page = signed_in(mc.coordinator).get(mc.thread.get_absolute_url()).content.decode()
    assert report_url("message", mc.message.pk) in thread_page


# --- The queue -----------------------------------------------------------------------------


@pytest.fixture
def other_group_report(mc):
    """A report in a group that mc.coordinator does not coordinate."""
    lead = person_at(OrganisationFactory(name="Malmö stad"), name="Mats Malmö")
    other = create_group(
        creator=lead,
        organisation=lead.affiliations.get().organisation,
        name="Skolmat",
        theme="food",
        summary="S",
        challenge="C",
        is_open=True,
    )
    from discussions.services import start_group_thread

    thread = start_group_thread(group=other, author=lead, title="Meny", body="Fisk på fredag")
    return report_content(reporter=lead, target=thread.messages.get(), reason="Fel i Malmö")


def test_facilitators_see_every_group_and_coordinators_their_own(mc, other_group_report):
    mine = report_content(reporter=mc.observer, target=mc.message, reason="Fel i Växjö")
    facilitator_page = signed_in(mc.facilitator).get("/moderation/").content.decode()
    assert "Fel i Växjö" in facilitator_page and "Fel i Malmö" in facilitator_page
    coordinator_page = signed_in(mc.coordinator).get("/moderation/").content.decode()
    assert "Fel i Växjö" in coordinator_page and "Fel i Malmö" not in coordinator_page
    assert signed_in(mc.coordinator).get(other_group_report.get_absolute_url()).status_code == 404
    assert signed_in(mc.coordinator).get(mine.get_absolute_url()).status_code == 200


# Who may not open the queue (a member, an observer, a supplier taking part, an authority
# outside the group: 403; a visitor: sent to sign in) is the security suite's table, row
# moderation:report-queue (tests/security/permission_table.py).


def test_the_queue_filters_by_state_and_place(mc, other_group_report):
    open_one = report_content(reporter=mc.observer, target=mc.message, reason="Öppen")
    dismissed = report_content(reporter=mc.observer, target=mc.document, reason="Avfärdad")
    from moderation.services import dismiss_report

    dismiss_report(report=dismissed, moderator=mc.facilitator)
    client = signed_in(mc.facilitator)
    default = client.get("/moderation/").content.decode()
    assert "Öppen" in default and "Avfärdad" not in default  # open reports first
    done = client.get("/moderation/", {"state": "dismissed"}).content.decode()
    assert "Avfärdad" in done and "Öppen" not in done
    place = client.get("/moderation/", {"state": "", "group": open_one.group_id}).content.decode()
    assert "Öppen" in place and "Avfärdad" in place and "Fel i Malmö" not in place


def test_the_queue_shows_the_content_in_context(mc):
    report_content(reporter=mc.observer, target=mc.message, reason="Kränkande")
    page = signed_in(mc.coordinator).get("/moderation/").content.decode()
    assert "Ni är alla idioter." in page and "Laddning" in page


def test_bad_filters_are_not_a_500(mc):
    response = signed_in(mc.facilitator).get("/moderation/", {"state": "bogus", "group": "x", "page": "abc"})
    assert response.status_code == 200


# --- Hiding with a confirmation step ---------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_hiding_asks_for_confirmation_first(mc, kind):
    item = mc.items[kind]
    report = report_content(reporter=mc.observer, target=item, reason="Fel")
    client = signed_in(mc.facilitator)
    first = client.post(hide_url(kind, item.pk), {"reason": "Bryter mot reglerna", "report": report.pk})
    assert first.status_code == 200 and 'id="confirm-hide"' in first.content.decode()
    item.refresh_from_db()
    assert not item.is_hidden
    second = client.post(
        hide_url(kind, item.pk), {"reason": "Bryter mot reglerna", "confirmed": "true", "report": report.pk}
    )
    assert second.status_code == 302
    item.refresh_from_db()
    assert item.is_hidden
    report.refresh_from_db()
    assert report.state == Report.State.RESOLVED


def test_hiding_without_a_reason_keeps_the_form(mc):
    response = signed_in(mc.coordinator).post(hide_url("document", mc.document.pk), {"reason": ""})
    assert response.status_code == 400
    mc.document.refresh_from_db()
    assert not mc.document.is_hidden


def test_acting_on_ones_own_report_is_refused(mc):
    report = report_content(reporter=mc.coordinator, target=mc.message, reason="Fel")
    client = signed_in(mc.coordinator)
    assert client.post(reverse("moderation:report-dismiss", args=[report.pk])).status_code == 403
    response = client.post(
        hide_url("message", mc.message.pk), {"reason": "Fel", "confirmed": "true", "report": report.pk}
    )
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.is_open


def test_a_coordinator_cannot_hide_in_another_group(mc, other_group_report):
    message = other_group_report.message
    response = signed_in(mc.coordinator).post(hide_url("message", message.pk), {"reason": "x", "confirmed": "true"})
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["member", "observer", "supplier_a"])
def test_non_moderators_cannot_hide(mc, role):
    response = signed_in(getattr(mc, role)).post(hide_url("document", mc.document.pk), {"reason": "x"})
    assert response.status_code == 404


def test_dismissing_a_report(mc):
    report = report_content(reporter=mc.observer, target=mc.question, reason="Fel")
    response = signed_in(mc.coordinator).post(reverse("moderation:report-dismiss", args=[report.pk]), {"note": "OK"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == Report.State.DISMISSED
    again = signed_in(mc.facilitator).post(reverse("moderation:report-dismiss", args=[report.pk]), follow=True)
    assert "already been decided" in again.content.decode()


def test_restoring_through_the_page(mc):
    hide_content(target=mc.document, moderator=mc.facilitator, reason="Fel")
    response = signed_in(mc.coordinator).post(reverse("moderation:content-restore", args=["document", mc.document.pk]))
    assert response.status_code == 302
    mc.document.refresh_from_db()
    assert not mc.document.is_hidden
    assert AuditEntry.objects.filter(action=Action.CONTENT_RESTORED).count() == 1


def test_a_report_whose_message_was_restored_says_so_and_leaves_the_open_queue(mc):
    report = report_content(reporter=mc.observer, target=mc.message, reason="Kränkande")
    hide_content(target=mc.message, moderator=mc.facilitator, reason="Bort", report=report)
    moderator = signed_in(mc.coordinator)
    response = moderator.post(reverse("moderation:content-restore", args=["message", mc.message.pk]), {"note": "OK"})
    assert response.status_code == 302
    page = moderator.get(report.get_absolute_url()).content.decode()
    assert "Content restored" in page and "Content removed" not in page
    assert report.get_absolute_url() not in moderator.get(reverse("moderation:report-queue")).content.decode()
    restored = moderator.get(reverse("moderation:report-queue"), {"state": "restored"}).content.decode()
    assert report.get_absolute_url() in restored


# --- What others see of removed content ---------------------------------------------------


def test_a_removed_document_shows_the_reason_and_its_file_is_refused(mc):
    hide_content(target=mc.document, moderator=mc.facilitator, reason="Personuppgifter")
    version = mc.document.latest_version
    detail = reverse("groups:document-detail", args=[mc.group.slug, mc.document.pk])
    download = reverse("groups:document-download", args=[mc.group.slug, mc.document.pk, version.pk])
    page = signed_in(mc.member).get(detail).content.decode()
    assert "Removed by a moderator: Personuppgifter" in page and "kalkyl.txt" not in page
    assert signed_in(mc.member).get(download).status_code == 403
    listing = signed_in(mc.observer).get(reverse("groups:document-list", args=[mc.group.slug])).content.decode()
    assert "Removed by a moderator: Personuppgifter" in listing and "Kalkyl" not in listing
    # moderators still read the original
    assert "kalkyl.txt" in signed_in(mc.coordinator).get(detail).content.decode()
    assert signed_in(mc.coordinator).get(download).status_code == 200


def test_a_removed_question_shows_the_reason(mc):
    hide_content(target=mc.question, moderator=mc.facilitator, reason="Reklam")
    asker = signed_in(mc.supplier_a).get(mc.question.get_absolute_url()).content.decode()
    assert "Removed by a moderator: Reklam" in asker and "Köp våra maskiner!" not in asker
    listing = signed_in(mc.member).get(reverse("dialogues:question-list", args=[mc.dialogue.pk])).content.decode()
    assert "Removed by a moderator: Reklam" in listing and "Köp våra maskiner!" not in listing
    moderator = signed_in(mc.coordinator).get(mc.question.get_absolute_url()).content.decode()
    assert "Köp våra maskiner!" in moderator


def test_a_removed_proposal_shows_the_reason(mc):
    declare_conflict(dialogue=mc.dialogue, user=mc.member, has_conflict=False)
    hide_content(target=mc.submission, moderator=mc.facilitator, reason="Reklam")
    page = signed_in(mc.member).get(mc.submission.get_absolute_url()).content.decode()
    assert "Removed by a moderator: Reklam" in page and "Reklam, reklam." not in page


def test_a_removed_message_shows_the_reason_to_readers(mc):
    hide_content(target=mc.message, moderator=mc.facilitator, reason="Kränkande")
    page = signed_in(mc.observer).get(mc.thread.get_absolute_url()).content.decode()
    assert "Removed by a moderator: Kränkande" in page and "Ni är alla idioter." not in page


# --- Who may report what, per role -------------------------------------------------------------

# Who can see (and so report) each item of the cast: the readers of a group discussion and of the
# library; the asking supplier and the group's side for a question; the submitting supplier and
# the group's member users (after declaring no conflict) for a proposal.
CAN_REPORT = {
    "message": {"coordinator", "member", "observer", "facilitator"},
    "document": {"coordinator", "member", "observer", "facilitator"},
    "question": {"coordinator", "member", "facilitator", "supplier_a"},
    "submission": {"coordinator", "member", "supplier_a"},
}
ROLES = ["coordinator", "member", "observer", "facilitator", "supplier_a", "supplier_b", "non_member", "unverified"]


@pytest.mark.parametrize("kind", KINDS)
def test_exactly_the_people_who_can_see_an_item_can_report_it(mc, kind):
    for person in (mc.coordinator, mc.member):
        declare_conflict(dialogue=mc.dialogue, user=person, has_conflict=False)
    url = report_url(kind, mc.items[kind].pk)
    outcome = {role: signed_in(getattr(mc, role)).get(url).status_code for role in ROLES}
    assert outcome == {role: 200 if role in CAN_REPORT[kind] else 404 for role in ROLES}


# --- Queries ------------------------------------------------------------------------------------


def test_the_queue_costs_the_same_queries_for_few_and_many_reports(mc):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import UserFactory

    def add_reports(n):
        for _ in range(n):
            reporter = UserFactory()
            for item in mc.items.values():
                report_content(reporter=reporter, target=item, reason="Fel")

    client = signed_in(mc.facilitator)
    add_reports(2)
    client.get("/moderation/")
    with CaptureQueriesContext(connection) as few:
        client.get("/moderation/")
    add_reports(8)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/moderation/").content.decode()
    assert page.count('class="card" id="report-') == 25  # a full page
    assert len(many) == len(few)


# --- E-mail to moderators --------------------------------------------------------------------------


def test_moderators_are_emailed_about_a_new_report(mc, mailoutbox, deliver_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(mc.observer).post(report_url("document", mc.document.pk), {"reason": "Personuppgifter i filen"})
    deliver_outbox()
    about_it = [mail for mail in mailoutbox if "Personuppgifter i filen" in mail.body]
    assert sorted(address for mail in about_it for address in mail.to) == sorted(
        [mc.coordinator.email, mc.facilitator.email]
    )


# --- Moderating from the discussion page resolves the reports too ----------------------------------


def test_hiding_from_the_discussion_page_resolves_open_reports(mc):
    report = report_content(reporter=mc.observer, target=mc.message, reason="Fel")
    response = signed_in(mc.coordinator).post(
        reverse("message-moderate", args=[mc.message.pk]), {"reason": "Kränkande"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == Report.State.RESOLVED
    assert AuditEntry.objects.filter(action=Action.CONTENT_HIDDEN, target_id=str(mc.message.pk)).count() == 1


def test_the_supplier_and_the_group_see_that_a_proposal_was_removed(mc):
    hide_content(target=mc.submission, moderator=mc.facilitator, reason="Reklam")
    url = reverse("dialogues:submission-list", args=[mc.dialogue.pk])
    assert "Removed by a moderator: Reklam" in signed_in(mc.supplier_a).get(url).content.decode()
    assert "removed by a moderator" in signed_in(mc.member).get(url).content.decode()


@pytest.mark.parametrize(
    "name, args",
    [
        ("moderation:report-queue", []),
        ("moderation:report-detail", [1]),
        ("moderation:report-dismiss", [1]),
        ("moderation:report-create", ["message", 1]),
        ("moderation:content-hide", ["message", 1]),
        ("moderation:content-restore", ["message", 1]),
        ("moderation:user-suspend", [1]),
        ("moderation:suspension-list", []),
        ("moderation:suspension-lift", [1]),
        ("facilitator-console", []),
    ],
)
def test_visitors_are_sent_to_sign_in_everywhere_but_the_code(db, name, args):
    response = signed_in(None).get(reverse(name, args=args))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_outsider_cannot_open_a_report(mc):
    report = report_content(reporter=mc.observer, target=mc.message, reason="Fel")
    for role in ("member", "observer", "non_member", "supplier_a"):
        assert signed_in(getattr(mc, role)).get(report.get_absolute_url()).status_code == 404, role
