"""What daphne keeps of a request body: at most REQUEST_MAX_BYTES + 1 bytes, unparsed.

Daphne (4.2.3, on Twisted) starts the application only once Twisted has received the whole
body, which Twisted writes to a temporary file, and, for a form POST, parses a second time in
memory for its own `request.args`, which daphne never reads: a 100 MB multipart upload grew the
daphne process from 150 MB to 1.2 GB. Daphne then queues the whole body as messages.

Here Twisted's form parsing is off, a body that declares more than the cap is dropped as it
arrives (the application sees its Content-Length and answers 413, core/request_body.py), and
of a body without a length (chunked) Twisted keeps one byte more than the cap, which tells the
application it was too large. The bytes still cross the network: a proxy in front
(nginx's client_max_body_size) can stop them earlier.

tests/core/test_request_body.py runs it in a real daphne; tests/test_patched_internals.py pins
the Twisted and daphne code it relies on.
"""

import io

from daphne.http_protocol import WebRequest
from twisted.web import http


class _Dropped(io.BytesIO):
    """A body file that keeps nothing."""

    def write(self, data) -> int:
        return len(data)


def install(max_bytes: int) -> None:
    """Called by config/asgi.py, which daphne imports before it serves anything."""

    def gotLength(self, length):
        self._parsePOSTFormSubmission = False  # Twisted's own copy of the form: nobody reads it
        self.body_bytes_received = 0
        if length is not None and length > max_bytes:
            self.content = _Dropped()
        else:
            http.Request.gotLength(self, length)

    def handleContentChunk(self, data):
        room = max_bytes + 1 - self.body_bytes_received
        self.body_bytes_received += len(data)
        if room > 0:
            http.Request.handleContentChunk(self, data[:room])

    WebRequest.gotLength = gotLength
    WebRequest.handleContentChunk = handleContentChunk
