"""What every scenario shares: its own database, the platform's processes as in production
(several processes of the production web server, scripts/web, on one pre-bound socket, the
Redis channel layer, a Celery worker), a WSGI server on the same settings for comparison, a
small keep-alive HTTP client for loopback load, wrk when it is installed, and percentiles.

A scenario runs in the driver process, which seeds the data through Django (bench.settings)
and drives the servers over 127.0.0.1 only; every loop is bounded in count and time.
"""

import asyncio
import itertools
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bg_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0", "false")
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))


def _database_named(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def setup(scenario: str, *, layer: str = "pubsub") -> None:
    """Give the scenario a fresh database bg_bench_<scenario>, copied from the migrated base
    database (DATABASE_URL, bg_bench by default), and set Django up on bench.settings."""
    import psycopg

    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ.setdefault("REDIS_URL", DEFAULT_REDIS_URL)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["BENCH_CHANNEL_LAYER"] = layer
    base_url = os.environ["DATABASE_URL"]
    base = urlsplit(base_url).path.lstrip("/")
    target = f"{base}_{scenario}"
    admin_url = _database_named(base_url, "postgres")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [base]).fetchone():
            admin.execute(f'CREATE DATABASE "{base}"')
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": base_url},
        check=True,
    )
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{target}" TEMPLATE "{base}"')
    os.environ["DATABASE_URL"] = _database_named(base_url, target)
    import django

    django.setup()


def percentile(values, fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def spread(seconds) -> dict:
    """p50/p95/p99 and the maximum, in milliseconds."""
    values = list(seconds)
    return {
        "count": len(values),
        "p50_ms": round(percentile(values, 0.50) * 1000, 2),
        "p95_ms": round(percentile(values, 0.95) * 1000, 2),
        "p99_ms": round(percentile(values, 0.99) * 1000, 2),
        "max_ms": round(max(values) * 1000, 2) if values else float("nan"),
    }


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def process_tree(pid: int) -> list[int]:
    """The process and its descendants."""
    found = [pid]
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                found += process_tree(int(child))
    except OSError:
        pass
    return found


def raise_file_limit(wanted: int = 16384) -> None:
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))


class Platform:
    """`workers` web server processes accepting on one socket bound here, and optionally one
    Celery worker, all on bench.settings and the scenario's database.

    server="web": the production server, scripts/web (uvicorn), one process each (--fd);
    server="daphne": daphne --fd with `application` (what `manage.py runserver` serves; the
    record scenario compares daphne with and without config/daphne_flow.py);
    server="uvicorn": uvicorn with the production server's options serving `application`;
    server="wsgi": gunicorn's synchronous workers on config.wsgi (the WSGI baseline)."""

    def __init__(
        self,
        *,
        workers: int = WORKERS,
        celery: bool = True,
        extra_env: dict | None = None,
        server: str = "web",
        application: str = "config.asgi:application",
    ):
        self.workers, self.celery, self.server, self.application = workers, celery, server, application
        self.env = {**os.environ, **(extra_env or {})}
        self.processes: list[subprocess.Popen] = []
        self.servers: list[subprocess.Popen] = []
        self.log = tempfile.NamedTemporaryFile(prefix="bench-servers-", suffix=".log", delete=False)

    def __enter__(self):
        raise_file_limit()
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(4096)
        self.socket.set_inheritable(True)
        self.port = self.socket.getsockname()[1]
        fd = self.socket.fileno()
        if self.server in ("web", "uvicorn"):
            # uvicorn takes a socket passed by descriptor for a Unix socket and then leaves
            # Nagle's algorithm on (40 ms stalls): it binds the port itself, as in production.
            self.socket.close()
        for command, env in self._server_commands(fd):
            process = subprocess.Popen(
                command, cwd=ROOT, env=env, pass_fds=(fd,), stdout=self.log, stderr=subprocess.STDOUT
            )
            self.processes.append(process)
            self.servers.append(process)
        if self.celery:
            self.processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "celery",
                        "-A",
                        "config",
                        "worker",
                        "--concurrency=1",
                        "--loglevel=WARNING",
                        "--without-gossip",
                        "--without-mingle",
                    ],
                    cwd=ROOT,
                    env=self.env,
                    stdout=self.log,
                    stderr=subprocess.STDOUT,
                )
            )
        try:
            self._wait_until_up()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _server_commands(self, fd: int):
        if self.server == "wsgi":
            # One master with `workers` synchronous workers (the master only supervises).
            command = [sys.executable, "-m", "gunicorn", "--bind", f"fd://{fd}", "--workers", str(self.workers)]
            return [([*command, "--log-level", "warning", "config.wsgi:application"], self.env)]
        if self.server == "daphne":
            command = [sys.executable, "-m", "daphne", "--fd", str(fd), "-v", "0", self.application]
            return [(command, self.env)] * self.workers
        if self.server == "uvicorn":  # `application` on uvicorn with the production server's options
            command = [sys.executable, "-m", "uvicorn", self.application, "--workers", str(self.workers)]
            command += ["--loop", "uvloop", "--http", "httptools", "--ws", "websockets-sansio", "--lifespan", "off"]
            command += ["--no-access-log", "--log-level", "warning", "--host", "127.0.0.1", "--port", str(self.port)]
            return [(command, self.env)]
        env = {**self.env, "PYTHON": sys.executable, "WEB_CONCURRENCY": str(self.workers), "WEB_LOG_LEVEL": "warning"}
        env |= {"HOST": "127.0.0.1", "PORT": str(self.port)}
        return [([str(ROOT / "scripts" / "web")], env)]

    def _wait_until_up(self) -> None:
        deadline, answered = time.monotonic() + 60, 0
        while answered < 4 * self.workers:
            if any(p.poll() is not None for p in self.processes) or time.monotonic() > deadline:
                raise RuntimeError(f"the platform did not start; see {self.log.name}:\n{self.tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/bench/bare/", timeout=5) as response:
                    answered += response.status == 200
            except OSError:
                time.sleep(0.3)
        if self.celery:
            from config.celery import app

            while not app.control.ping(timeout=1.0):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the Celery worker did not answer; see {self.log.name}:\n{self.tail()}")

    def tail(self) -> str:
        return Path(self.log.name).read_text(errors="replace")[-4000:]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def server_rss_kib(self) -> int:
        """Resident memory of the web server processes together (a supervisor's children too)."""
        return sum(rss_kib(pid) for process in self.servers for pid in process_tree(process.pid))

    def __exit__(self, *exc):
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.socket.close()
        return False


# --- a keep-alive HTTP/1.1 client over loopback -------------------------------------------


# The production server closes a keep-alive connection idle for 5 s (uvicorn's default): a
# connection idle for longer than this is opened again before a request, as a browser or a proxy
# does, rather than racing the server's close (a request written as it closes is lost).
IDLE_REOPEN_SECONDS = 4.0


class HttpConnection:
    def __init__(self, port: int, cookie: str = ""):
        self.port, self.cookie = port, cookie
        self.reader = self.writer = None
        self.used_at = 0.0

    async def _open(self):
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    async def close(self):
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None

    async def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None):
        """(status, body); reconnects when the server closed the connection."""
        if self.writer is not None and time.monotonic() - self.used_at > IDLE_REOPEN_SECONDS:
            await self.close()
        if self.writer is None:
            await self._open()
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}"]
        if self.cookie:
            lines.append(f"Cookie: {self.cookie}")
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        if body or method != "GET":
            lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        fields = {}
        for line in head.decode("latin-1").split("\r\n")[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                fields[name.strip().lower()] = value.strip().lower()
        if status in (204, 304):  # no body, whatever the headers say
            content = b""
        elif "content-length" in fields:
            content = await self.reader.readexactly(int(fields["content-length"]))
        elif fields.get("transfer-encoding") == "chunked":
            parts = []
            while True:
                size = int((await self.reader.readline()).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readline()
                    break
                parts.append(await self.reader.readexactly(size))
                await self.reader.readexactly(2)
            content = b"".join(parts)
        else:
            content = await self.reader.read()
            fields["connection"] = "close"
        self.used_at = time.monotonic()
        if fields.get("connection") == "close":
            await self.close()
        return status, content


async def load(
    port: int,
    path: str | list[str],
    *,
    cookie: str,
    concurrency: int,
    seconds: float,
    warmup: float = 1.5,
    headers: dict | None = None,
    expect: int = 200,
) -> dict:
    """`concurrency` connections each asking for `path` again and again (or, given a list, for
    its paths in turn): requests per second and latency over `seconds` after a warm-up; any
    status but `expect` is an error."""
    latencies: list[float] = []
    errors: dict[int, int] = {}
    start = time.monotonic()
    measure_from, stop_at = start + warmup, start + warmup + seconds
    paths = itertools.cycle([path] if isinstance(path, str) else path)

    async def user():
        connection = HttpConnection(port, cookie)
        try:
            while (now := time.monotonic()) < stop_at:
                status, _body = await connection.request("GET", next(paths), headers=headers)
                done = time.monotonic()
                if now >= measure_from:
                    latencies.append(done - now)
                    if status != expect:
                        errors[status] = errors.get(status, 0) + 1
        finally:
            await connection.close()

    await asyncio.gather(*(user() for _ in range(concurrency)))
    return {
        "requests_per_s": round(len(latencies) / seconds, 1),
        "errors": sum(errors.values()),
        "error_statuses": errors,
        **spread(latencies),
    }


# --- wrk, when it is installed (Debian's package wrk) -----------------------------------------

_WRK_REPORT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("BENCH %d %d %d %d %d %d %d\\n", summary.requests, summary.duration, errors,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def check_page(port: int, path: str, *, cookie: str, expect: bytes | None = None) -> None:
    """Fail unless path answers 200 itself (not a redirect, which wrk counts as a success: a
    cookie that signs nobody in would measure the sign-in page) and, given expect, shows it."""

    class NoRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirects)
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Cookie": cookie})
    try:
        with opener.open(request, timeout=30) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, b""
    if status != 200 or (expect is not None and expect not in body):
        raise RuntimeError(f"{path} answered {status}{'' if status != 200 else ' without ' + repr(expect)}")


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def wrk_load(port: int, path: str, *, cookie: str, concurrency: int, seconds: float, warmup: float = 1.5) -> dict:
    """What `load` measures, with wrk (C, one thread, keep-alive connections) as the client,
    so that the client costs the machine far less than the server it measures. Any status
    other than 2xx/3xx, and any socket error, is an error (a redirect is not: check_page).
    warmup=0: no warm-up run."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_WRK_REPORT)
    url = f"http://127.0.0.1:{port}{path}"

    def run(duration: float) -> str:
        command = ["wrk", "-t1", f"-c{concurrency}", f"-d{max(1, round(duration))}s", "--timeout", "10s"]
        command += ["-H", f"Cookie: {cookie}", "-s", script.name, url]
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout

    try:
        if warmup > 0:
            run(warmup)
        output = run(seconds)
    finally:
        os.unlink(script.name)
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    requests, duration_us, errors, p50, p95, p99, worst = (int(v) for v in line.split()[1:])
    return {
        "requests_per_s": round(requests / (duration_us / 1e6), 1),
        "errors": errors,
        "error_statuses": {},
        "count": requests,
        "p50_ms": round(p50 / 1000, 2),
        "p95_ms": round(p95 / 1000, 2),
        "p99_ms": round(p99 / 1000, 2),
        "max_ms": round(worst / 1000, 2),
    }
