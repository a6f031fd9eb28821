"""Real processes for the fault tests: a Redis server of the test's own (on 6390–6399, never
the machine's), web processes (scripts/web) and Celery workers pointed at it, and a WebSocket reader
that behaves as static/js/thread.js does (reconnect, hello with last id and revision, keep
each message once by id)."""

import asyncio
import json
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parents[2]
PORTS = range(6390, 6400)


def require_services():
    """The fault tests need processes that share PostgreSQL and Redis: the services mode.
    In CI a missing redis-server is a failure, not a skip (the tests would never run)."""
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip("needs DATABASE_URL (PostgreSQL) and REDIS_URL: the services mode")
    if shutil.which("redis-server") is None:
        if os.environ.get("CI"):
            pytest.fail("the fault tests start their own redis-server, and none is on PATH")
        pytest.skip("the fault tests start their own redis-server, and none is on PATH")


def wait_for(condition, *, timeout=30.0, message="condition", every=0.1):
    """Poll until condition() is true; fail naming what did not happen by the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {message}")
        time.sleep(every)


def _port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class RedisServer:
    """`redis-server` in a subprocess on a fixed port, so that it can be killed and started
    again where the clients expect it. Nothing is saved: a restart starts empty, as a Redis
    without persistence does after a crash."""

    def __init__(self, log_path: Path):
        self.log_path = log_path
        self.process = None
        self.port = next((port for port in PORTS if _port_is_free(port)), None)
        if self.port is None:
            raise RuntimeError(f"no free port for a test Redis in {PORTS.start}–{PORTS.stop - 1}")

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def ping(self) -> bool:
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.5, socket_timeout=0.5)
        try:
            return client.ping()
        except redis.RedisError:
            return False
        finally:
            client.close()

    def start(self):
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
                + ["--daemonize", "no"],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_for(lambda: self.ping() or self.process.poll() is not None, timeout=10, message="redis-server")
        if self.process.poll() is not None:
            raise RuntimeError(f"redis-server did not start:\n{self.log_path.read_text()}")

    def kill(self):
        """Stop at once (SIGKILL): connections drop, nothing is flushed."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        wait_for(lambda: not self.ping(), timeout=5, message="redis-server to stop")

    def restart(self):
        self.kill()
        wait_for(lambda: _port_is_free(self.port), timeout=10, message=f"port {self.port} to be free")
        self.start()


class LiveReader:
    """What static/js/thread.js does with /ws/threads/<id>/, in Python: on every (re)connection
    it says hello with the highest message id and thread revision it has, and it keeps each
    message once by id (a newer revision replaces an older copy). `frames` keeps everything
    received, to check that nothing arrived twice where it should not."""

    def __init__(self, cookie: str, thread_pk: int):
        self.cookie = cookie
        self.thread_pk = thread_pk
        self.last_id = 0
        self.revision = 0
        self.messages: dict[int, dict] = {}
        self.frames: list[dict] = []
        self.socket = None

    async def connect(self, address: str, *, timeout=10.0):
        """Open a socket to this server and catch up; returns the catch-up's message frames."""
        self.socket = await connect(
            f"ws://{address}/ws/threads/{self.thread_pk}/",
            additional_headers={"Cookie": self.cookie},
            origin=f"http://{address}",
            open_timeout=timeout,
        )
        await self.socket.send(json.dumps({"type": "hello", "last_id": self.last_id, "revision": self.revision}))
        caught_up = []
        while True:
            frame = await self.receive(timeout=timeout)
            if frame["type"] == "message":
                caught_up.append(frame)
            if frame["type"] == "caught-up":
                return caught_up

    async def reconnect(self, address: str, *, timeout=30.0):
        """Try again every 0.2 s until a connection is open and caught up (the page backs off
        with jitter; the test only needs the deadline)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                return await self.connect(address, timeout=5)
            except Exception as error:  # refused, closed, not caught up in time
                await self.close()
                if time.monotonic() > deadline:
                    raise AssertionError(f"could not reconnect to {address}: {error!r}") from error
                await asyncio.sleep(0.2)

    async def receive(self, *, timeout=10.0) -> dict:
        frame = json.loads(await asyncio.wait_for(self.socket.recv(), timeout))
        self.frames.append(frame)
        if frame["type"] in {"message", "message.posted", "message.edited", "message.hidden", "message.restored"}:
            known = self.messages.get(frame["id"])
            if known is None or known["revision"] <= frame["revision"]:
                self.messages[frame["id"]] = frame
            self.last_id = max(self.last_id, frame["id"])
            self.revision = max(self.revision, frame["revision"])
        elif frame["type"] == "caught-up":
            self.revision = max(self.revision, frame["revision"])
        return frame

    async def wait_for_message(self, message_id: int, *, timeout=10.0) -> dict:
        deadline = time.monotonic() + timeout
        while message_id not in self.messages:
            await self.receive(timeout=max(0.01, deadline - time.monotonic()))
        return self.messages[message_id]

    async def close(self):
        if self.socket is not None:
            try:
                await self.socket.close()
            except Exception:  # already gone with its server
                pass
            self.socket = None

    def received_ids(self, *types: str) -> list[int]:
        return [frame["id"] for frame in self.frames if frame["type"] in types]


class Poster:
    """A signed-in browser that posts to a discussion with the page's form (fetch asks for
    JSON): loads the page once for the CSRF cookie and token, then posts."""

    def __init__(self, cookie: str, thread_pk: int):
        self.cookie = cookie
        self.thread_pk = thread_pk
        self.csrf = None

    def _open(self, request, timeout):
        try:
            response = urllib.request.urlopen(request, timeout=timeout)
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode(errors="replace")
        with response:
            return response.status, response.headers, response.read().decode(errors="replace")

    def get(self, address: str, path: str, *, timeout=20.0) -> tuple[int, str]:
        request = urllib.request.Request(f"http://{address}{path}", headers={"Cookie": self.cookie})
        status, headers, body = self._open(request, timeout)
        return status, body

    def load_page(self, address: str):
        status, headers, body = self._open(
            urllib.request.Request(f"http://{address}/threads/{self.thread_pk}/", headers={"Cookie": self.cookie}), 20
        )
        assert status == 200, body
        cookie = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"]).group(1)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
        self.csrf = (cookie, token)

    def post(self, address: str, body: str, *, timeout=20.0) -> tuple[int, str]:
        """Post a message; returns the status and the response body (JSON on 201)."""
        if self.csrf is None:
            self.load_page(address)
        cookie, token = self.csrf
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "body": body}).encode()
        request = urllib.request.Request(
            f"http://{address}/threads/{self.thread_pk}/messages/",
            data=form,
            headers={"Cookie": f"{self.cookie}; csrftoken={cookie}", "Accept": "application/json"},
        )
        status, _headers, text = self._open(request, timeout)
        return status, text

    def post_ok(self, address: str, body: str) -> int:
        """Post and insist on success, as the person sees it; returns the new message's id."""
        status, text = self.post(address, body)
        assert status == 201, f"posting answered {status}:\n{text[:3000]}"
        return json.loads(text)["id"]
