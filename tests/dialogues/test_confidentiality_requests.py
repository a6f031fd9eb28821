"""A proposal's request for confidentiality (which parts are trade secrets, and why) and its
attachments' names are for the supplier and the users of the group's member authorities
(dialogues/access.py: DialogueAccess.can_read_confidentiality_requests), wherever they appear:
the record page and its download, the access log, the audit log and its CSV. A facilitator
whose agency is not a member of the group, and the other suppliers, read that secrecy is
claimed, never the claim. Each place is checked both ways, so a page that shows nothing fails."""

import io
import zipfile

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from accounts.models import Organisation
from audit.models import Action
from audit.services import record as record_audit
from dialogues.models import SubmissionAccess
from dialogues.services.proposals import log_submission_access
from groups.services.memberships import decide_membership, request_membership
from notifications.models import Notification
from tests.dialogues.conftest import submit_proposal_a
from tests.factories import OrganisationFactory, person_at
from tests.signing_in import TwoFactorClient

pytestmark = pytest.mark.django_db

REASON = "Visar vår kostnadsstruktur."
PARTS = "Batterikemin"
ATTACHMENT = "pris.txt"
SECRETS = (REASON, PARTS, ATTACHMENT)


@pytest.fixture
def claimed(dc):
    """Supplier A's proposal claims secrecy (parts, reason, a secret attachment), and a member
    user of the group has downloaded the attachment (the access log and the audit log name it).
    A second facilitator works at an agency that is a member of the group."""
    submission = submit_proposal_a(dc)
    version = submission.latest_version
    log_submission_access(
        submission=submission,
        user=dc.member,
        action=SubmissionAccess.Action.DOWNLOAD,
        version=version,
        attachment=version.attachments.get(),
    )
    agency = OrganisationFactory(name="Regional processledning", kind=Organisation.Kind.FACILITATING_AGENCY)
    dc.facilitator_inside = person_at(agency, name="Ines Inifrån")
    TOTP.activate(dc.facilitator_inside, generate_totp_secret())  # facilitators need two-factor sign-in
    membership = request_membership(group=dc.group, organisation=agency, user=dc.facilitator_inside, motivation="Stöd")
    decide_membership(membership=membership, user=dc.coordinator, approve=True)
    dc.submission = submission
    return dc


def client_for(user) -> TwoFactorClient:
    client = TwoFactorClient()
    client.force_login(user)
    return client


def shows_secrets(text: str) -> bool:
    found = {secret: secret in text for secret in SECRETS}
    assert len(set(found.values())) == 1, f"only some of the claim shown: {found}"
    return all(found.values())


# --- The record page ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "sees"), [("coordinator", True), ("facilitator_inside", True), ("facilitator", False)]
)
def test_the_record_page_shows_the_claim_only_to_the_member_authorities(claimed, role, sees):
    response = client_for(getattr(claimed, role)).get(f"/dialogues/{claimed.dialogue.pk}/record/")
    body = response.content.decode()
    assert response.status_code == 200 and "Solvent Energi AB" in body  # the proposal is listed for all three
    assert shows_secrets(body) is sees
    if not sees:
        assert "secrecy is claimed" in body


@pytest.mark.parametrize("role", ["supplier_a", "supplier_b", "outside_supplier"])
def test_suppliers_never_reach_the_record(claimed, role):
    response = client_for(getattr(claimed, role)).get(f"/dialogues/{claimed.dialogue.pk}/record/")
    assert response.status_code in (403, 404)
    assert not any(secret in response.content.decode() for secret in SECRETS)


def test_the_supplier_reads_its_own_claim_on_its_proposal(claimed):
    body = client_for(claimed.supplier_a).get(claimed.submission.get_absolute_url()).content.decode()
    assert shows_secrets(body)


def test_another_supplier_cannot_open_the_proposal(claimed):
    response = client_for(claimed.supplier_b).get(claimed.submission.get_absolute_url())
    assert response.status_code == 404 and not any(secret in response.content.decode() for secret in SECRETS)


# --- The record's download ---------------------------------------------------------------


def everything_in_the_zip(user, claimed) -> str:
    response = client_for(user).get(f"/dialogues/{claimed.dialogue.pk}/record/download/")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.getvalue()))
    names = archive.namelist()
    assert "proposals.csv" in names and "proposal_access_log.csv" in names
    texts = [archive.read(name).decode("utf-8-sig") for name in names if name.endswith((".json", ".csv", ".html"))]
    return "\n".join(texts)


@pytest.mark.parametrize(
    ("role", "sees"), [("coordinator", True), ("facilitator_inside", True), ("facilitator", False)]
)
def test_the_record_download_holds_the_claim_only_for_the_member_authorities(claimed, role, sees):
    files = everything_in_the_zip(getattr(claimed, role), claimed)
    assert "Solvent Energi AB" in files
    assert shows_secrets(files) is sees


# --- The access log ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "sees"),
    [("member", True), ("coordinator", True), ("facilitator_inside", True), ("facilitator", False)],
)
def test_the_access_log_names_attachments_only_for_the_member_authorities(claimed, role, sees):
    response = client_for(getattr(claimed, role)).get(f"/dialogues/{claimed.dialogue.pk}/submissions/log/")
    body = response.content.decode()
    assert response.status_code == 200 and claimed.member.display_name in body  # the download is listed
    assert (ATTACHMENT in body) is sees


@pytest.mark.parametrize("role", ["supplier_a", "supplier_b"])
def test_suppliers_never_read_the_access_log(claimed, role):
    response = client_for(getattr(claimed, role)).get(f"/dialogues/{claimed.dialogue.pk}/submissions/log/")
    assert response.status_code == 404 and ATTACHMENT not in response.content.decode()


# --- The audit log -----------------------------------------------------------------------


def audit_page(user, **filters) -> str:
    response = client_for(user).get("/audit/", {"action": Action.SUBMISSION_ACCESSED, **filters})
    assert response.status_code == 200
    return response.content.decode()


def audit_csv(user) -> str:
    response = client_for(user).get("/audit/export.csv", {"action": Action.SUBMISSION_ACCESSED})
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8-sig")


@pytest.mark.parametrize(("role", "sees"), [("facilitator_inside", True), ("facilitator", False)])
def test_the_audit_log_names_the_attachment_only_for_a_facilitator_of_a_member_authority(claimed, role, sees):
    page, csv = audit_page(getattr(claimed, role)), audit_csv(getattr(claimed, role))
    for text in (page, csv):
        assert claimed.member.display_name in text  # the entry itself is there for every facilitator
        assert (ATTACHMENT in text) is sees


def test_an_entry_written_before_the_name_was_kept_apart_hides_it_too(claimed):
    """Older entries hold the name in the detail itself ("download, v1, pris.txt")."""
    record_audit(
        actor=claimed.coordinator,
        action=Action.SUBMISSION_ACCESSED,
        target=claimed.submission,
        group=claimed.group,
        detail="download, v1, hemlig-ritning.pdf",
    )
    assert "hemlig-ritning.pdf" in audit_page(claimed.facilitator_inside)
    outside = audit_page(claimed.facilitator)
    assert "hemlig-ritning.pdf" not in outside and claimed.coordinator.display_name in outside


@pytest.mark.parametrize("role", ["member", "supplier_a", "supplier_b"])
def test_nobody_but_facilitators_reads_the_audit_log(claimed, role):
    response = client_for(getattr(claimed, role)).get("/audit/")
    assert response.status_code == 403 and ATTACHMENT not in response.content.decode()


# --- Notifications -----------------------------------------------------------------------


def test_the_proposal_notification_tells_the_member_authorities_without_the_claim(claimed):
    told = Notification.objects.filter(kind="submission_received")
    assert set(told.values_list("recipient", flat=True)) >= {claimed.member.pk, claimed.coordinator.pk}
    assert not told.filter(recipient__in=[claimed.facilitator.pk, claimed.supplier_b.pk]).exists()
    assert not any(secret in str(notification.params) for notification in told for secret in SECRETS)


# --- Search ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["member", "coordinator", "facilitator", "supplier_a", "supplier_b"])
def test_search_never_finds_a_claim_or_an_attachment_name(claimed, role):
    """Proposals are never searched (search/access.py), for whoever asks: the search finds the
    dialogue by a word of its title, and nothing by the words of the claim."""
    client = client_for(getattr(claimed, role))
    found = client.get("/search/", {"q": "hjullastare"}).content.decode()
    assert f'href="/dialogues/{claimed.dialogue.pk}/"' in found
    for words in ("kostnadsstruktur", "Batterikemin", "pris.txt"):
        assert 'class="search-hit"' not in client.get("/search/", {"q": words}).content.decode()
