"""WebSocket listeners and HTTP posters for the live scenarios (bench/fanout.py)."""

import asyncio
import json
import re
import time
from urllib.parse import quote

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from bench.common import HttpConnection

TOKEN = re.compile(r"bench-[a-z]+-\d+")
CSRF = "benchcsrftoken0123456789abcdefgh"  # 32 characters: Django takes an unmasked secret


class Listener:
    """One browser tab on a discussion: answers the server's pings, notes when each
    message.posted frame carrying a bench token arrives."""

    def __init__(self, port: int, thread_pk: int, cookie: str):
        self.url = f"ws://127.0.0.1:{port}/ws/threads/{thread_pk}/"
        self.origin = f"http://127.0.0.1:{port}"
        self.cookie = cookie
        self.receipts: dict[str, list[float]] = {}
        self.last_frame = time.monotonic()
        self.frames = 0
        self.closed_by_server = False
        self.close_code = None

    async def open(self) -> None:
        self.socket = await connect(
            self.url,
            additional_headers={"Cookie": self.cookie},
            origin=self.origin,
            ping_interval=None,
            max_queue=None,
            open_timeout=60,
            max_size=2**22,
        )
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            async for raw in self.socket:
                now = time.monotonic()
                self.last_frame, self.frames = now, self.frames + 1
                frame = json.loads(raw)
                kind = frame.get("type")
                if kind == "message.posted":
                    if match := TOKEN.search(frame.get("html", "")):
                        self.receipts.setdefault(match.group(0), []).append(now)
                elif kind == "ping":
                    await self.socket.send('{"type": "pong"}')
        except ConnectionClosed:
            pass
        self.closed_by_server = True
        self.close_code = self.socket.close_code

    async def close(self) -> None:
        self.closed_by_server = False
        await self.socket.close()
        await self.reader


async def open_all(listeners, *, batch: int = 20, pause: float = 0.1) -> list:
    """Open every listener, `batch` at a time; returns (and drops from `listeners`) the ones
    whose handshake failed, so a scenario counts them instead of stopping."""
    failed = []
    for start in range(0, len(listeners), batch):
        chunk = listeners[start : start + batch]
        results = await asyncio.gather(*(listener.open() for listener in chunk), return_exceptions=True)
        failed += [listener for listener, result in zip(chunk, results, strict=True) if result is not None]
        await asyncio.sleep(pause)
    for listener in failed:
        listeners.remove(listener)
    return failed


async def settle(listeners, *, quiet: float = 1.5, limit: float = 60) -> None:
    """Wait until no frame (presence updates after connecting) came for `quiet` seconds."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if time.monotonic() - max(listener.last_frame for listener in listeners) > quiet:
            return
        await asyncio.sleep(0.2)


async def wait_for(listeners, tokens, *, limit: float = 20) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if all(all(token in listener.receipts for token in tokens) for listener in listeners):
            return
        await asyncio.sleep(0.1)


def tally(listeners, sent: dict[str, float]) -> dict:
    """Latency of every (message, listener) pair, and the pairs lost or received twice."""
    latencies, lost, duplicated = [], 0, 0
    for listener in listeners:
        for token, at in sent.items():
            times = listener.receipts.get(token, [])
            if not times:
                lost += 1
            else:
                latencies.append(times[0] - at)
                duplicated += len(times) - 1
    return {"latencies": latencies, "lost": lost, "duplicated": duplicated}


class Poster:
    """Posts messages to a discussion as the thread page's fetch does (form POST, JSON back)."""

    def __init__(self, port: int, thread_pk: int, cookie: str, *, path: str = ""):
        self.path = path or f"/threads/{thread_pk}/messages/"
        self.connection = HttpConnection(port, f"{cookie}; csrftoken={CSRF}")
        self.lock = asyncio.Lock()

    async def post(self, text: str) -> tuple[int, float, float]:
        """(status, when the request left, how long the answer took)."""
        async with self.lock:
            start = time.monotonic()
            status, _body = await self.connection.request(
                "POST",
                self.path,
                body=f"body={quote(text)}".encode(),
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Accept": "application/json",
                    "X-CSRFToken": CSRF,
                },
            )
            return status, start, time.monotonic() - start


async def paced(count: int, rate: float, action) -> list:
    """Start action(i) for i in range(count) at a steady `rate` per second; gather the results."""
    start, tasks = time.monotonic(), []
    for i in range(count):
        delay = start + i / rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(action(i)))
    return await asyncio.gather(*tasks)
