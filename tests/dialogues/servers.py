"""Real web server processes on the test database, for tests that need more than the in-process
test client: two processes sharing the Redis channel layer, or a browser. They are the
production server, started as production starts it (scripts/web: uvicorn)."""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def require_shared_services():
    """Other processes can only share PostgreSQL (SQLite's test database lives in memory) and,
    for more than one process, the Redis channel layer."""
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip("needs DATABASE_URL (PostgreSQL) and REDIS_URL: the services mode")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


def web_command(
    *, port: int, workers: int = 1, app: str | None = None, env: dict | None = None
) -> tuple[list[str], dict]:
    """The command and environment that start scripts/web (the production server) with this
    interpreter on 127.0.0.1:port, on the test settings; serving `app` ("module:name") instead
    of config.asgi:application when given (tests/web_with_app)."""
    python = {"PYTHON": sys.executable}
    if app is not None:
        python = {
            "PYTHON": str(ROOT / "tests" / "web_with_app"),
            "WEB_TEST_PYTHON": sys.executable,
            "WEB_TEST_APP": app,
        }
    return [str(ROOT / "scripts" / "web")], {
        **os.environ,
        **python,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": str(workers),
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        **(env or {}),
    }


class WebProcess:
    """scripts/web (uvicorn, one process) on a free port of its own, on the test database and
    the given Redis (settings.REDIS_URL unless told otherwise)."""

    def __init__(self, *, redis_url: str | None = None, env: dict | None = None):
        self.env = env or {}
        self.port = free_port()
        self.address = f"127.0.0.1:{self.port}"
        self.redis_url = redis_url or settings.REDIS_URL
        self.process = None
        self.log = None

    def start(self):
        command, env = web_command(
            port=self.port, env={"DATABASE_URL": test_database_url(), "REDIS_URL": self.redis_url, **self.env}
        )
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                # /health/ answers 503 while Redis is down: any answer means the server is up.
                with urllib.request.urlopen(f"http://{self.address}/health/", timeout=2):
                    return
            except urllib.error.HTTPError:
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the web server did not start:\n{self.output()}") from None
                time.sleep(0.2)

    def output(self) -> str:
        """What the process wrote so far (kept after it stopped)."""
        if self.log is not None:
            self.log.seek(0)
            self.written = self.log.read().decode(errors="replace")
        return getattr(self, "written", "")

    def kill(self):
        """As when the machine under it fails: SIGKILL, no goodbye to the browsers."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.log is not None:
            self.output()
            self.log.close()
            self.log = None


@contextmanager
def web_process(*, redis_url: str | None = None, env: dict | None = None):
    """A started WebProcess; stopped on the way out, also when the test fails."""
    server = WebProcess(redis_url=redis_url, env=env)
    try:
        server.start()
        yield server
    except BaseException:
        print(f"--- the web server on {server.address} said:\n{server.output()[-20000:]}")  # shown with the failure
        raise
    finally:
        server.stop()


@contextmanager
def web_server():
    """Start the production web server on a free port; yield "host:port"; stop it."""
    with web_process() as server:
        yield server.address
