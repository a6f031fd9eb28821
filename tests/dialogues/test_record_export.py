"""The record ZIP (dialogues/record.py, dialogues:record-download): every CSV in it is safe to
open in a spreadsheet, and it is streamed from a temporary file with every attachment intact."""

import csv
import io
import json
import os
import zipfile
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.http import FileResponse
from django.utils import timezone

from accounts.models import Organisation, User
from audit.models import Action, AuditEntry
from audit.services import record as record_audit
from dialogues.models import Answer, MeetingSlot, SubmissionAccess
from dialogues.services.answers import ask_question
from dialogues.services.declarations import declare_conflict
from dialogues.services.proposals import log_submission_access, submit_proposal
from discussions.services import get_or_create_dialogue_thread
from groups.models import NeedVersion
from tests.signing_in import TwoFactorAsyncClient

pytestmark = pytest.mark.django_db

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def download(client, dc):
    return client.get(f"/dialogues/{dc.dialogue.pk}/record/download/")


def csv_files(archive: zipfile.ZipFile) -> dict[str, list[list[str]]]:
    return {
        name: list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
        for name in archive.namelist()
        if name.endswith(".csv")
    }


def hostile_dialogue(dc, payload: str) -> None:
    """Every text that reaches one of the record's CSV files, written by a supplier or a
    person of the group, starts like a formula."""
    dialogue = dc.dialogue
    NeedVersion.objects.filter(pk__in=dialogue.need_versions.values("version")).update(title=payload)
    Organisation.objects.filter(pk=dc.solvent.pk).update(name=payload)
    User.objects.filter(pk=dc.supplier_a.pk).update(name=payload)
    dc.solvent.refresh_from_db()
    dc.supplier_a.refresh_from_db()
    ask_question(dialogue=dialogue, organisation=dc.solvent, user=dc.supplier_a, text=payload)
    Answer.objects.create(
        dialogue=dialogue,
        number=1,
        question_text=payload,
        body=payload,
        created_by=dc.coordinator,
        published_at=timezone.now(),
        published_by=dc.coordinator,
    )
    start = timezone.now() + timedelta(days=2)
    MeetingSlot.objects.create(
        dialogue=dialogue,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        location=payload,
        organisation=dc.solvent,
        booked_by=dc.supplier_a,
        booked_at=timezone.now(),
        minutes=payload,
    )
    declare_conflict(dialogue=dialogue, user=dc.coordinator, has_conflict=False)
    declare_conflict(dialogue=dialogue, user=dc.member, has_conflict=True, description=payload)
    thread = get_or_create_dialogue_thread(dialogue=dialogue, user=dc.coordinator)
    # Straight into the log: the services strip a reason, and the record must neutralise whatever
    # text the log holds.
    record_audit(actor=dc.coordinator, action=Action.THREAD_LOCKED, target=thread, group=dc.group, reason=payload)
    version = submit_proposal(
        dialogue=dialogue,
        organisation=dc.solvent,
        user=dc.supplier_a,
        text=payload,
        secret_parts=payload,
        secret_reason=payload,
        uploads=[(ContentFile(b"pris\n", name=payload), "text/plain; charset=utf-8", False)],
    )
    log_submission_access(
        submission=version.submission,
        user=dc.coordinator,
        action=SubmissionAccess.Action.DOWNLOAD,
        attachment=version.attachments.get(),
    )


# The four that OWASP names, and one hidden behind a leading space.
@pytest.mark.parametrize("start", ["=", "+", "-", "@", " ="])
def test_every_csv_in_the_record_neutralises_text_that_starts_a_formula(client, dc, start):
    payload = start + 'SUM(1+1)*cmd|"calc"!A0'
    hostile_dialogue(dc, payload)
    client.force_login(dc.coordinator)
    archive = zipfile.ZipFile(io.BytesIO(download(client, dc).getvalue()))
    tables = csv_files(archive)
    assert len(tables) == 9
    for name, rows in tables.items():
        cells = [cell for row in rows for cell in row]
        # Each file holds the payload (so this test covers it: a new CSV file without hostile
        # data in hostile_dialogue fails here by name), and none of it as a formula.
        assert "'" + payload in cells, name
        assert not [cell for cell in cells if cell.lstrip(" ").startswith(FORMULA_STARTS)], name
    # The JSON keeps the text as it was written: it is for programs, not spreadsheets.
    assert json.loads(archive.read("record.json"))["questions"][0]["original_text"] == payload


def test_numbers_the_platform_writes_stay_numbers(client, dc, question_a):
    Answer.objects.create(
        dialogue=dc.dialogue, number=7, body="-", created_by=dc.coordinator, published_at=timezone.now()
    )
    client.force_login(dc.coordinator)
    archive = zipfile.ZipFile(io.BytesIO(download(client, dc).getvalue()))
    header, row = csv_files(archive)["answers.csv"]
    assert dict(zip(header, row, strict=True)) | {"published_at": ""} == {
        "number": "7",
        "kind": "answer",
        "question": "",
        "answer": "'-",
        "requirement": "",
        "amends": "",
        "published_at": "",
        "changes_summary": "",
        "withdrawn_at": "",
        "withdrawal_reason": "",
    }


# --- streamed from a temporary file ------------------------------------------------------


@pytest.fixture
def large_proposal(dc, declared):
    """A proposal with files larger than one copy chunk and of several sizes."""
    files = {"ritning.pdf": os.urandom(2_500_000), "tom.txt": b"", "pris.csv": "å;ä;ö\n".encode() * 1000}
    submit_proposal(
        dialogue=dc.dialogue,
        organisation=dc.solvent,
        user=dc.supplier_a,
        text="Förslag",
        uploads=[
            (ContentFile(content, name=name), "application/octet-stream", False) for name, content in files.items()
        ],
    )
    return files


def test_the_record_is_streamed_with_every_attachment_byte_for_byte(client, dc, large_proposal):
    client.force_login(dc.coordinator)
    response = download(client, dc)
    assert response.status_code == 200
    assert response.streaming and isinstance(response, FileResponse)
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith(f'attachment; filename="dialogue-{dc.dialogue.pk}-record-')
    content = response.getvalue()
    assert int(response["Content-Length"]) == len(content)
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert archive.testzip() is None
    attachments = {
        name.rsplit("-", 1)[-1]: archive.read(name) for name in archive.namelist() if name.startswith("proposals/")
    }
    assert attachments == large_proposal


def test_a_streamed_export_is_logged_as_before(client, dc, large_proposal):
    client.force_login(dc.coordinator)
    download(client, dc).getvalue()
    assert SubmissionAccess.objects.filter(action="export", user=dc.coordinator).count() == 1
    exported = AuditEntry.objects.get(action=Action.RECORD_EXPORTED)
    assert (exported.actor_id, exported.detail) == (dc.coordinator.pk, "with proposals")


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_under_asgi_the_record_streams_in_chunks_from_the_file(dc, large_proposal, recwarn):
    from asgiref.sync import sync_to_async
    from django.db import connections

    client = TwoFactorAsyncClient()
    await client.aforce_login(dc.coordinator)
    response = await client.get(f"/dialogues/{dc.dialogue.pk}/record/download/")
    assert response.status_code == 200
    assert response.is_async  # Django would otherwise read the whole file into memory first
    chunks = [chunk async for chunk in response.streaming_content]
    assert len(chunks) > 2
    assert not [w for w in recwarn if "must consume" in str(w.message)]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(chunks)))
    assert (
        archive.read(next(n for n in archive.namelist() if n.endswith("ritning.pdf"))) == large_proposal["ritning.pdf"]
    )
    await sync_to_async(connections.close_all)()
