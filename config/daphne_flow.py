"""Flow control for daphne's streamed HTTP responses.

Daphne (4.2.3, pinned in requirements.in) writes each body message an application sends
straight into Twisted's transport and returns at once (Server.handle_reply →
WebRequest.handle_reply → twisted.web.http.Request.write). A streamed response is then read
from its source as fast as the source gives it, and what the client has not taken yet waits in
the server's memory: a 200 MB record download grew the daphne process by 228 MiB, and by 376 MiB
for a client reading 20 MB/s (bench/record.py, before this module).

Twisted has the signal daphne does not use: a push producer registered on the request is paused
when the connection's send buffer is full and resumed when it drains. Here a response that
comes in more than one body message registers one, and the application's `send` waits while it
is paused. A response in one message (every ordinary page) is not touched.

tests/test_daphne_flow.py checks the daphne and Twisted methods this relies on, and that a
client that stops reading holds the server back; tests/test_patched_internals.py pins the source
of daphne's Server.handle_reply and WebRequest.handle_reply.
"""

import asyncio

import daphne.server
from daphne.http_protocol import WebRequest
from twisted.internet.interfaces import IPushProducer
from zope.interface import implementer

# Waiting for the client is re-checked this often, so a response whose connection has gone
# stops waiting even if Twisted never resumes it (daphne then cancels the application).
RECHECK_SECONDS = 1.0


@implementer(IPushProducer)
class ResponseFlow:
    """Paused by Twisted while the connection's send buffer is full."""

    def __init__(self):
        self.writable = asyncio.Event()
        self.writable.set()

    def pauseProducing(self):
        self.writable.clear()

    def resumeProducing(self):
        self.writable.set()

    def stopProducing(self):
        self.writable.set()


def _is_open(request: WebRequest) -> bool:
    return request.channel is not None and not request.finished


async def _until_writable(request: WebRequest, flow: ResponseFlow) -> None:
    while not flow.writable.is_set() and _is_open(request):
        try:
            await asyncio.wait_for(flow.writable.wait(), RECHECK_SECONDS)
        except TimeoutError:
            pass


_daphne_handle_reply = daphne.server.Server.handle_reply


async def handle_reply(self, protocol, message):
    """Server.handle_reply, waiting after each body message with more to come until the
    client has taken enough of what was sent."""
    flow = None
    if isinstance(protocol, WebRequest) and message.get("type") == "http.response.body":
        flow = getattr(protocol, "response_flow", None)
        if message.get("more_body", False):
            if flow is None and protocol.producer is None and _is_open(protocol):
                flow = ResponseFlow()
                try:
                    protocol.registerProducer(flow, True)
                except RuntimeError:  # an earlier response on this connection ended without unregistering
                    flow = None
                protocol.response_flow = flow
        elif flow is not None:
            # Before the last write: the connection's next request may register its own.
            if protocol.channel is not None:
                protocol.unregisterProducer()
            protocol.response_flow = flow = None
    await _daphne_handle_reply(self, protocol, message)
    if flow is not None:
        await _until_writable(protocol, flow)


def install() -> None:
    """Called by config/asgi.py, which daphne imports before it serves anything. Looks the
    class up at the call (daphne's test helper imports daphne.server afresh in its process)."""
    if daphne.server.Server.handle_reply is not handle_reply:
        daphne.server.Server.handle_reply = handle_reply
