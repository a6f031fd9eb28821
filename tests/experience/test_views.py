"""Writing, sending, reviewing and finding experience reports, and where they show on groups' pages."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEntry
from experience.models import ExperienceReport
from groups.models import BuyerGroup
from groups.services.group import create_group
from notifications.models import Notification
from tests.dialogues.conftest import signed_in
from tests.experience.conftest import TEXTS, published, submitted, write
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def edit_url(cast):
    return reverse("experience:report-edit", args=[cast.group.slug])


def review_url(cast):
    return reverse("experience:report-review", args=[cast.group.slug])


def test_the_coordinator_writes_the_report_with_the_platforms_figures(ended):
    client = signed_in(ended.coordinator)
    response = client.post(edit_url(ended), {**TEXTS, "content_language": "sv"})
    report = ExperienceReport.objects.get(group=ended.group)
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert report.state == "draft" and report.author == ended.coordinator
    assert report.figures["suppliers"] == 2
    assert AuditEntry.objects.filter(action=Action.EXPERIENCE_SAVED, group_id=ended.group.pk).count() == 1
    page = client.get(report.get_absolute_url()).content.decode()
    assert "<caption>" in page and '<th scope="row"' in page


def test_the_form_starts_from_what_the_group_wrote(ended):
    response = signed_in(ended.coordinator).get(edit_url(ended))
    assert ended.group.challenge in response.content.decode()


def test_an_empty_required_field_keeps_what_was_typed(ended):
    response = signed_in(ended.coordinator).post(edit_url(ended), {**TEXTS, "lessons": ""})
    assert response.status_code == 200
    assert TEXTS["need"] in response.content.decode()
    assert response.context["form"].errors["lessons"]
    assert not ExperienceReport.objects.exists()


def test_a_report_that_is_too_long_is_refused_not_a_500(ended):
    response = signed_in(ended.coordinator).post(edit_url(ended), {**TEXTS, "need": "x" * 6000})
    assert response.status_code == 200 and response.context["form"].errors["need"]


def test_the_workspace_of_an_ended_group_invites_its_coordinator_to_write(ended):
    page = signed_in(ended.coordinator).get(ended.group.get_absolute_url()).content.decode()
    assert edit_url(ended) in page
    member_page = signed_in(ended.member).get(ended.group.get_absolute_url()).content.decode()
    assert edit_url(ended) not in member_page


def test_sending_for_review_notifies_the_facilitators_and_is_audited(ended):
    report = write(ended)
    client = signed_in(ended.coordinator)
    assert client.get(reverse("experience:report-submit", args=[ended.group.slug])).status_code == 200
    client.post(reverse("experience:report-submit", args=[ended.group.slug]))
    report.refresh_from_db()
    assert report.state == "submitted"
    recipients = set(Notification.objects.filter(kind="experience_review").values_list("recipient", flat=True))
    assert recipients == {ended.facilitator.pk, ended.other_facilitator.pk}
    assert AuditEntry.objects.filter(action=Action.EXPERIENCE_SUBMITTED, target_id=str(report.pk)).exists()
    queue = signed_in(ended.facilitator).get(reverse("experience:review-list")).content.decode()
    assert review_url(ended) in queue


def test_returning_needs_a_comment(ended):
    report = submitted(ended)
    response = signed_in(ended.facilitator).post(review_url(ended), {"decision": "return", "comment": "  "})
    assert response.status_code == 400
    assert response.context["return_form"].errors["comment"]
    report.refresh_from_db()
    assert report.state == "submitted"


def test_a_returned_report_goes_back_to_the_coordinators_with_the_comment(ended):
    report = submitted(ended)
    response = signed_in(ended.facilitator).post(
        review_url(ended), {"decision": "return", "comment": "Lägg till siffror."}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == "returned" and report.review_comment == "Lägg till siffror."
    notification = Notification.objects.get(kind="experience_reviewed")
    assert notification.recipient == ended.coordinator and notification.params["variant"] == "returned"
    entry = AuditEntry.objects.get(action=Action.EXPERIENCE_RETURNED)
    assert entry.reason == "Lägg till siffror." and entry.actor_id == ended.facilitator.pk
    # the coordinator changes it and sends it again
    client = signed_in(ended.coordinator)
    assert "Lägg till siffror." in client.get(edit_url(ended)).content.decode()
    assert client.post(edit_url(ended), {**TEXTS, "lessons": "Nya lärdomar."}).status_code == 302
    client.post(reverse("experience:report-submit", args=[ended.group.slug]))
    report.refresh_from_db()
    assert report.state == "submitted" and report.lessons == "Nya lärdomar."


def test_publishing_makes_the_report_public_and_tells_the_coordinators(ended):
    submitted(ended)
    response = signed_in(ended.facilitator).post(review_url(ended), {"decision": "publish"})
    report = ExperienceReport.objects.get()
    assert response.status_code == 302 and report.is_published and report.reviewed_by == ended.facilitator
    assert Notification.objects.get(kind="experience_reviewed").params["variant"] == "published"
    assert AuditEntry.objects.filter(action=Action.EXPERIENCE_PUBLISHED, group_id=ended.group.pk).exists()
    public_page = signed_in(None).get(ended.group.get_absolute_url()).content.decode()
    assert report.get_absolute_url() in public_page
    listing = signed_in(None).get(reverse("experience:report-list")).content.decode()
    assert ended.group.name in listing


def test_an_unknown_review_decision_changes_nothing(ended):
    submitted(ended)
    response = signed_in(ended.facilitator).post(review_url(ended), {"decision": "delete"})
    assert response.status_code == 400
    assert ExperienceReport.objects.get().state == "submitted"


def test_a_report_not_waiting_for_review_cannot_be_reviewed(ended):
    write(ended)
    assert signed_in(ended.facilitator).post(review_url(ended), {"decision": "publish"}).status_code == 404


# --- The public list ---------------------------------------------------------------------


def ended_group(name, *, theme="health", procedure="open", n=0) -> BuyerGroup:
    return BuyerGroup.objects.create(
        name=name,
        slug=f"grupp-{n}-{theme}-{procedure}",
        theme=theme,
        summary="s",
        challenge="c",
        outcome=BuyerGroup.Outcome.PROCURED,
        ended_on=date(2026, 10, 30),
        ending_procedure=procedure,
    )


def published_report(group, **texts) -> ExperienceReport:
    return ExperienceReport.objects.create(
        group=group, state="published", published_at=timezone.now(), **{**TEXTS, **texts}
    )


@pytest.fixture
def library(db):
    return {
        "larm": published_report(ended_group("Trygghetslarm", n=1), lessons="Öppna gränssnitt lönar sig."),
        "bussar": published_report(
            ended_group("Elbussar", theme="transport", procedure="competitive_dialogue", n=2), lessons="Laddning."
        ),
        "draft": ExperienceReport.objects.create(group=ended_group("Hemligt utkast", n=3), **TEXTS),
    }


def listed(query) -> str:
    response = signed_in(None).get(reverse("experience:report-list"), query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_shows_only_published_reports(library):
    page = listed({})
    assert "Trygghetslarm" in page and "Elbussar" in page and "Hemligt utkast" not in page


def test_search_finds_text_in_the_report_and_the_group_name(library):
    assert "Trygghetslarm" in listed({"q": "lönar sig"}) and "Elbussar" not in listed({"q": "lönar sig"})
    assert "Elbussar" in listed({"q": "elbuss"}) and "Trygghetslarm" not in listed({"q": "elbuss"})
    assert "Hemligt utkast" not in listed({"q": "Hemligt"})


def test_filters_by_theme_and_procedure(library):
    by_theme = listed({"theme": "transport"})
    assert "Elbussar" in by_theme and "Trygghetslarm" not in by_theme
    by_procedure = listed({"procedure": "open"})
    assert "Trygghetslarm" in by_procedure and "Elbussar" not in by_procedure


@pytest.mark.parametrize(
    "query", [{"theme": "nonsense"}, {"procedure": "<script>"}, {"page": "abc"}, {"page": "999"}, {"q": "x" * 500}]
)
def test_bad_filter_values_are_not_a_500(library, query):
    listed(query)


def test_an_empty_result_says_so(library):
    response = signed_in(None).get(reverse("experience:report-list"), {"q": "finns inte"})
    assert response.context["page"].paginator.count == 0


def list_queries(n, start) -> int:
    for i in range(start, start + n):
        published_report(ended_group(f"Grupp {i}", n=i))
    client = signed_in(None)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("experience:report-list")).status_code == 200
    ExperienceReport.objects.all().delete()
    return len(queries)


def test_the_list_needs_as_many_queries_for_5_as_for_50_reports(db):
    assert list_queries(5, start=100) == list_queries(50, start=200)


# --- Shown to groups on the same theme ---------------------------------------------------


def ongoing_group(theme):
    authority = OrganisationFactory()
    person = UserFactory()
    authority.staff.create(user=person, role="admin")
    group = create_group(
        creator=person,
        organisation=authority,
        name=f"Pågående {theme}",
        theme=theme,
        summary="s",
        challenge="c",
        is_open=True,
    )
    return group, person


def test_a_published_report_shows_on_a_new_group_with_the_same_theme(ended):
    published(ended)  # the cast's group is on transport
    same, same_person = ongoing_group("transport")
    other, other_person = ongoing_group("health")
    report_url = reverse("experience:report-detail", args=[ended.group.slug])
    assert report_url in signed_in(same_person).get(same.get_absolute_url()).content.decode()
    assert report_url not in signed_in(other_person).get(other.get_absolute_url()).content.decode()


def test_an_unpublished_report_is_not_shown_to_other_groups(ended):
    submitted(ended)
    same, person = ongoing_group("transport")
    assert reverse("experience:report-detail", args=[ended.group.slug]) not in (
        signed_in(person).get(same.get_absolute_url()).content.decode()
    )
