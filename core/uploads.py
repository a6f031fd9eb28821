"""Uploads are checked by content, not by name: the first bytes must be an allowed format,
and the declared extension must agree with what the content is."""

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
# exhaust the memory of whoever opens it: we never unpack more than the first bytes of one
# entry ourselves, and refuse archives that claim more entries or unpacked size than any real
# document has, or that compress better than real documents do.
ZIP_MAX_ENTRIES = 10_000
ZIP_MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
ZIP_MAX_RATIO = 200  # unpacked / packed, for entries of at least ZIP_RATIO_FROM_BYTES unpacked
ZIP_RATIO_FROM_BYTES = 10 * 1024 * 1024


class ArchiveBomb(ValueError):
    pass


def _check_archive(archive: zipfile.ZipFile) -> None:
    entries = archive.infolist()
    if len(entries) > ZIP_MAX_ENTRIES or sum(entry.file_size for entry in entries) > ZIP_MAX_UNPACKED_BYTES:
        raise ArchiveBomb
    for entry in entries:
        if entry.file_size >= ZIP_RATIO_FROM_BYTES and entry.file_size > ZIP_MAX_RATIO * max(entry.compress_size, 1):
            raise ArchiveBomb


def _sniff_zip(upload) -> str | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            _check_archive(archive)
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    mimetype = entry.read(200).decode("ascii", "ignore").strip()
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
