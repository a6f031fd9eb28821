"""config/daphne_flow.py: a streamed response served by daphne waits for the client instead of
piling up in the server's memory (the record ZIP, the audit CSV, attachments)."""

import importlib.metadata
import inspect
import multiprocessing
import socket
import time

from daphne.http_protocol import WebRequest
from daphne.server import Server
from daphne.testing import BaseDaphneTestingInstance
from twisted.web import http

from config import daphne_flow

CHUNK = 64 * 1024
TOTAL = 128 * 1024 * 1024
# What may be on its way when the client stops reading: Twisted's and the kernel's buffers.
BOUND = 32 * 1024 * 1024


def test_daphne_still_has_what_the_flow_control_wraps():
    """A daphne upgrade must be checked against config/daphne_flow.py before the pin moves."""
    assert importlib.metadata.version("daphne") == "4.2.3"
    assert list(inspect.signature(daphne_flow._daphne_handle_reply).parameters) == ["self", "protocol", "message"]
    assert inspect.iscoroutinefunction(daphne_flow._daphne_handle_reply)
    assert issubclass(WebRequest, http.Request)
    for name in ("registerProducer", "unregisterProducer", "producer", "finished"):
        assert hasattr(WebRequest, name), name


def test_the_platform_installs_it():
    import config.asgi  # noqa: F401

    assert Server.handle_reply is daphne_flow.handle_reply


def streaming_application(progress):
    """TOTAL bytes in CHUNK-sized body messages, as fast as `send` returns; `progress` counts
    what the application has handed to the server."""

    async def application(scope, receive, send):
        if scope["type"] != "http":
            return
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"%d" % TOTAL)]})
        chunk = b"\0" * CHUNK
        for _ in range(TOTAL // CHUNK):
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
            with progress.get_lock():
                progress.value += CHUNK
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    return application


def settled(progress) -> int:
    """The application's progress once it has stopped moving for half a second, or once it
    has sent everything; at most 30 s."""
    deadline, last, still = time.monotonic() + 30, -1, 0
    while time.monotonic() < deadline and progress.value < TOTAL and still < 10:
        time.sleep(0.05)
        still = still + 1 if progress.value == last else 0
        last = progress.value
    return progress.value


class FlowControlledDaphne(BaseDaphneTestingInstance):
    """daphne in a process of its own, with the platform's flow control as config/asgi.py installs it."""

    def process_setup(self):
        daphne_flow.install()


def test_a_client_that_stops_reading_holds_the_response_back():
    progress = multiprocessing.Value("q", 0)
    with FlowControlledDaphne(application=streaming_application(progress)) as server:
        with socket.create_connection((server.host, server.port)) as client:
            client.sendall(b"GET / HTTP/1.1\r\nHost: testserver\r\n\r\n")
            received = len(client.recv(CHUNK).partition(b"\r\n\r\n")[2])
            # The client reads nothing more: the application must be held back.
            assert settled(progress) <= BOUND
            while received < TOTAL and (data := client.recv(1024 * 1024)):
                received += len(data)
    assert received == TOTAL
    assert progress.value == TOTAL
