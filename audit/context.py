"""The request's client address for audit rows, without threading `request` through every
service function: the middleware sets it for the duration of one request. A ContextVar: under
ASGI the view runs in a thread with a copy of the request's context, so it sees the address
that the middleware set on the event loop."""

from contextlib import contextmanager
from contextvars import ContextVar

from asgiref.sync import iscoroutinefunction
from django.utils.decorators import sync_and_async_middleware

from core.client_ip import client_ip

_client_ip: ContextVar[str | None] = ContextVar("audit_client_ip", default=None)


def current_ip() -> str | None:
    return _client_ip.get()


@contextmanager
def _client_ip_of(request):
    # The address allauth's rate limits count too (accounts/adapter.py).
    token = _client_ip.set(client_ip(request))
    try:
        yield
    finally:
        _client_ip.reset(token)


@sync_and_async_middleware
def AuditContextMiddleware(get_response):
    if iscoroutinefunction(get_response):

        async def async_middleware(request):
            with _client_ip_of(request):
                return await get_response(request)

        return async_middleware

    def middleware(request):
        with _client_ip_of(request):
            return get_response(request)

    return middleware
