"""The application tests/test_daphne_flow.py has real servers (daphne, uvicorn) serve: TOTAL
bytes in CHUNK-sized body messages, as fast as `send` returns, with the platform's flow control
for daphne installed as config/asgi.py installs it (when the server imports the application). How far it got
goes into the file FLOW_PROGRESS names, for the test to read."""

import os

from config import daphne_flow

CHUNK = 64 * 1024
TOTAL = 128 * 1024 * 1024

daphne_flow.install()


async def application(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"%d" % TOTAL)]})
    chunk = b"\0" * CHUNK
    progress = os.open(os.environ["FLOW_PROGRESS"], os.O_WRONLY)
    try:
        for sent in range(CHUNK, TOTAL + 1, CHUNK):
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
            os.pwrite(progress, b"%020d" % sent, 0)
    finally:
        os.close(progress)
    await send({"type": "http.response.body", "body": b"", "more_body": False})
