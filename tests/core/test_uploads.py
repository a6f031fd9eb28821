import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import translation

from core.uploads import check_upload

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def refusal(name, content) -> str:
    with pytest.raises(ValidationError) as error, translation.override("en"):
        check_upload(SimpleUploadedFile(name, content))
    with translation.override("en"):
        return error.value.messages[0]


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("rapport.pdf", PDF, "application/pdf"),
        ("bild.PNG", PNG, "image/png"),
        ("krav.docx", docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("anteckningar.txt", "Åäö text".encode(), "text/plain; charset=utf-8"),
    ],
)
def test_allowed_files_pass_with_the_type_from_their_content(name, content, mime):
    assert check_upload(SimpleUploadedFile(name, content)) == mime


def test_a_program_renamed_to_pdf_is_refused():
    assert "cannot be uploaded" in refusal("offert.pdf", EXE)


def test_content_and_name_must_agree():
    assert "does not match its name" in refusal("krav.docx", PDF)


def test_an_empty_file_is_refused():
    assert "empty" in refusal("tom.pdf", b"")


@override_settings(GROUP_DOCUMENT_MAX_BYTES=100)
def test_a_file_over_the_limit_is_refused():
    assert "the limit is 100" in refusal("stor.pdf", PDF + b" " * 200)
