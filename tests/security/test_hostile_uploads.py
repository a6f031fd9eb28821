"""Hostile uploads, through the pages people use: the group's document library and a
supplier's proposal. Checked by content and size; stored under a safe name; served as an
attachment that no browser renders in the site's origin."""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from dialogues.models import SubmissionAttachment
from groups.models import DocumentVersion
from tests.core.test_request_body import NotToBeRead
from tests.core.test_uploads import zero_docx
from tests.security.matrix import client_for

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.cookie)</script></svg>'
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def odt_bomb(unpacked_bytes=64 * 1024 * 1024) -> bytes:
    """An OpenDocument-looking archive whose "mimetype" entry unpacks to `unpacked_bytes`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("mimetype", "w", force_zip64=True) as entry:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(unpacked_bytes // len(chunk)):
                entry.write(chunk)
    return buffer.getvalue()


def many_entries(count) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for index in range(count):
            archive.writestr(f"word/{index}.xml", "")
    return buffer.getvalue()


def upload_document(world, name, content, role="member"):
    client = client_for(world.users[role])
    with translation.override("en"):
        return client.post(
            reverse("groups:document-list", kwargs={"slug": world.A.group.slug}),
            {"title": "Bilaga", "file": SimpleUploadedFile(name, content)},
            headers={"accept-language": "en"},
        )


def upload_attachment(world, name, content, text="Nytt förslag"):
    client = client_for(world.users["supplier"])
    with translation.override("en"):
        return client.post(
            reverse("dialogues:submission-list", kwargs={"pk": world.A.dialogue.pk}),
            {"text": text, "attachment_1": SimpleUploadedFile(name, content)},
            headers={"accept-language": "en"},
        )


REFUSED = [
    ("program.pdf", EXE, "cannot be uploaded"),
    ("bild.svg", SVG, "does not match its name"),
    ("sida.html", HTML, "does not match its name"),
    ("bomb.odt", None, "unpacks to far more"),
    ("krav.docx", None, "unpacks to far more"),
    ("tom.pdf", b"", "empty"),
]


@pytest.mark.parametrize(("name", "content", "message"), REFUSED)
def test_the_library_refuses_hostile_files_with_a_clear_message(world, name, content, message):
    if content is None:
        content = odt_bomb() if name.endswith(".odt") else many_entries(11_000)
    before = DocumentVersion.objects.count()
    response = upload_document(world, name, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert DocumentVersion.objects.count() == before


@pytest.mark.parametrize(("name", "content", "message"), REFUSED[:3])
def test_a_proposal_refuses_hostile_attachments(world, name, content, message):
    before = SubmissionAttachment.objects.count()
    response = upload_attachment(world, name, content)
    assert response.status_code in (200, 400)
    assert SubmissionAttachment.objects.count() == before


def test_a_docx_that_unpacks_to_a_gigabyte_is_refused_in_the_library_keeping_the_title(world):
    """99 entries of 10 MB of zeros: 1 MB on the wire, 1 GB unpacked."""
    client = client_for(world.users["member"])
    with translation.override("en"):
        response = client.post(
            reverse("groups:document-list", kwargs={"slug": world.A.group.slug}),
            {"title": "Kravbilaga 7", "note": "Ny version", "file": SimpleUploadedFile("krav.docx", zero_docx())},
            headers={"accept-language": "en"},
        )
    page = response.content.decode()
    assert response.status_code == 400
    assert "unpacks to far more" in page
    assert 'value="Kravbilaga 7"' in page and 'value="Ny version"' in page
    assert not DocumentVersion.objects.filter(document__title="Kravbilaga 7").exists()


def test_a_docx_that_unpacks_to_a_gigabyte_is_refused_as_an_attachment_keeping_the_proposal(world):
    before = SubmissionAttachment.objects.count()
    response = upload_attachment(world, "krav.docx", zero_docx(), text="Vårt förslag: 40 maskiner")
    page = response.content.decode()
    assert response.status_code == 400
    assert "unpacks to far more" in page
    assert "Vårt förslag: 40 maskiner" in page
    assert SubmissionAttachment.objects.count() == before


@override_settings(GROUP_DOCUMENT_MAX_BYTES=1024)
def test_an_oversized_file_is_refused(world):
    response = upload_document(world, "stor.pdf", PDF + b" " * 2048)
    assert response.status_code == 400
    assert "the limit is 1.0" in response.content.decode()


def test_an_upload_larger_than_any_form_allows_gets_413_before_it_is_read(world):
    """A multi-gigabyte body would otherwise be streamed to disk: Django's own limit leaves files out."""
    client = client_for(world.users["member"])
    before = DocumentVersion.objects.count()
    response = client.generic(
        "POST",
        reverse("groups:document-list", kwargs={"slug": world.A.group.slug}),
        b"",
        content_type="multipart/form-data; boundary=xyz",
        headers={"accept-language": "en"},
        CONTENT_LENGTH=str(4 * 1024**3),
        **{"wsgi.input": NotToBeRead()},
    )
    assert response.status_code == 413
    assert response.templates[0].name == "413.html"
    assert DocumentVersion.objects.count() == before


def test_a_request_body_over_the_limit_gets_a_clear_answer_not_a_500(world):
    client = client_for(world.users["member"])
    response = client.post(
        reverse("groups:need-comment", kwargs={"slug": world.A.group.slug, "pk": world.A.need.pk}),
        {"body": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)},
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    "name",
    [
        "../../../../etc/passwd.txt",
        "..\\..\\windows\\win.ini.txt",
        "/etc/cron.d/evil.txt",
        "%2e%2e%2fevil.txt",
        'quote".txt',
        "line\r\nX-Injected: yes.txt",
        "\x00hidden.txt",
    ],
)
def test_file_names_cannot_escape_the_media_folder_or_inject_headers(world, name):
    response = upload_document(world, name, b"harmless text\n")
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        return  # refused outright is fine too
    version = DocumentVersion.objects.latest("pk")
    stored = Path(version.file.path).resolve()
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert ".." not in version.file.name and "\\" not in version.original_name and "/" not in version.original_name
    download = client_for(world.users["member"]).get(
        reverse(
            "groups:document-download",
            kwargs={"slug": world.A.group.slug, "document_pk": version.document_id, "version_pk": version.pk},
        )
    )
    assert download.status_code == 200
    assert "X-Injected" not in download.headers
    assert "\n" not in download["Content-Disposition"] and "\r" not in download["Content-Disposition"]


@pytest.mark.parametrize(("name", "content"), [("bild.txt", SVG), ("sida.txt", HTML)])
def test_markup_saved_as_text_is_served_as_a_plain_text_attachment(world, name, content):
    """An SVG or HTML page renamed .txt is accepted as text, and never rendered by the browser."""
    assert upload_document(world, name, content).status_code == 302
    version = DocumentVersion.objects.latest("pk")
    download = client_for(world.users["member"]).get(
        reverse(
            "groups:document-download",
            kwargs={"slug": world.A.group.slug, "document_pk": version.document_id, "version_pk": version.pk},
        )
    )
    assert download["Content-Type"].startswith("text/plain")
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
