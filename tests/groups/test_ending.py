"""A group ends in an outcome (issue 20): procured, continuing in another form or abandoned.
Coordinators and facilitators end it through a confirmed form, facilitators reopen it, both are
in the audit log, and the public page, the directory and the facilitator console show it."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.details import describe
from audit.models import Action, AuditEntry
from dialogues.models import Dialogue
from dialogues.services.dialogue import create_dialogue, open_dialogue
from dialogues.services.shared import DialogueRuleError
from groups.models import BuyerGroup, Procedure
from groups.services.group import create_group, end_group
from groups.services.memberships import request_membership
from groups.services.shared import GroupRuleError
from moderation.console import waiting_for_facilitators
from tests.dialogues.conftest import make_open_dialogue

pytestmark = pytest.mark.django_db

PROCURED = {
    "outcome": "procured",
    "ended_on": "2026-10-30",
    "procedure": "open",
    "advertised_on": "2026-10-01",
    "notice_url": "https://www.e-avrop.com/exempel/annons/123",
    "notice_reference": "EX-2026/0001",
}


def end_url(cast):
    return reverse("groups:group-end", args=[cast.group.slug])


def reopen_url(cast):
    return reverse("groups:group-reopen", args=[cast.group.slug])


def end_through_the_form(client, cast, data):
    """The form, then its confirmation: what a person clicks."""
    first = client.post(end_url(cast), data)
    assert first.status_code == 200
    return client.post(end_url(cast), {**data, "confirmed": "yes"})


def procured(cast, **fields):
    end_group(
        group=cast.group,
        user=cast.coordinator,
        outcome=BuyerGroup.Outcome.PROCURED,
        ended_on=date(2026, 10, 30),
        procedure=Procedure.OPEN,
        advertised_on=date(2026, 10, 1),
        notice_url=fields.get("notice_url", "https://www.e-avrop.com/exempel/annons/123"),
        notice_reference="EX-2026/0001",
    )
    cast.group.refresh_from_db()


def form_errors(client, cast, data) -> dict:
    response = client.post(end_url(cast), data)
    assert response.status_code == 200
    return response.context["form"].errors


# --- the form: each outcome asks for its own details -------------------------------------


def test_the_first_post_asks_for_confirmation_and_changes_nothing(client, cast):
    client.force_login(cast.coordinator)
    response = client.post(end_url(cast), PROCURED)
    assert response.status_code == 200 and response.context["confirming"]
    assert 'name="confirmed" value="yes"' in response.content.decode()
    cast.group.refresh_from_db()
    assert not cast.group.is_ended


def test_changing_the_answers_goes_back_to_the_filled_in_form(client, cast):
    client.force_login(cast.coordinator)
    response = client.post(end_url(cast), {**PROCURED, "confirmed": "edit"})
    assert not response.context["confirming"]
    assert 'value="EX-2026/0001"' in response.content.decode()


def test_a_coordinator_ends_the_group_as_procured(client, cast):
    client.force_login(cast.coordinator)
    response = end_through_the_form(client, cast, PROCURED)
    assert response.status_code == 302
    cast.group.refresh_from_db()
    assert cast.group.outcome == "procured" and cast.group.ended_on == date(2026, 10, 30)
    assert cast.group.ending_procedure == "open" and cast.group.advertised_on == date(2026, 10, 1)
    assert cast.group.notice_reference == "EX-2026/0001"


def test_procured_needs_procedure_date_and_a_link_or_reference(client, cast):
    client.force_login(cast.coordinator)
    errors = form_errors(client, cast, {"outcome": "procured", "ended_on": "2026-10-30"})
    assert set(errors) == {"procedure", "advertised_on", "notice_reference"}


@pytest.mark.parametrize("kept", ["notice_url", "notice_reference"])
def test_a_link_or_a_reference_is_enough(client, cast, kept):
    client.force_login(cast.coordinator)
    data = {**PROCURED}
    data.pop("notice_reference" if kept == "notice_url" else "notice_url")
    assert end_through_the_form(client, cast, data).status_code == 302


@pytest.mark.parametrize("address", ["javascript:alert(1)", "data:text/html,hej", "ftp://example.com/annons"])
def test_only_web_addresses_are_taken_as_the_link(client, cast, address):
    client.force_login(cast.coordinator)
    errors = form_errors(client, cast, {**PROCURED, "notice_url": address, "confirmed": "yes"})
    assert list(errors) == ["notice_url"]
    cast.group.refresh_from_db()
    assert not cast.group.is_ended


def test_dates_in_the_future_are_refused(client, cast):
    client.force_login(cast.coordinator)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    errors = form_errors(client, cast, {**PROCURED, "ended_on": tomorrow, "advertised_on": tomorrow})
    assert set(errors) == {"ended_on", "advertised_on"}


def test_continuing_needs_a_description(client, cast):
    client.force_login(cast.coordinator)
    data = {"outcome": "continuing", "ended_on": "2026-11-01"}
    assert list(form_errors(client, cast, {**data, "continuation": "  "})) == ["continuation"]
    assert end_through_the_form(client, cast, {**data, "continuation": "Som ett nätverk i SKR."}).status_code == 302
    cast.group.refresh_from_db()
    assert cast.group.outcome == "continuing" and cast.group.ending_note == "Som ett nätverk i SKR."


def test_abandoned_needs_a_reason_and_drops_the_other_outcomes_fields(client, cast):
    client.force_login(cast.coordinator)
    data = {**PROCURED, "outcome": "abandoned", "continuation": "Något"}
    assert list(form_errors(client, cast, data)) == ["reason"]
    assert end_through_the_form(client, cast, {**data, "reason": "Budgeten drogs in."}).status_code == 302
    cast.group.refresh_from_db()
    assert cast.group.outcome == "abandoned" and cast.group.ending_note == "Budgeten drogs in."
    assert cast.group.notice_url == "" and cast.group.ending_procedure == ""


def test_an_open_dialogue_must_be_closed_first(client, cast):
    make_open_dialogue(cast.group, cast.need, cast.coordinator)
    client.force_login(cast.coordinator)
    page = client.get(end_url(cast)).content.decode()
    assert "open market dialogue" in page
    response = end_through_the_form(client, cast, PROCURED)
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    cast.group.refresh_from_db()
    assert not cast.group.is_ended


def test_an_ended_group_cannot_end_again(client, cast):
    procured(cast)
    with pytest.raises(GroupRuleError):
        procured(cast)
    client.force_login(cast.coordinator)
    assert client.get(end_url(cast)).status_code == 302


# --- who may end and reopen ------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), [("member", 403), ("observer", 403), ("supplier", 404)])
def test_only_coordinators_and_facilitators_end_a_group(client, cast, role, status):
    client.force_login(getattr(cast, role))
    assert client.post(end_url(cast), {**PROCURED, "confirmed": "yes"}).status_code == status
    cast.group.refresh_from_db()
    assert not cast.group.is_ended


def test_a_facilitator_ends_a_group(client, cast):
    client.force_login(cast.facilitator)
    assert end_through_the_form(client, cast, PROCURED).status_code == 302


@pytest.mark.parametrize(("role", "status"), [("coordinator", 403), ("member", 403), ("supplier", 404)])
def test_only_facilitators_reopen(client, cast, role, status):
    procured(cast)
    client.force_login(getattr(cast, role))
    assert client.post(reopen_url(cast), {"reason": "Fel"}).status_code == status
    cast.group.refresh_from_db()
    assert cast.group.is_ended


def test_a_facilitator_reopens_with_a_reason(client, cast):
    procured(cast)
    client.force_login(cast.facilitator)
    assert client.get(reopen_url(cast)).status_code == 200
    assert client.post(reopen_url(cast), {"reason": ""}).status_code == 200  # the reason is required
    assert client.post(reopen_url(cast), {"reason": "Avslutades av misstag."}).status_code == 302
    cast.group.refresh_from_db()
    assert not cast.group.is_ended and cast.group.ended_on is None and cast.group.notice_url == ""
    assert client.get(reopen_url(cast)).status_code == 404  # nothing left to reopen


def test_ending_and_reopening_are_in_the_audit_log_and_the_history(client, cast):
    procured(cast)
    client.force_login(cast.facilitator)
    client.post(reopen_url(cast), {"reason": "Avslutades av misstag."})
    ended = AuditEntry.objects.get(group_id=cast.group.pk, action=Action.GROUP_ENDED)
    reopened = AuditEntry.objects.get(group_id=cast.group.pk, action=Action.GROUP_REOPENED)
    assert ended.actor_id == cast.coordinator.pk and ended.params["notice_reference"] == "EX-2026/0001"
    assert describe(ended) == "Procured, Open or restricted procedure, EX-2026/0001"
    assert reopened.actor_id == cast.facilitator.pk and reopened.reason == "Avslutades av misstag."
    assert describe(reopened) == "had ended: Procured"
    history = client.get(reverse("groups:group-history", args=[cast.group.slug])).content.decode()
    assert "ended a group" in history and "reopened an ended group" in history


# --- what ending implies -----------------------------------------------------------------------


def test_an_ended_group_takes_no_join_requests(client, cast):
    procured(cast)
    with pytest.raises(GroupRuleError):
        request_membership(group=cast.group, organisation=cast.trafikverket, user=cast.non_member, motivation="")
    client.force_login(cast.non_member)
    page = client.get(cast.group.get_absolute_url())
    assert page.context["join_form"] is None


def test_an_ended_group_takes_no_invitations(client, cast):
    procured(cast)
    client.force_login(cast.coordinator)
    client.post(
        reverse("groups:membership-invite", args=[cast.group.slug]),
        {"organisation": cast.trafikverket.pk, "role": "member"},
    )
    assert not cast.group.memberships.filter(organisation=cast.trafikverket).exists()


# --- where it shows ----------------------------------------------------------------------------


def test_the_public_page_shows_the_ending_and_the_advertised_procurement(client, cast):
    procured(cast)
    page = client.get(cast.group.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="group-ending"' in page
    assert "Ended: procured" in page and "Open or restricted procedure" in page and "EX-2026/0001" in page
    assert '<a href="https://www.e-avrop.com/exempel/annons/123" rel="noopener">' in page
    assert "Sign in to ask to join" not in page  # an ended group takes no new members


def test_the_workspace_offers_ending_to_coordinators_only(client, cast):
    client.force_login(cast.coordinator)
    assert end_url(cast) in client.get(cast.group.get_absolute_url()).content.decode()
    client.force_login(cast.member)
    assert end_url(cast) not in client.get(cast.group.get_absolute_url()).content.decode()


def test_the_directory_marks_ended_groups_and_filters_by_outcome(client, cast):
    other = create_group(
        creator=cast.coordinator,
        organisation=cast.vaxjo,
        name="Gemensam matlogistik",
        theme="food",
        summary="S",
        challenge="C",
        is_open=True,
    )
    procured(cast)
    directory = reverse("groups:group-list")
    page = client.get(directory, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert page.count("Ended: procured") == 1

    def names(outcome):
        response = client.get(directory, {"outcome": outcome})
        return [group.name for group in response.context["page"].object_list]

    assert names("procured") == [cast.group.name]
    assert names("ongoing") == [other.name]
    assert names("abandoned") == []
    assert names("") == sorted([cast.group.name, other.name])
    assert client.get(directory, {"outcome": "nonsense"}).status_code == 200


def test_ended_groups_leave_the_quiet_groups_list(cast):
    long_ago = timezone.now() - timedelta(days=90)
    procured(cast)
    BuyerGroup.objects.filter(pk=cast.group.pk).update(last_activity_at=long_ago)
    quiet = next(entry for entry in waiting_for_facilitators() if entry.key == "quiet-groups")
    assert quiet.count == 0
    BuyerGroup.objects.filter(pk=cast.group.pk).update(outcome="")
    quiet = next(entry for entry in waiting_for_facilitators() if entry.key == "quiet-groups")
    assert quiet.count == 1


def test_the_directory_costs_the_same_queries_however_many_groups_ended(client, cast):
    def add_ended_groups(n):
        for number in range(n):
            BuyerGroup.objects.create(
                name=f"Avslutad {number} {timezone.now().timestamp()}",
                slug=f"avslutad-{number}-{BuyerGroup.objects.count()}",
                theme="other",
                summary="S",
                challenge="C",
                outcome=BuyerGroup.Outcome.ABANDONED,
                ended_on=date(2026, 1, 1),
                ending_note="Slut",
            )

    directory = reverse("groups:group-list")
    add_ended_groups(2)
    client.get(directory)
    with CaptureQueriesContext(connection) as few:
        client.get(directory)
    add_ended_groups(10)
    with CaptureQueriesContext(connection) as many:
        page = client.get(directory, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Ended: abandoned" in page
    assert len(many) == len(few)


def test_the_workspace_of_an_ended_group_shows_the_ending_and_offers_facilitators_to_reopen(client, cast):
    procured(cast)
    client.force_login(cast.facilitator)
    page = client.get(cast.group.get_absolute_url()).content.decode()
    assert 'id="group-ending"' in page and reopen_url(cast) in page and end_url(cast) not in page
    client.force_login(cast.coordinator)
    page = client.get(cast.group.get_absolute_url()).content.decode()
    assert 'id="group-ending"' in page and reopen_url(cast) not in page


def test_an_ended_group_opens_no_new_market_dialogue(client, cast, published_need):
    draft = create_dialogue(
        group=cast.group,
        need=published_need,
        user=cast.coordinator,
        title="Utkast före slutet",
        question_deadline=timezone.now() + timedelta(days=20),
        submission_deadline=timezone.now() + timedelta(days=30),
    )
    procured(cast)
    with pytest.raises(DialogueRuleError):
        create_dialogue(group=cast.group, need=published_need, user=cast.coordinator, title="Ny")
    with pytest.raises(DialogueRuleError):
        open_dialogue(dialogue=draft, user=cast.coordinator)
    draft.refresh_from_db()
    assert draft.state == Dialogue.State.DRAFT

    # Through the UI: no button, and the form sends the coordinator back with the reason.
    client.force_login(cast.coordinator)
    listing = client.get(reverse("dialogues:group-dialogues", args=[cast.group.slug]))
    assert reverse("dialogues:dialogue-create", args=[cast.group.slug]) not in listing.content.decode()
    refused = client.get(reverse("dialogues:dialogue-create", args=[cast.group.slug]), follow=True)
    assert refused.redirect_chain[-1][0] == reverse("dialogues:group-dialogues", args=[cast.group.slug])
    assert [m.level_tag for m in refused.context["messages"]] == ["error"]
    assert Dialogue.objects.filter(group=cast.group).count() == 1
