"""Uploads are checked by content, not by name: the first bytes must be an allowed format,
and the declared extension must agree with what the content is."""

import os
import struct
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# content kind → (MIME type, extensions that may carry it)
KINDS = {
    "pdf": ("application/pdf", {"pdf"}),
    "png": ("image/png", {"png"}),
    "jpeg": ("image/jpeg", {"jpg", "jpeg"}),
    "gif": ("image/gif", {"gif"}),
    "webp": ("image/webp", {"webp"}),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", {"docx"}),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {"xlsx"}),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", {"pptx"}),
    "odt": ("application/vnd.oasis.opendocument.text", {"odt"}),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", {"ods"}),
    "odp": ("application/vnd.oasis.opendocument.presentation", {"odp"}),
    "ole": ("application/octet-stream", {"doc", "xls", "ppt"}),  # legacy Office (OLE compound file)
    "text": ("text/plain; charset=utf-8", {"txt", "csv", "md"}),
}
OLE_TYPES = {"doc": "application/msword", "xls": "application/vnd.ms-excel", "ppt": "application/vnd.ms-powerpoint"}


# Office files are zip archives. A "zip bomb" (a small file that unpacks to gigabytes) would
# exhaust the memory or disk of whoever opens it. We never unpack more than the first bytes of one
# entry ourselves, and refuse archives that list more entries or more unpacked bytes than any
# real document has, or that compress far better than real documents do (settings.UPLOAD_ZIP_*).
# The sizes are the ones the archive declares; what we do read is read with a cap, so an entry
# that lies about its size costs us nothing.
_END_OF_ARCHIVE = struct.Struct("<4s4H2LH")  # the "end of central directory" record
_END_OF_ARCHIVE_SIGNATURE = b"PK\x05\x06"
_MAX_ARCHIVE_COMMENT = 0xFFFF
# Bytes of the central directory allowed per permitted entry (46 fixed, then the name and extras;
# real documents average well under 150). Checked before zipfile reads the directory, which
# would cost seconds and some 100 MB for the 200,000 tiny entries that fit in an upload.
_DIRECTORY_BYTES_PER_ENTRY = 256
_MIMETYPE_READ_BYTES = 200


class ArchiveBomb(ValueError):
    pass


def _check_directory_size(upload) -> None:
    """Refuse, from the end record alone, an archive whose directory lists too many entries."""
    upload.seek(0, os.SEEK_END)
    size = upload.tell()
    tail_length = min(size, _END_OF_ARCHIVE.size + _MAX_ARCHIVE_COMMENT)
    upload.seek(size - tail_length)
    tail = upload.read(tail_length)
    at = tail.rfind(_END_OF_ARCHIVE_SIGNATURE)
    if at < 0 or len(tail) - at < _END_OF_ARCHIVE.size:
        raise zipfile.BadZipFile
    record = _END_OF_ARCHIVE.unpack_from(tail, at)
    entries, directory_bytes = record[4], record[5]
    max_entries = settings.UPLOAD_ZIP_MAX_ENTRIES
    # A count of 0xFFFF sends the reader to a zip64 record: more entries than any document has.
    if entries > max_entries or directory_bytes > max_entries * _DIRECTORY_BYTES_PER_ENTRY:
        raise ArchiveBomb


def _check_archive(archive: zipfile.ZipFile, packed_bytes: int) -> None:
    entries = archive.infolist()
    unpacked = sum(entry.file_size for entry in entries)
    max_ratio, ratio_from = settings.UPLOAD_ZIP_MAX_RATIO, settings.UPLOAD_ZIP_RATIO_FROM_BYTES
    if len(entries) > settings.UPLOAD_ZIP_MAX_ENTRIES or unpacked > settings.UPLOAD_ZIP_MAX_UNPACKED_BYTES:
        raise ArchiveBomb
    if unpacked >= ratio_from and unpacked > max_ratio * max(packed_bytes, 1):
        raise ArchiveBomb
    for entry in entries:
        if entry.file_size >= ratio_from and entry.file_size > max_ratio * max(entry.compress_size, 1):
            raise ArchiveBomb


def _sniff_zip(upload) -> str | None:
    try:
        _check_directory_size(upload)
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            _check_archive(archive, upload.size)
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    mimetype = entry.read(_MIMETYPE_READ_BYTES).decode("ascii", "ignore").strip()
                for kind in ("odt", "ods", "odp"):
                    if mimetype == KINDS[kind][0]:
                        return kind
                return None
            if "[Content_Types].xml" in names:
                if any(n.startswith("word/") for n in names):
                    return "docx"
                if any(n.startswith("xl/") for n in names):
                    return "xlsx"
                if any(n.startswith("ppt/") for n in names):
                    return "pptx"
    except (zipfile.BadZipFile, OSError, KeyError, EOFError, NotImplementedError, RuntimeError):
        return None  # broken, or encrypted
    return None


def sniff(upload) -> str | None:
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(upload)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return "text"
    return None


def check_upload(upload) -> str:
    """Return the content type to store, or raise ValidationError with a message for people."""
    limit = settings.GROUP_DOCUMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    try:
        kind = sniff(upload)
    except ArchiveBomb:
        raise ValidationError(
            _("This file unpacks to far more than a document does, so it cannot be uploaded.")
        ) from None
    if kind is None:
        raise ValidationError(
            _(
                "This type of file cannot be uploaded. Allowed: PDF, Word, Excel, PowerPoint, OpenDocument, "
                "images (PNG, JPEG, GIF, WebP) and plain text."
            )
        )
    mime, extensions = KINDS[kind]
    if extension not in extensions:
        raise ValidationError(
            _("The file's content does not match its name (.%(extension)s). Save it in the right format and try again.")
            % {"extension": extension or "?"}
        )
    return OLE_TYPES.get(extension, mime) if kind == "ole" else mime
