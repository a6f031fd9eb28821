"""A rolling deploy stops a web process with SIGTERM while people use it: scripts/web (uvicorn,
two worker processes) stops accepting, answers what it has accepted, closes its WebSockets with
1012 ("service restart": the page reconnects elsewhere) and exits.

Many clients load the server at once: signed-in people reading pages on kept-alive connections,
people posting discussion messages through the form's JSON endpoint (CSRF token and session, a
unique body each), clients that send half a request and hang up, clients that send a whole one
and hang up, and open discussion sockets. SIGTERM arrives while this runs. Then:
- the whole process tree has gone within 10 s (the bound is the point: a deploy waits for it);
- every request got a complete answer or had its connection closed or refused: a client still
  waiting when its (generous) timeout ran out hung, and that fails;
- no answer was a 5xx;
- every message answered with 201 is stored, and none that was answered with an error is.
"""

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from discussions.models import Message
from tests.dialogues.conftest import session_cookie
from tests.dialogues.servers import ROOT, free_port, require_shared_services, test_database_url, web_command
from tests.discussions.conftest import thread_cast  # noqa: F401 (the discussion cast)
from tests.factories import person_at

pytestmark = pytest.mark.django_db(transaction=True)

EXIT_BOUND = 10  # seconds from SIGTERM until no process of the server is left
CLIENT_TIMEOUT = 60  # a client waiting this long for an answer counts as a hang
POSTERS = 8  # each posts at most POSTS_PER_WINDOW messages: the rate limit stays out of the way
POSTS_EACH = 10
READERS = 6
HANGERS_UP = 4
SOCKETS = 4


class Refused(Exception):
    """The server no longer accepts connections (it is shutting down): not a failure."""


@dataclass
class Outcome:
    kind: str  # "get", "post", "hang-up"
    status: int | None = None  # None: no answer (the connection was closed or refused)
    error: str = ""
    body: str = ""  # a post's unique text
    message_id: int | None = None
    after_sigterm: bool = False


@dataclass
class Load:
    address: str
    cookies: list[str]
    thread_pk: int
    stopping: threading.Event = field(default_factory=threading.Event)
    terminated: threading.Event = field(default_factory=threading.Event)
    outcomes: list[Outcome] = field(default_factory=list)
    closes: list[int | None] = field(default_factory=list)  # the close codes the sockets got
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, outcome: Outcome) -> None:
        outcome.after_sigterm = self.terminated.is_set()
        with self.lock:
            self.outcomes.append(outcome)

    def answered(self, kind: str, status: int) -> int:
        with self.lock:
            return sum(outcome.kind == kind and outcome.status == status for outcome in self.outcomes)


def exchange(connection: http.client.HTTPConnection, method: str, path: str, body=None, headers=None):
    """One request; its status and whole body. Refused when the server no longer accepts;
    ConnectionError or http.client's RemoteDisconnected when it closed the connection;
    IncompleteRead when an answer was cut off; TimeoutError when it hung."""
    if connection.sock is None:
        try:
            connection.connect()
        except ConnectionRefusedError as error:
            raise Refused from error
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    return response.status, response.read().decode(errors="replace")


def closed_without_answer(error: Exception) -> bool:
    return isinstance(error, (ConnectionError, http.client.RemoteDisconnected, http.client.BadStatusLine))


def run_requests(load: Load, kind: str, make_request) -> None:
    """Send requests one after another on a kept-alive connection (a new one after a close)
    until the load stops or the server refuses."""
    host, port = load.address.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=CLIENT_TIMEOUT)
    try:
        while not load.stopping.is_set():
            outcome = Outcome(kind)
            try:
                outcome.status, text = make_request(connection, outcome)
            except Refused:
                return
            except Exception as error:  # noqa: BLE001 (every other error is recorded and judged)
                outcome.error = f"{type(error).__name__}: {error}"
                connection.close()
                load.record(outcome)
                if not closed_without_answer(error):
                    return  # a hang or a cut-off answer: recorded as a failure
                continue
            load.record(outcome)
            if outcome.status == 429 or (kind == "post" and outcome.body.endswith(f"#{POSTS_EACH}")):
                return
    finally:
        connection.close()


def reader(load: Load, cookie: str) -> None:
    paths = [f"/threads/{load.thread_pk}/", "/", f"/threads/{load.thread_pk}/?page=1"]
    count = iter(range(10**9))

    def get(connection, outcome):
        return exchange(connection, "GET", paths[next(count) % len(paths)], headers={"Cookie": cookie})

    run_requests(load, "get", get)


def poster(load: Load, cookie: str, number: int) -> None:
    """Load the thread page once for the CSRF cookie and token, as the browser does, then post
    through the form's JSON endpoint (what static/js/thread.js sends)."""
    host, port = load.address.split(":")
    page = http.client.HTTPConnection(host, int(port), timeout=CLIENT_TIMEOUT)
    try:
        page.request("GET", f"/threads/{load.thread_pk}/", headers={"Cookie": cookie})
        response = page.getresponse()
        html = response.read().decode()
        assert response.status == 200, html[:2000]
        csrf_cookie = re.search(r"csrftoken=([^;]+)", response.headers["Set-Cookie"]).group(1)
    finally:
        page.close()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    sent = iter(range(1, POSTS_EACH + 1))

    def post(connection, outcome):
        outcome.body = f"Meddelande från avsändare {number}, nummer #{next(sent)}"
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "body": outcome.body})
        headers = {
            "Cookie": f"{cookie}; csrftoken={csrf_cookie}",
            "Accept": "application/json",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        status, text = exchange(connection, "POST", f"/threads/{load.thread_pk}/messages/", form, headers)
        if status == 201:
            outcome.message_id = json.loads(text)["id"]
        return status, text

    run_requests(load, "post", post)


def hanger_up(load: Load, cookie: str, number: int) -> None:
    """Send half a request (odd numbers) or a whole one (even), and close without reading."""
    host, port = load.address.split(":")
    head = f"GET /threads/{load.thread_pk}/ HTTP/1.1\r\nHost: {load.address}\r\nCookie: {cookie}\r\n\r\n"
    if number % 2:
        head = (
            f"POST /threads/{load.thread_pk}/messages/ HTTP/1.1\r\nHost: {load.address}\r\nCookie: {cookie}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 5000\r\n\r\nbody=Halv"
        )
    while not load.stopping.is_set():
        try:
            with socket.create_connection((host, int(port)), timeout=CLIENT_TIMEOUT) as client:
                client.sendall(head.encode())
        except ConnectionRefusedError:
            return
        except OSError as error:
            load.record(Outcome("hang-up", error=f"{type(error).__name__}: {error}"))
            continue
        load.record(Outcome("hang-up"))
        time.sleep(0.3)  # people giving up on a page, not a flood


def listener(load: Load, cookie: str) -> None:
    """An open discussion socket, as the thread page keeps; records the code it was closed with."""
    try:
        with connect(
            f"ws://{load.address}/ws/threads/{load.thread_pk}/",
            additional_headers={"Cookie": cookie},
            origin=f"http://{load.address}",
            open_timeout=CLIENT_TIMEOUT,
        ) as websocket:
            websocket.send(json.dumps({"type": "hello", "last_id": 0, "revision": 0}))
            while True:
                websocket.recv(timeout=CLIENT_TIMEOUT)
    except ConnectionClosed as closed:
        code = closed.rcvd.code if closed.rcvd else None
    except TimeoutError:
        code = "hung"
    with load.lock:
        load.closes.append(code)


def processes_in_group(group: int) -> list[int]:
    """The live (not zombie) processes of a process group."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            state, _ppid, pgrp = stat.rpartition(")")[2].split()[:3]
            if int(pgrp) == group and state != "Z":
                found.append(int(entry.name))
    return found


def wait_until(condition, *, timeout: float, message: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {message}")
        time.sleep(0.05)


def health(address: str) -> bool:
    host, port = address.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=2)
    try:
        connection.request("GET", "/health/")
        connection.getresponse().read()
        return True
    except OSError:
        return False
    finally:
        connection.close()


def test_sigterm_under_load_answers_what_was_accepted_loses_no_message_and_exits(thread_cast):  # noqa: F811
    require_shared_services()
    posters = [thread_cast.member] + [
        person_at(organisation, name=f"Avsändare {number}")
        for number, organisation in enumerate([thread_cast.vaxjo, thread_cast.lund] * 4, start=1)
    ][: POSTERS - 1]
    cookies = [session_cookie(person).decode() for person in posters]
    port = free_port()
    address = f"127.0.0.1:{port}"
    command, env = web_command(
        port=port,
        workers=2,
        # With production's connection pool (config/settings.py): a few connections a process.
        env={
            "DATABASE_URL": test_database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "TEST_DB_POOL": "1",
            "WEB_LOG_LEVEL": "warning",
        },
    )
    log = tempfile.TemporaryFile()
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    load = Load(address=address, cookies=cookies, thread_pk=thread_cast.group_thread.pk)
    clients = (
        [threading.Thread(target=reader, args=(load, cookies[n % len(cookies)])) for n in range(READERS)]
        + [threading.Thread(target=poster, args=(load, cookie, n)) for n, cookie in enumerate(cookies)]
        + [threading.Thread(target=hanger_up, args=(load, cookies[0], n)) for n in range(HANGERS_UP)]
        + [threading.Thread(target=listener, args=(load, cookies[n % len(cookies)])) for n in range(SOCKETS)]
    )
    try:
        wait_until(lambda: health(address) or server.poll() is not None, timeout=60, message="the server to start")
        assert server.poll() is None, "the server did not start"
        for client in clients:
            client.daemon = True
            client.start()
        # Under way: pages read and messages posted (not a fixed time: the machine may be slow).
        wait_until(
            lambda: load.answered("get", 200) >= 20 and load.answered("post", 201) >= 2 * POSTERS,
            timeout=120,
            message="the load to get going",
        )
        os.kill(server.pid, signal.SIGTERM)
        terminated_at = time.monotonic()
        load.terminated.set()
        try:
            server.wait(timeout=EXIT_BOUND)
            exited = time.monotonic() - terminated_at
            wait_until(
                lambda: not processes_in_group(server.pid),
                timeout=max(0.1, EXIT_BOUND - (time.monotonic() - terminated_at)),
                message="the worker processes to exit",
            )
        except (subprocess.TimeoutExpired, AssertionError):
            left = processes_in_group(server.pid)
            pytest.fail(f"the server had not exited {EXIT_BOUND} s after SIGTERM (processes left: {left})")
        load.stopping.set()
        for client in clients:
            client.join(timeout=CLIENT_TIMEOUT + 10)
        assert not [client.name for client in clients if client.is_alive()], "clients still waiting"
    finally:
        load.stopping.set()
        if server.poll() is None or processes_in_group(server.pid):
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.seek(0)
        print(f"--- the server said:\n{log.read().decode(errors='replace')[-20000:]}")  # shown with a failure
        log.close()

    outcomes = load.outcomes
    failed = [outcome for outcome in outcomes if outcome.error and not outcome.error.startswith(CLOSED)]
    assert not failed, f"requests that hung or were cut off: {failed[:10]}"
    server_errors = [outcome for outcome in outcomes if outcome.status and outcome.status >= 500]
    assert not server_errors, f"5xx answers: {server_errors[:10]}"
    assert {outcome.status for outcome in outcomes if outcome.kind == "post"} <= {201, 429, None}
    assert {outcome.status for outcome in outcomes if outcome.kind == "get"} <= {200, None}
    assert all(code == 1012 for code in load.closes) and len(load.closes) == SOCKETS, load.closes

    posted = {outcome.message_id: outcome.body for outcome in outcomes if outcome.status == 201}
    stored = dict(Message.objects.filter(thread=thread_cast.group_thread).values_list("pk", "body"))
    assert {pk: stored.get(pk) for pk in posted} == posted  # every message answered 201 is kept
    refused = {
        outcome.body for outcome in outcomes if outcome.kind == "post" and outcome.status and outcome.status >= 400
    }
    assert not refused & set(stored.values())
    print(
        f"{len(outcomes)} requests: {load.answered('get', 200)} pages, {len(posted)} messages posted "
        f"({sum(o.after_sigterm for o in outcomes if o.status)} answered after SIGTERM), "
        f"{sum(not o.status and o.kind != 'hang-up' for o in outcomes)} closed unanswered; "
        f"sockets closed {load.closes}; the server exited {exited:.1f} s after SIGTERM"
    )


CLOSED = ("ConnectionResetError", "ConnectionAbortedError", "BrokenPipeError", "RemoteDisconnected", "BadStatusLine")
