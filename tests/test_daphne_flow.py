"""config/daphne_flow.py: a streamed response served by daphne waits for the client instead of
piling up in the server's memory (the record ZIP, the audit CSV, attachments)."""

import importlib.metadata
import inspect
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import daphne.server
from daphne.http_protocol import WebRequest
from twisted.web import http

from config import daphne_flow
from tests.daphne_flow_app import CHUNK, TOTAL

ROOT = Path(__file__).resolve().parent.parent
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

    assert daphne.server.Server.handle_reply is daphne_flow.handle_reply


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def read_progress(path: Path) -> int:
    text = path.read_bytes().strip(b"\0 ")
    return int(text) if text else 0


def settled(path: Path) -> int:
    """The application's progress once it has not moved for half a second, or once it has
    sent everything; at most 30 s."""
    deadline, last, still = time.monotonic() + 30, -1, 0
    while time.monotonic() < deadline and last < TOTAL and still < 10:
        time.sleep(0.05)
        progress = read_progress(path)
        still = still + 1 if progress == last else 0
        last = progress
    return last


def test_a_client_that_stops_reading_holds_the_response_back(tmp_path):
    progress = tmp_path / "progress"
    progress.write_bytes(b"")
    port = free_port()
    env = {**os.environ, "FLOW_PROGRESS": str(progress), "DJANGO_SETTINGS_MODULE": "config.test_settings"}
    command = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "tests.daphne_flow_app:application"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                client = socket.create_connection(("127.0.0.1", port))
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "daphne did not start"
                time.sleep(0.1)
        with client:
            client.sendall(b"GET / HTTP/1.1\r\nHost: testserver\r\n\r\n")
            received = len(client.recv(CHUNK).partition(b"\r\n\r\n")[2])
            # The client reads nothing more: the application must be held back.
            assert settled(progress) <= BOUND
            while received < TOTAL and (data := client.recv(1024 * 1024)):
                received += len(data)
        assert received == TOTAL
        assert settled(progress) == TOTAL
    finally:
        server.terminate()
        server.wait(timeout=10)
