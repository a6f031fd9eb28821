"""A request body larger than settings.REQUEST_MAX_BYTES is answered with 413 and never read.

Django's own limit (DATA_UPLOAD_MAX_MEMORY_SIZE) leaves out uploaded files, which it streams to
disk however large they are. Under WSGI nothing reads a body before a view asks for it, so the
middleware's check of Content-Length is enough. Under ASGI, Django's handler reads the whole body
into a temporary file before any middleware runs: `LimitRequestBody` (config/asgi.py wraps
Django's application in it) hands Django an empty body instead of one that declares too much,
stops one without a length (chunked) at the cap, and marks the request so the middleware answers
413. Under daphne, Twisted receives a body before the application sees it:
config/daphne_body.py keeps it from storing more than the cap.
"""

import asyncio

from asgiref.sync import iscoroutinefunction, sync_to_async
from django.conf import settings
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.decorators import sync_and_async_middleware

# Set in the ASGI scope by LimitRequestBody when it stopped reading a body.
TOO_LARGE = "request_body_too_large"
_END_OF_BODY = {"type": "http.request", "body": b"", "more_body": False}


def declared_length(headers) -> int | None:
    """Content-Length from ASGI headers; None when there is none (or none that is a number)."""
    lengths = [value for name, value in headers if name.lower() == b"content-length"]
    if not lengths or not all(value.strip().isdigit() for value in lengths):
        return None
    return max(int(value) for value in lengths)


class _CappedReceive:
    """The application's `receive`: the body up to `max_bytes`, then the end of it."""

    def __init__(self, receive, scope, max_bytes: int):
        self.receive, self.scope, self.max_bytes = receive, scope, max_bytes
        self.received = 0
        self.cut = False

    async def __call__(self):
        if self.scope.get(TOO_LARGE):
            if not self.cut:
                self.cut = True
                return _END_OF_BODY
            # What follows the cut is not read at all: Django's handler waits here for a
            # disconnect, and stops waiting once its answer (the 413 page) is sent.
            await asyncio.Event().wait()
        message = await self.receive()
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            if self.received > self.max_bytes:
                self.scope[TOO_LARGE] = True
                return await self()
        return message


class LimitRequestBody:
    """ASGI middleware around Django's HTTP application (see the module's docstring)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        max_bytes = settings.REQUEST_MAX_BYTES
        scope = dict(scope)  # ours to mark; the server's stays as it was
        length = declared_length(scope.get("headers", []))
        scope[TOO_LARGE] = length is not None and length > max_bytes
        return await self.app(scope, _CappedReceive(receive, scope, max_bytes), send)


def is_body_too_large(request) -> bool:
    if getattr(request, "scope", {}).get(TOO_LARGE):
        return True
    length = request.META.get("CONTENT_LENGTH") or ""
    return length.isdigit() and int(length) > settings.REQUEST_MAX_BYTES


def too_large_page(request):
    context = {
        "limit": filesizeformat(settings.REQUEST_MAX_BYTES),
        "file_limit": filesizeformat(settings.GROUP_DOCUMENT_MAX_BYTES),
    }
    return render(request, "413.html", context, status=413)


@sync_and_async_middleware
def RequestBodyLimitMiddleware(get_response):
    """Answers 413 (templates/413.html, in the person's language) before the body is read.
    Nothing above it in MIDDLEWARE reads the body."""
    if iscoroutinefunction(get_response):

        async def async_middleware(request):
            if is_body_too_large(request):
                return await sync_to_async(too_large_page)(request)
            return await get_response(request)

        return async_middleware

    def middleware(request):
        if is_body_too_large(request):
            return too_large_page(request)
        return get_response(request)

    return middleware
