"""The request's client address for audit rows, without threading `request` through every
service function: the middleware sets it for the duration of one request."""

from contextvars import ContextVar

from core.client_ip import client_ip

_client_ip: ContextVar[str | None] = ContextVar("audit_client_ip", default=None)


def current_ip() -> str | None:
    return _client_ip.get()


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The address allauth's rate limits count too (accounts/adapter.py).
        token = _client_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            _client_ip.reset(token)
