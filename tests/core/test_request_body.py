"""A request body over settings.REQUEST_MAX_BYTES gets the 413 page and is not read: through
the middleware (WSGI), the ASGI wrapper around Django (config/asgi.py), and in the real servers:
the production one (scripts/web, uvicorn) and daphne (`manage.py runserver`)."""

import asyncio
import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from daphne.http_protocol import WebRequest
from django.conf import settings
from django.test import override_settings

from config.asgi import application
from dialogues.forms import ATTACHMENT_FIELDS
from tests.dialogues.servers import free_port, web_command
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent.parent
MiB = 1024 * 1024


class NotToBeRead:
    """A wsgi.input that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def post_declaring(client, length: int, **headers):
    return client.generic(
        "POST",
        "/groups/",
        b"",
        content_type="multipart/form-data; boundary=xyz",
        headers=headers,
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": NotToBeRead()},
    )


def test_the_cap_leaves_room_for_the_largest_form():
    """A proposal with every attachment at the file limit, and its text, is not refused."""
    largest = ATTACHMENT_FIELDS * settings.GROUP_DOCUMENT_MAX_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert largest < settings.REQUEST_MAX_BYTES < largest + 2 * MiB


@pytest.mark.django_db
def test_a_body_declaring_more_than_the_cap_gets_413_unread(client):
    response = post_declaring(client, settings.REQUEST_MAX_BYTES + 1)
    assert response.status_code == 413
    assert response.templates[0].name == "413.html"
    assert '<html lang="sv">' in response.content.decode()  # the anonymous default


@pytest.mark.django_db
def test_the_413_page_is_in_the_signed_in_persons_language(client):
    client.force_login(UserFactory(language="en"))
    response = post_declaring(client, settings.REQUEST_MAX_BYTES + 1, accept_language="sv")
    assert response.status_code == 413
    page = response.content.decode()
    assert '<html lang="en">' in page and "What you sent is too large" in page


@pytest.mark.django_db
def test_a_body_within_the_cap_goes_on_to_the_view(client):
    response = client.post("/groups/", {"name": "x" * 1000})
    assert response.status_code != 413


# --- ASGI: Django's handler would read the whole body before any middleware runs ---------------


class Exchange:
    """One HTTP request through config.asgi.application, counting what it takes of the body."""

    def __init__(self, headers, chunks):
        self.headers, self.chunks = headers, list(chunks)
        self.taken = 0
        self.sent = []

    async def receive(self):
        if self.chunks:
            body = self.chunks.pop(0)
            self.taken += len(body)
            return {"type": "http.request", "body": body, "more_body": bool(self.chunks)}
        await asyncio.Event().wait()  # the client stays connected

    async def send(self, message):
        self.sent.append(message)

    def run(self, path="/groups/"):
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [(b"host", b"testserver"), (b"accept-language", b"en"), *self.headers],
            "client": ("127.0.0.1", 50000),
            "server": ("testserver", 80),
        }
        asyncio.run(asyncio.wait_for(application(scope, self.receive, self.send), 30))
        start = next(message for message in self.sent if message["type"] == "http.response.start")
        body = b"".join(message.get("body", b"") for message in self.sent if message["type"] == "http.response.body")
        return start["status"], body.decode()


MULTIPART = [(b"content-type", b"multipart/form-data; boundary=xyz")]


@pytest.mark.django_db(transaction=True)
def test_asgi_a_body_declaring_more_than_the_cap_is_not_read():
    exchange = Exchange([*MULTIPART, (b"content-length", b"%d" % (settings.REQUEST_MAX_BYTES + 1))], [b"x" * 1000])
    status, page = exchange.run()
    assert status == 413
    assert exchange.taken == 0
    assert '<html lang="en">' in page and "What you sent is too large" in page


@pytest.mark.django_db(transaction=True)
@override_settings(REQUEST_MAX_BYTES=10_000)
def test_asgi_a_chunked_body_is_read_only_up_to_the_cap():
    exchange = Exchange(MULTIPART, [b"x" * 1000] * 100)  # 100,000 bytes, no length
    status, _ = exchange.run()
    assert status == 413
    assert 10_000 < exchange.taken <= 11_000  # the chunk that went over, and not one more


@pytest.mark.django_db(transaction=True)
@override_settings(REQUEST_MAX_BYTES=10_000)
def test_asgi_a_body_within_the_cap_goes_on_to_the_view():
    exchange = Exchange([*MULTIPART, (b"content-length", b"9000")], [b"x" * 1000] * 9)
    status, _ = exchange.run()
    assert status != 413  # the view's own answer (here CSRF's refusal: no token)
    assert exchange.taken == 9000


# --- real servers: daphne's Twisted receives the whole body before the application starts ------


@pytest.fixture(params=["uvicorn", "daphne"])
def server_port(request):
    """The production server (scripts/web) or daphne serving tests/request_body_app.py with a
    cap of 36 MiB (three 10 MiB files)."""
    port = free_port()
    app = "tests.request_body_app:application"
    limits = {"GROUP_DOCUMENT_MAX_BYTES": str(10 * MiB)}
    if request.param == "uvicorn":
        command, env = web_command(port=port, app=app, env=limits)
    else:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.test_settings", **limits}
        command = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), app]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port)).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, f"{request.param} did not start"
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def megabytes_of_zeros(count: int):
    chunk = b"\x00" * MiB
    for _ in range(count):
        yield chunk


def post(port: int, body, headers) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("POST", "/", body=body, headers=headers, encode_chunked="Content-Length" not in headers)
        response = connection.getresponse()
        assert response.status == 200
        return json.loads(response.read())
    finally:
        connection.close()


CAP = 3 * 10 * MiB + 5 * MiB + MiB


def test_the_server_drops_a_body_that_declares_more_than_the_cap(server_port):
    headers = {"Content-Length": str(300 * MiB), "Content-Type": "application/octet-stream"}
    report = post(server_port, megabytes_of_zeros(300), headers)
    assert report["too_large"] and report["received"] == 0
    assert report["peak_mib"] < 150  # nothing of the 300 MiB stayed


def test_the_server_keeps_no_more_than_the_cap_of_a_chunked_body(server_port):
    report = post(server_port, megabytes_of_zeros(200), {"Transfer-Encoding": "chunked"})
    assert report["too_large"] and report["received"] <= CAP
    assert report["peak_mib"] < 170  # the cap's 36 MiB stayed, not the 200


def test_the_server_does_not_parse_a_form_upload_a_second_time(server_port):
    """Twisted's own parse of a multipart body cost ten times its size in memory."""
    head = b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n\r\n'
    body = head + b"\x00" * (30 * MiB) + b"\r\n--xyz--\r\n"
    report = post(server_port, body, {"Content-Type": "multipart/form-data; boundary=xyz"})
    assert not report["too_large"] and report["received"] == len(body)
    assert report["peak_mib"] < 200


def test_the_platform_installs_the_daphne_cap():
    assert WebRequest.gotLength.__module__ == WebRequest.handleContentChunk.__module__ == "config.daphne_body"
