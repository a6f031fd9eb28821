"""The request's client address for audit rows, without threading `request` through every
service function: the middleware sets it for the duration of one request."""

from contextvars import ContextVar

from django.conf import settings

_client_ip: ContextVar[str | None] = ContextVar("audit_client_ip", default=None)


def client_ip_of(request) -> str | None:
    """REMOTE_ADDR, or the nearest X-Forwarded-For hop when the platform runs behind a proxy
    we trust (settings.AUDIT_TRUST_X_FORWARDED_FOR); a client cannot choose its own address."""
    if getattr(settings, "AUDIT_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR") or None


def current_ip() -> str | None:
    return _client_ip.get()


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _client_ip.set(client_ip_of(request))
        try:
            return self.get_response(request)
        finally:
            _client_ip.reset(token)
