import functools
import io
import os
import struct
import tracemalloc
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


@functools.cache
def zero_docx(entries: int = 99, entry_bytes: int = 10_000_000) -> bytes:
    """A Word-looking archive of `entries` entries of zeros: 99 × 10 MB is 1 MB packed, 1 GB unpacked."""
    buffer = io.BytesIO()
    zeros = b"\x00" * entry_bytes
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for index in range(entries):
            archive.writestr(f"word/media/image{index}.png", zeros)
    return buffer.getvalue()


def docx_with_media(media: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
        archive.writestr("word/media/image1.png", media)
    return buffer.getvalue()


def test_a_docx_of_many_entries_each_below_the_entry_check_is_refused():
    """No entry reaches 10 MiB, so only the whole archive's size and ratio give it away."""
    assert len(zero_docx()) < 2 * 1024 * 1024
    assert "unpacks to far more" in refusal("krav.docx", zero_docx())


@override_settings(UPLOAD_ZIP_RATIO_FROM_BYTES=1024 * 1024)
def test_an_archive_that_compresses_better_than_documents_do_is_refused():
    assert "unpacks to far more" in refusal("krav.docx", zero_docx(entries=20, entry_bytes=100_000))


@override_settings(UPLOAD_ZIP_RATIO_FROM_BYTES=1024 * 1024)
def test_a_document_of_pictures_that_do_not_compress_passes():
    content = docx_with_media(os.urandom(2 * 1024 * 1024))
    assert check_upload(SimpleUploadedFile("bilder.docx", content)).endswith("wordprocessingml.document")


@override_settings(UPLOAD_ZIP_MAX_UNPACKED_BYTES=1024 * 1024)
def test_the_unpacked_size_of_the_whole_archive_is_bounded():
    """Pictures do not compress, so no ratio catches this: the size alone does."""
    assert "unpacks to far more" in refusal("bilder.docx", docx_with_media(os.urandom(2 * 1024 * 1024)))


def many_entries(count: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for index in range(count):
            archive.writestr(f"word/{index}.xml", "")
    return buffer.getvalue()


@override_settings(UPLOAD_ZIP_MAX_ENTRIES=50)
def test_too_many_entries_are_refused_before_the_directory_is_read(monkeypatch):
    content = many_entries(60)

    def not_to_be_opened(*args, **kwargs):
        raise AssertionError("zipfile read the directory of an archive with too many entries")

    monkeypatch.setattr(zipfile, "ZipFile", not_to_be_opened)
    assert "unpacks to far more" in refusal("krav.docx", content)


def with_declared_size(content: bytes, name: bytes, size: int) -> bytes:
    """The archive with `name`'s unpacked size rewritten in its local header and the directory."""
    data = bytearray(content)
    local = 0  # the first entry starts the archive
    assert data[local + 30 : local + 30 + len(name)] == name
    struct.pack_into("<L", data, local + 22, size)
    central = data.index(b"PK\x01\x02")
    assert data[central + 46 : central + 46 + len(name)] == name
    struct.pack_into("<L", data, central + 24, size)
    return bytes(data)


def test_an_entry_that_lies_about_its_size_is_read_only_as_far_as_we_need():
    """A "mimetype" entry of 64 MB of zeros that says it holds 40 bytes: we read a few bytes of
    it, however much it really holds, and refuse it for not being a document."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", b"\x00" * (64 * 1024 * 1024))
    forged = with_declared_size(buffer.getvalue(), b"mimetype", 40)
    tracemalloc.start()
    try:
        assert "cannot be uploaded" in refusal("bomb.odt", forged)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * 1024 * 1024
