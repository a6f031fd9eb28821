import io
import json
import secrets
import zipfile
from dataclasses import replace

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import OrganisationMember
from audit.models import Action
from audit.services import record
from core import personal_data
from core.personal_data import register_exempt, register_section, sections, uncovered_models, user_related_models
from dialogues.models import SubmissionAccess
from dialogues.services.answers import ask_question
from dialogues.services.declarations import declare_conflict
from dialogues.services.proposals import log_submission_access, submit_proposal
from discussions.models import Message, Thread
from discussions.services import post_message, start_group_thread
from groups.services.needs import add_comment
from indicator.models import Statement
from indicator.services import save_assessment
from moderation.services import accept_code_of_conduct, report_content, suspend_user
from notifications.models import Notification
from tests.dialogues.conftest import build_dc
from tests.factories import OrganisationFactory, person_at
from tests.groups.conftest import build_cast, publish_need

pytestmark = pytest.mark.django_db


def test_personal_data_download(client, admin_user, authority):
    client.force_login(admin_user)
    response = client.get(reverse("accounts:data-export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    [account] = json.loads(archive.read("account.json"))
    assert account["email"] == admin_user.email
    assert account["name"] == "Anna Admin"
    assert json.loads(archive.read("organisations.json"))[0]["organisation"] == "Växjö kommun"


def test_delete_needs_the_password_and_the_confirmation(client, admin_user):
    client.force_login(admin_user)
    url = reverse("accounts:account-delete")
    response = client.post(url, {"password": "wrong", "confirm": "on"})
    assert "not correct" in response.content.decode()
    response = client.post(url, {"password": "pw-test-2026"})
    assert response.status_code == 200
    admin_user.refresh_from_db()
    assert admin_user.deleted_at is None and admin_user.is_active


def test_deleted_account_is_anonymised_and_its_name_keeps_the_organisation(client, admin_user):
    email = admin_user.email
    client.force_login(admin_user)
    response = client.post(reverse("accounts:account-delete"), {"password": "pw-test-2026", "confirm": "on"})
    assert response.status_code == 302
    admin_user.refresh_from_db()
    assert admin_user.email != email and admin_user.name == "" and not admin_user.is_active
    assert not admin_user.emailaddress_set.exists()
    with translation.override("en"):
        assert admin_user.display_name == "deleted user, Växjö kommun"
    with translation.override("sv"):
        assert admin_user.display_name == "raderad användare, Växjö kommun"
    # Signed out, and cannot sign in again.
    assert client.get(reverse("home:dashboard")).status_code == 302
    assert not client.login(email=email, password="pw-test-2026")


def test_deleted_people_leave_the_organisation_page(client, admin_user, colleague, authority):
    client.force_login(colleague)
    client.post(reverse("accounts:account-delete"), {"password": "pw-test-2026", "confirm": "on"})
    client.force_login(admin_user)
    assert "Cecilia Kollega" not in client.get(authority.get_absolute_url()).content.decode()


# --- The export (GDPR art. 15): a streamed ZIP with one JSON file per registered section ---------

MINE = {
    "message": "Erik skriver: vi kan dela på laddinfrastrukturen.",
    "question": "Erik undrar om hyrmaskiner räknas?",
    "proposal": "Eriks förslag: 3 maskiner på leasing.",
    "attachment": "eriks-bilaga.pdf",
    "comment": "Erik tycker att krav 1 är för strängt.",
    "report": "Erik anmäler: personangrepp.",
    "declaration": "Min svåger äger Nordlys.",
    "suspension": "Erik avstängd för upprepade personangrepp.",
    "indicator": "Erik: vi provar innovationsupphandling.",
    "ip": "192.0.2.7",
}
THEIRS = {
    "message": "Annas hemliga meddelande om budgeten.",
    "question": "Omars fråga om garantitiden?",
    "proposal": "Omars förslag: 5 maskiner, köp.",
    "attachment": "omars-pris.txt",
    "comment": "Anna tycker att krav 2 saknas.",
    "indicator": "Anna: vi har ingen strategi än.",
    "ip": "198.51.100.9",
}


def build_world():
    """Erik (a group member for Lunds kommun, also at the participating supplier Solvent) has
    done one of each thing the export must hold. Anna (the coordinator) and Omar (another
    supplier) did the same kinds of things: Erik's export must not hold those."""
    cast = build_cast()
    dc = build_dc(cast, publish_need(cast))
    erik, anna, omar = dc.member, dc.coordinator, dc.supplier_b
    erik.language = "en"
    erik.save(update_fields=["language"])
    OrganisationMember.objects.create(organisation=dc.solvent, user=erik)
    for person in (erik, anna):
        accept_code_of_conduct(user=person)

    thread = start_group_thread(group=dc.group, author=erik, title="Laddning", body=MINE["message"])
    theirs = post_message(thread=thread, author=anna, body=THEIRS["message"])
    ask_question(dialogue=dc.dialogue, organisation=dc.solvent, user=erik, text=MINE["question"])
    ask_question(dialogue=dc.dialogue, organisation=dc.nordlys, user=omar, text=THEIRS["question"])
    submit_proposal(
        dialogue=dc.dialogue,
        organisation=dc.solvent,
        user=erik,
        text=MINE["proposal"],
        uploads=[(ContentFile(b"%PDF-1.4 eriks", name=MINE["attachment"]), "application/pdf", False)],
    )
    omars = submit_proposal(
        dialogue=dc.dialogue,
        organisation=dc.nordlys,
        user=omar,
        text=THEIRS["proposal"],
        uploads=[(ContentFile(b"pris: 2 kr\n", name=THEIRS["attachment"]), "text/plain", True)],
    )
    log_submission_access(submission=omars.submission, user=erik, action=SubmissionAccess.Action.VIEW)
    add_comment(need=dc.need, user=erik, body=MINE["comment"], requirement_number=1)
    add_comment(need=dc.need, user=anna, body=THEIRS["comment"])
    report_content(reporter=erik, target=theirs, reason=MINE["report"])
    declare_conflict(dialogue=dc.dialogue, user=erik, has_conflict=True, description=MINE["declaration"])
    statement = Statement.objects.filter(is_active=True).first()
    year = timezone.localdate().year
    save_assessment(
        organisation=dc.lund, year=year, user=erik, answers={statement.pk: (4, MINE["indicator"])}, base_revision=None
    )
    save_assessment(
        organisation=dc.vaxjo,
        year=year,
        user=anna,
        answers={statement.pk: (2, THEIRS["indicator"])},
        base_revision=None,
    )
    record(actor=erik, action=Action.RECORD_EXPORTED, target=dc.dialogue, group=dc.group, ip=MINE["ip"])
    record(actor=anna, action=Action.RECORD_EXPORTED, target=dc.dialogue, group=dc.group, ip=THEIRS["ip"])
    suspend_user(user=erik, moderator=dc.facilitator, reason=MINE["suspension"], group=dc.group)
    return dc


@pytest.fixture
def world(db):
    with translation.override("en"):
        return build_world()


def download(client, user):
    client.force_login(user)
    response = client.get(reverse("accounts:data-export"))
    assert response.status_code == 200
    return response, zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def section(archive, name) -> list:
    return json.loads(archive.read(f"{name}.json"))


def everything(archive) -> str:
    return "\n".join(archive.read(name).decode() for name in archive.namelist())


def test_the_export_is_a_streamed_zip_that_is_not_cached(client, world):
    client.force_login(world.member)
    response = client.get(reverse("accounts:data-export"))
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="my-data-bestallargrupper.zip"'
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.testzip() is None
    assert archive.namelist()[0] == "README.txt"
    assert {f"{s.name}.json" for s in sections()} == set(archive.namelist()[1:])


def test_the_export_holds_what_the_person_wrote_and_did(client, world):
    _response, archive = download(client, world.member)
    [message] = section(archive, "messages")
    assert message["text"] == MINE["message"] and message["discussion"] == "Laddning"
    assert message["created_at"]
    [question] = section(archive, "questions")
    assert question["question"] == MINE["question"] and question["dialogue"] == "Dialog om hjullastare"
    [proposal] = section(archive, "proposals")
    assert proposal["text"] == MINE["proposal"]
    assert proposal["attachments"] == [
        {"file_name": MINE["attachment"], "size_bytes": 14, "content_type": "application/pdf", "trade_secret": False}
    ]
    [comment] = section(archive, "need_comments")
    assert comment["comment"] == MINE["comment"] and comment["requirement"] == 1
    [report] = section(archive, "reports")
    assert report["reason"] == MINE["report"] and report["kind"] == "Message"
    [declaration] = section(archive, "conflict_declarations")
    assert declaration["description"] == MINE["declaration"]
    [suspension] = section(archive, "suspensions")
    assert suspension["reason"] == MINE["suspension"] and suspension["group"] == world.group.name
    [assessment] = section(archive, "indicator_answers")
    assert assessment["organisation"] == "Lunds kommun"
    assert [(a["rating"], a["comment"]) for a in assessment["answers"]] == [(4, MINE["indicator"])]
    [access] = section(archive, "proposal_access_log")
    assert access["proposal_of"] == "Nordlys Teknik AB" and access["action"] == "viewed"
    groups = {(row["group"], row["relation"]) for row in section(archive, "buyer_groups")}
    assert (world.group.name, "organisation_membership") in groups


def test_the_audit_entries_of_the_person_come_with_their_ip_addresses(client, world):
    _response, archive = download(client, world.member)
    audit = section(archive, "audit_log")
    assert {"record.exported", "report.filed", "conflict.declared"} <= {row["action"] for row in audit}
    assert MINE["ip"] in [row["ip_address"] for row in audit]


def test_another_persons_data_is_not_in_the_export(client, world):
    _response, archive = download(client, world.member)
    text = everything(archive)
    assert MINE["message"] in text and MINE["attachment"] in text and MINE["ip"] in text
    for key, value in THEIRS.items():
        assert value not in text, key
    # The attachment itself is not there either: only its name and size.
    assert "%PDF-1.4 eriks" not in text


def test_the_other_persons_export_holds_theirs_and_not_eriks(client, world):
    _response, archive = download(client, world.coordinator)
    text = everything(archive)
    assert THEIRS["message"] in text and THEIRS["comment"] in text and THEIRS["ip"] in text
    # Anna moderates the group, so she was notified of Erik's report with its reason: hers to get.
    for key in ("message", "question", "proposal", "comment", "declaration", "suspension", "indicator", "ip"):
        assert MINE[key] not in text, key


def test_the_readme_lists_every_file_and_says_how_to_get_uploaded_files(client, world):
    _response, archive = download(client, world.member)
    readme = archive.read("README.txt").decode()
    for name in archive.namelist()[1:]:
        assert f"{name}: " in readme
    assert "not in this archive" in readme  # Erik reads English: his language, not the page's


def test_the_readme_is_written_in_the_persons_language(client, world):
    world.member.language = "sv"
    world.member.save(update_fields=["language"])
    with translation.override("sv"):
        expected = gettext("Your personal data from Beställargrupper")
    _response, archive = download(client, world.member)
    assert archive.read("README.txt").decode().startswith(expected)


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_under_asgi_the_export_streams_in_chunks(recwarn):
    from asgiref.sync import sync_to_async
    from django.db import connections

    from tests.signing_in import TwoFactorAsyncClient

    erik = await sync_to_async(lambda: person_at(OrganisationFactory(name="Lunds kommun"), name="Erik"))()
    await sync_to_async(Notification.objects.bulk_create)(
        [Notification(recipient=erik, kind="mention", params={"n": secrets.token_hex(64)}) for _ in range(2000)]
    )
    client = TwoFactorAsyncClient()
    await client.aforce_login(erik)
    response = await client.get(reverse("accounts:data-export"))
    assert response.status_code == 200
    chunks = [chunk async for chunk in response.streaming_content]
    assert len(chunks) > 2  # written as it is read, not one block
    archive = zipfile.ZipFile(io.BytesIO(b"".join(chunks)))
    assert len(json.loads(archive.read("notifications.json"))) == 2000
    assert not [w for w in recwarn if "must consume" in str(w.message)]
    # The chunks were read in asgiref's thread for synchronous code: close its connection.
    await sync_to_async(connections.close_all)()


# --- The registry: every model related to a person is exported or exempt with a reason ---------


def test_every_model_related_to_the_user_is_exported_or_exempt():
    related = user_related_models()
    # Ours, allauth's and Django's: the finder is not vacuous.
    assert {"discussions.Message", "account.EmailAddress", "mfa.Authenticator", "admin.LogEntry"} <= {
        model._meta.label for model in related
    }
    assert sorted(model._meta.label for model in uncovered_models()) == []


def test_a_model_left_out_of_every_section_is_named(monkeypatch):
    kept = {
        name: replace(section, models=tuple(model for model in section.models if model is not Message))
        for name, section in personal_data._sections.items()
    }
    monkeypatch.setattr(personal_data, "_sections", kept)
    assert [model._meta.label for model in uncovered_models()] == ["discussions.Message"]
    monkeypatch.setattr(personal_data, "_exempt", {Message: "Kept by the test only."})
    assert uncovered_models() == []


def test_an_exemption_needs_a_reason():
    with pytest.raises(ImproperlyConfigured):
        register_exempt(Message, reason=" ")


def test_a_section_is_registered_once():
    with pytest.raises(ImproperlyConfigured):
        register_section("messages", description="", models=[], rows=lambda user: [])


def test_the_number_of_queries_does_not_grow_with_what_the_person_wrote(client, world):
    client.force_login(world.member)

    def exported_with_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            b"".join(client.get(reverse("accounts:data-export")).streaming_content)
        return len(captured)

    few = exported_with_queries()
    thread = Thread.objects.get(title="Laddning")
    for number in range(5):
        Message.objects.create(thread=thread, author=world.member, body=f"Meddelande {number}", html="")
        add_comment(need=world.need, user=world.member, body=f"Kommentar {number}")
        record(actor=world.member, action=Action.RECORD_EXPORTED, target=world.dialogue, ip="192.0.2.8")
    assert exported_with_queries() == few
