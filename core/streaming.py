"""Responses that stream with a bounded memory footprint under WSGI and under ASGI (daphne).

Under ASGI, Django reads a synchronous iterator whole into memory before sending it (with the
warning "StreamingHttpResponse must consume synchronous iterators"), so the helpers here hand
it an asynchronous iterator that reads one chunk at a time in a thread instead.

`zip_stream` writes a ZIP archive while it is being sent: nothing is kept but the compressor's
window and the bytes not yet handed on.
"""

import zipfile
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import datetime
from itertools import islice

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.http import FileResponse

from core.private_responses import mark_private

FILE_CHUNK_BYTES = 256 * 1024
ZIP_CHUNK_BYTES = 64 * 1024


async def _text_in_chunks(lines: Iterator[str], per_chunk: int) -> AsyncIterator[str]:
    # Each chunk is read in Django's thread for synchronous code: the lines may come from a
    # database cursor, which belongs to that thread.
    take = sync_to_async(lambda: "".join(islice(lines, per_chunk)))
    while chunk := await take():
        yield chunk


def streamed_lines(request, lines: Iterable[str], *, per_chunk: int = 500) -> Iterable[str]:
    """Text lines for a StreamingHttpResponse: as they are under WSGI, and in chunks of
    `per_chunk` lines under ASGI."""
    if isinstance(request, ASGIRequest):
        return _text_in_chunks(iter(lines), per_chunk)
    return lines


async def _file_in_chunks(file) -> AsyncIterator[bytes]:
    # A local file, no database: read in a worker thread, not in the one that runs views.
    read = sync_to_async(file.read, thread_sensitive=False)
    while chunk := await read(FILE_CHUNK_BYTES):
        yield chunk


def file_download(request, file, *, filename: str, content_type: str) -> FileResponse:
    """An open binary file (positioned at its start) as a download with its length, kept by no
    cache; the response closes the file when it is done, which deletes a tempfile.TemporaryFile."""
    response = FileResponse(file, as_attachment=True, filename=filename, content_type=content_type)
    if isinstance(request, ASGIRequest):
        # Content-Length, Content-Disposition and closing the file stay as FileResponse set them.
        response.streaming_content = _file_in_chunks(file)
    return mark_private(response)


async def _bytes_in_chunks(chunks: Iterator[bytes]) -> AsyncIterator[bytes]:
    # As for lines: each chunk may come from a database cursor, read in Django's sync thread.
    take = sync_to_async(lambda: next(chunks, b""))
    while chunk := await take():
        yield chunk


def streamed_chunks(request, chunks: Iterable[bytes]) -> Iterable[bytes] | AsyncIterator[bytes]:
    """Byte chunks for a StreamingHttpResponse: as they are under WSGI, read one at a time in
    Django's thread for synchronous code under ASGI. An empty chunk ends the stream."""
    if isinstance(request, ASGIRequest):
        return _bytes_in_chunks(iter(chunks))
    return chunks


class _Outbox:
    """A write-only file for zipfile: it has no tell() or seek(), so ZipFile writes each
    member's sizes and checksum after its data (a data descriptor) and never goes back."""

    def __init__(self):
        self._pieces: list[bytes] = []
        self.size = 0

    def write(self, data) -> int:
        self._pieces.append(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._pieces)
        self._pieces.clear()
        self.size = 0
        return data


def zip_stream(
    members: Iterable[tuple[str, Iterable[str | bytes]]], *, modified: datetime, chunk_bytes: int = ZIP_CHUNK_BYTES
) -> Iterator[bytes]:
    """A deflated ZIP archive of `members`, (name, pieces of its content) pairs, yielded in
    chunks of about `chunk_bytes` as it is written. Members and their pieces are read lazily,
    one at a time, so a member may be a generator over a database cursor. Text is written as
    UTF-8; `modified` is the time every member carries. A member must stay below 2 GiB (no
    ZIP64 without seeking back)."""
    outbox = _Outbox()
    with zipfile.ZipFile(outbox, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, pieces in members:
            info = zipfile.ZipInfo(name, date_time=modified.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w") as member:
                for piece in pieces:
                    member.write(piece.encode() if isinstance(piece, str) else piece)
                    if outbox.size >= chunk_bytes:
                        yield outbox.take()
    if tail := outbox.take():  # the last compressed data and the central directory
        yield tail
