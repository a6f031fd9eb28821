"""config/daphne_flow.py: a streamed response served by daphne waits for the client instead of
piling up in the server's memory (the record ZIP, the audit CSV, attachments). The production
server (scripts/web, uvicorn) does so by itself: the same test runs against it."""

import importlib.metadata
import inspect
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import daphne.server
import pytest
from daphne.http_protocol import WebRequest
from twisted.web import http

from config import daphne_flow
from tests.daphne_flow_app import CHUNK, TOTAL
from tests.dialogues.servers import free_port, web_command

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


@pytest.mark.parametrize("server", ["uvicorn", "daphne"])
def test_a_client_that_stops_reading_holds_the_response_back(tmp_path, server):
    progress = tmp_path / "progress"
    progress.write_bytes(b"")
    port = free_port()
    app = "tests.daphne_flow_app:application"
    if server == "uvicorn":
        command, env = web_command(port=port, app=app, env={"FLOW_PROGRESS": str(progress)})
    else:
        env = {**os.environ, "FLOW_PROGRESS": str(progress), "DJANGO_SETTINGS_MODULE": "config.test_settings"}
        command = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), app]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                client = socket.create_connection(("127.0.0.1", port))
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, f"{server} did not start"
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
        process.terminate()
        process.wait(timeout=10)
