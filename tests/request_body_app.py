"""The application tests/core/test_request_body.py has real servers (uvicorn and daphne) serve: the
platform's body cap installed as config/asgi.py installs it, around an application that reads
the body and answers with what it got and the process's peak memory."""

import json
import re
from pathlib import Path

from django.conf import settings

from config import daphne_body
from core.request_body import TOO_LARGE, LimitRequestBody

daphne_body.install(settings.REQUEST_MAX_BYTES)


def peak_mib() -> int:
    """The process's peak memory since it started the server. (Not getrusage's ru_maxrss: Linux keeps
    that across exec, so it would include the test process this one was forked from.)"""
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) // 1024


async def report(scope, receive, send):
    received = 0
    while True:
        message = await receive()
        received += len(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = {
        "received": received,
        "too_large": bool(scope.get(TOO_LARGE)),
        "peak_mib": peak_mib(),
    }
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": json.dumps(body).encode()})


application = LimitRequestBody(report)
