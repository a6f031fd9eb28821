import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from audit.models import Action, AuditEntry
from audit.services import record as record_audit
from groups.models import BuyerGroup, Document, Endorsement, Membership, NeedStatement, Stage
from groups.services.group import create_group, set_current_stage
from groups.services.memberships import end_membership
from tests.core.test_uploads import EXE, PDF

pytestmark = pytest.mark.django_db


def url(name, cast, *args):
    return reverse(name, args=[cast.group.slug, *args])


def without_hidden_words(html):
    """The page as it looks: the words only a screen reader gets (class visually-hidden) left out."""
    return re.sub(r'<span class="visually-hidden"[^>]*>[^<]*</span>', "", html)


def test_authority_asks_to_join_and_the_coordinator_approves(client, cast):
    client.force_login(cast.non_member)
    response = client.post(
        url("groups:membership-request", cast),
        {"organisation": cast.trafikverket.pk, "role": "member", "motivation": "Vi köper 30 maskiner."},
    )
    assert response.status_code == 302
    membership = cast.group.memberships.get(organisation=cast.trafikverket)
    assert membership.status == Membership.Status.REQUESTED

    client.force_login(cast.coordinator)
    decide = url("groups:membership-decide", cast, membership.pk)
    response = client.post(decide, {"decision": "decline", "reason": ""})
    assert response.status_code == 200 and "Say why" in response.content.decode("utf-8").replace(
        "Skriv varför", "Say why"
    )
    membership.refresh_from_db()
    assert membership.status == Membership.Status.REQUESTED
    client.post(decide, {"decision": "approve"})
    membership.refresh_from_db()
    assert membership.status == Membership.Status.ACTIVE


def test_join_request_to_a_closed_group_keeps_the_motivation(client, cast):
    BuyerGroup.objects.filter(pk=cast.group.pk).update(is_open=False)
    client.force_login(cast.non_member)
    response = client.post(
        url("groups:membership-request", cast),
        {"organisation": cast.trafikverket.pk, "role": "member", "motivation": "Vår unika motivering"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "closed for new members" in html and "Vår unika motivering" in html
    assert not cast.group.memberships.filter(organisation=cast.trafikverket).exists()


def test_second_pending_request_gets_a_message(client, cast):
    client.force_login(cast.non_member)
    data = {"organisation": cast.trafikverket.pk, "role": "member", "motivation": "Igen"}
    client.post(url("groups:membership-request", cast), data)
    response = client.post(url("groups:membership-request", cast), data)
    # The organisation is no longer offered; the request is refused without a second row.
    assert response.status_code in (400, 403)
    assert cast.group.memberships.filter(organisation=cast.trafikverket).count() == 1


def test_unverified_organisation_cannot_ask_to_join(client, cast):
    client.force_login(cast.unverified)
    response = client.post(url("groups:membership-request", cast), {"motivation": "x"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "verified" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"commitment": "committed", "quantity": "-5", "unit": "st"}, "cannot be negative"),
        ({"commitment": "committed", "budget_min": "900", "budget_max": "100"}, "below the lower end"),
        ({"commitment": "committed", "quantity": "5", "unit": ""}, "Say what the quantity counts"),
    ],
)
def test_bad_endorsements_keep_what_was_typed(client, cast, data, message):
    client.force_login(cast.member)
    response = client.post(
        url("groups:endorsement-edit", cast, cast.need.pk, cast.lund.pk),
        {**data, "decision_reference": "KS 2026/12"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and 'value="KS 2026/12"' in html
    assert not Endorsement.objects.exists()


def test_upload_checks_content_and_size(client, cast):
    client.force_login(cast.member)
    documents = url("groups:document-list", cast)
    response = client.post(
        documents, {"title": "Offert", "file": SimpleUploadedFile("offert.pdf", EXE)}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "cannot be uploaded" in response.content.decode() and 'value="Offert"' in response.content.decode()
    with override_settings(GROUP_DOCUMENT_MAX_BYTES=50):
        response = client.post(
            documents, {"title": "Stor", "file": SimpleUploadedFile("stor.pdf", PDF)}, HTTP_ACCEPT_LANGUAGE="en"
        )
    assert "the limit is 50" in response.content.decode()
    assert not Document.objects.exists()
    response = client.post(documents, {"title": "Rapport", "file": SimpleUploadedFile("rapport.pdf", PDF)})
    assert response.status_code == 302
    document = Document.objects.get()
    client.post(
        url("groups:document-detail", cast, document.pk),
        {"file": SimpleUploadedFile("rapport-v2.pdf", PDF), "note": "Rättad"},
    )
    assert list(document.versions.values_list("number", flat=True)) == [2, 1]


def test_observer_cannot_upload(client, cast):
    client.force_login(cast.observer)
    response = client.post(url("groups:document-list", cast), {"title": "X", "file": SimpleUploadedFile("x.pdf", PDF)})
    assert response.status_code == 403
    assert not Document.objects.exists()


def edit_data(cast, title, base):
    version = cast.need.current_version
    data = {
        "base_version": base,
        "title": title,
        "background": version.background,
        "challenge": version.challenge,
        "change_note": f"satte rubriken {title}",
        "requirements-TOTAL_FORMS": "2",
        "requirements-INITIAL_FORMS": "2",
        "requirements-MIN_NUM_FORMS": "0",
        "requirements-MAX_NUM_FORMS": "1000",
    }
    for index, requirement in enumerate(version.requirements):
        data.update(
            {
                f"requirements-{index}-number": requirement["number"],
                f"requirements-{index}-text": requirement["text"],
                f"requirements-{index}-priority": requirement["priority"],
            }
        )
    return data


def test_two_editors_at_once_the_second_is_told_and_keeps_their_text(client, cast):
    base = cast.need.current_version.number
    edit = url("groups:need-edit", cast, cast.need.pk)
    client.force_login(cast.coordinator)
    assert client.post(edit, edit_data(cast, "Annas rubrik", base)).status_code == 302
    client.force_login(cast.member)
    response = client.post(edit, edit_data(cast, "Eriks rubrik", base), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    html = response.content.decode()
    assert "Anna Samordnare saved version 2 while you were editing" in html
    assert "Annas rubrik" in html and 'value="Eriks rubrik"' in html
    cast.need.refresh_from_db()
    assert cast.need.current_version.title == "Annas rubrik"
    # Saving again from the form as shown builds on the newest version: nothing lost.
    data = edit_data(cast, "Eriks rubrik", cast.need.current_version.number)
    assert client.post(edit, data).status_code == 302
    cast.need.refresh_from_db()
    assert cast.need.current_version.title == "Eriks rubrik" and cast.need.versions.count() == 3


def test_public_page_shows_the_aggregate_and_what_changed(client, cast, published_need):
    client.force_login(cast.member)
    client.post(
        url("groups:endorsement-edit", cast, published_need.pk, cast.lund.pk),
        {"commitment": "committed", "quantity": "8", "unit": "maskiner"},
    )
    client.force_login(cast.coordinator)
    client.post(
        url("groups:endorsement-edit", cast, published_need.pk, cast.vaxjo.pk),
        {"commitment": "committed", "quantity": "12", "unit": "maskiner"},
    )
    client.post(url("groups:need-edit", cast, published_need.pk), edit_data(cast, "Ny publicerad rubrik", 1))
    client.post(url("groups:need-move", cast, published_need.pk), {"state": "published"})
    published_need.refresh_from_db()
    assert published_need.state == NeedStatement.State.PUBLISHED and published_need.published_version.number == 2

    client.logout()
    response = client.get(published_need.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert "Ny publicerad rubrik" in html
    assert "Committed authorities" in html and ">2<" in html
    assert "20 maskiner" in html
    assert "What changed since version 1" in html and "<del>Fossilfria" in without_hidden_words(html)


def test_a_change_in_the_diff_reads_as_removed_and_added_words():
    """<del>/<ins> are only styling to a screen reader: "leverans" changed to "leveranser" must
    not be read "leveransleveranser" (WCAG 1.3.1)."""
    changes = [
        {"label": "Behov", "parts": [("same", "Två "), ("del", "leverans"), ("ins", "leveranser"), ("same", ".")]}
    ]
    with translation.override("en"):
        html = render_to_string("groups/_diff.html", {"changes": changes})
    read = " ".join(re.sub(r"<[^>]+>", "", html).split())
    assert read == "Behov Två [removed: leverans] [added: leveranser] ."
    assert "<del>leverans</del><ins>leveranser</ins>" in without_hidden_words(html)  # looks as before


def test_member_cannot_publish(client, cast):
    client.force_login(cast.member)
    response = client.post(url("groups:need-move", cast, cast.need.pk), {"state": "published"})
    assert response.status_code == 403


def test_history_compares_two_versions(client, cast):
    client.force_login(cast.coordinator)
    client.post(url("groups:need-edit", cast, cast.need.pk), edit_data(cast, "Andra rubriken", 1))
    response = client.get(url("groups:need-history", cast, cast.need.pk) + "?from=1&to=2")
    html = response.content.decode()
    assert "<ins>Andra" in without_hidden_words(html)
    response = client.get(url("groups:need-history", cast, cast.need.pk) + "?from=1&to=99")
    assert response.status_code == 200  # a message, not an error page


def test_leaving_records_the_event(client, cast):
    client.force_login(cast.member)
    membership = cast.group.memberships.get(organisation=cast.lund)
    response = client.post(url("groups:membership-end", cast, membership.pk), {"reason": ""})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(
        group_id=cast.group.pk, action=Action.MEMBERSHIP_LEFT, target_id=str(membership.pk), actor_id=cast.member.pk
    ).exists()


def history_rows(client, cast, user) -> list[list[str]]:
    client.force_login(user)
    page = client.get(url("groups:group-history", cast)).content.decode()
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    return [
        [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


@pytest.mark.parametrize("reader", ["coordinator", "facilitator"])
def test_the_history_shows_who_did_what_to_whom_and_why_newest_first(client, cast, reader):
    membership = cast.group.memberships.get(organisation=cast.lund)
    end_membership(membership=membership, user=cast.coordinator, removed=True, reason="Lämnat projektet")
    with translation.override("en"):  # the stage's name is written in the actor's language
        set_current_stage(group=cast.group, stage=Stage.EARLY_DIALOGUE, user=cast.coordinator)
    rows = history_rows(client, cast, getattr(cast, reader))
    # Who, what (with its detail), concerning, reason; the time is the first cell.
    assert [row[1:] for row in rows] == [
        ["Anna Samordnare", "changed a group's current stage (Early dialogue)", "", ""],
        ["Anna Samordnare", "removed a member", "Lunds kommun in Fossilfria arbetsmaskiner", "Lämnat projektet"],
        ["Anna Samordnare", "approved a join request (Observer)", "Energimyndigheten in Fossilfria arbetsmaskiner", ""],
        [
            "Olle Observatör",
            "asked to join a group (Observer)",
            "Energimyndigheten in Fossilfria arbetsmaskiner",
            "Vi vill",
        ],
        ["Anna Samordnare", "approved a join request (Member)", "Lunds kommun in Fossilfria arbetsmaskiner", ""],
        ["Erik Medlem", "asked to join a group (Member)", "Lunds kommun in Fossilfria arbetsmaskiner", "Vi vill"],
        ["Anna Samordnare", "appointed a coordinator", "Anna Samordnare", ""],
        ["Anna Samordnare", "created a group (first member: Växjö kommun)", "", ""],
    ]


def test_the_history_keeps_to_the_group_and_to_what_it_has_always_shown(client, cast):
    other = create_group(
        creator=cast.member,
        organisation=cast.lund,
        name="Annan grupp",
        theme="transport",
        summary="s",
        challenge="c",
        is_open=True,
    )
    before = len(history_rows(client, cast, cast.coordinator))
    # What the group's history never showed: facilitators read it in the audit log, and the
    # dialogue's record keeps who opened which proposal.
    for action in (Action.USER_SUSPENDED, Action.REPORT_FILED, Action.SUBMISSION_ACCESSED, Action.CONFLICT_DECLARED):
        record_audit(actor=cast.facilitator, action=action, target=cast.member, group=cast.group, reason="Hemligt")
    record_audit(actor=cast.member, action=Action.MEMBERSHIP_LEFT, target=other, group=other, reason="Annan")
    rows = history_rows(client, cast, cast.coordinator)
    assert len(rows) == before
    assert not [row for row in rows if "Hemligt" in row or "Annan" in row]


def test_coordinator_creates_a_group_from_the_ui(client, cast):
    client.force_login(cast.non_member)
    response = client.post(
        reverse("groups:group-create"),
        {
            "organisation": cast.trafikverket.pk,
            "name": "Smarta vägar",
            "theme": "transport",
            "summary": "S",
            "challenge": "C",
            "is_open": "on",
        },
    )
    group = BuyerGroup.objects.get(name="Smarta vägar")
    assert response.status_code == 302 and group.coordinators.filter(user=cast.non_member).exists()


def test_supplier_cannot_create_a_group(client, cast):
    client.force_login(cast.supplier)
    assert client.get(reverse("groups:group-create")).status_code == 403


def test_directory_filters_and_searches(client, cast):
    response = client.get(reverse("groups:group-list") + "?q=fossil&theme=transport&open=on")
    assert "Fossilfria arbetsmaskiner" in response.content.decode()
    response = client.get(reverse("groups:group-list") + "?theme=health")
    assert "Fossilfria arbetsmaskiner" not in response.content.decode()
    response = client.get(reverse("groups:group-list") + "?page=999&stage=bogus")
    assert response.status_code == 200


def test_invited_organisation_finds_the_invitation_and_accepts(client, cast):
    client.force_login(cast.coordinator)
    client.post(url("groups:membership-invite", cast), {"organisation": cast.trafikverket.pk, "role": "member"})
    membership = cast.group.memberships.get(organisation=cast.trafikverket)
    assert membership.status == Membership.Status.INVITED

    client.force_login(cast.non_member)
    dashboard = client.get(reverse("home:dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Trafikverket is invited to Fossilfria arbetsmaskiner" in dashboard
    client.post(url("groups:membership-answer", cast, membership.pk), {"decision": "accept"})
    membership.refresh_from_db()
    assert membership.status == Membership.Status.ACTIVE
    dashboard = client.get(reverse("home:dashboard")).content.decode()
    assert cast.group.get_absolute_url() in dashboard


def test_only_the_invited_organisation_can_answer(client, cast):
    client.force_login(cast.coordinator)
    client.post(url("groups:membership-invite", cast), {"organisation": cast.trafikverket.pk, "role": "member"})
    membership = cast.group.memberships.get(organisation=cast.trafikverket)
    client.force_login(cast.supplier)
    assert client.post(url("groups:membership-answer", cast, membership.pk), {"decision": "accept"}).status_code == 404
    membership.refresh_from_db()
    assert membership.status == Membership.Status.INVITED
