"""Responses that stream with a bounded memory footprint under WSGI and under ASGI (daphne).

Under ASGI, Django reads a synchronous iterator whole into memory before sending it (with the
warning "StreamingHttpResponse must consume synchronous iterators"), so the helpers here hand
it an asynchronous iterator that reads one chunk at a time in a thread instead.
"""

from collections.abc import AsyncIterator, Iterable, Iterator
from itertools import islice

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.http import FileResponse

from core.private_responses import mark_private

FILE_CHUNK_BYTES = 256 * 1024


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
