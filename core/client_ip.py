"""The address a request came from, as the audit log and the sign-in rate limits see it: one rule
for both, set by settings.TRUSTED_PROXY_COUNT.

Each proxy of ours in front of the web server (a TLS terminator, a load balancer) appends the
address it was reached from to X-Forwarded-For. Behind N of them the client's address is the Nth
from the right; whatever stands left of it anyone could have written, the client included. With
no proxy (0), or a header with fewer hops than that (a request that did not pass them all), it is
REMOTE_ADDR, the address that connected to the web server, which no header changes: daphne runs
without --proxy-headers, which would put the leftmost, client-written address there instead.
"""

import ipaddress

from django.conf import settings


def _address(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip())) if value else None
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address, or None when the request has none (a test without REMOTE_ADDR)."""
    connected = _address(request.META.get("REMOTE_ADDR"))
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return connected
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if len(hops) < proxies:
        return connected
    # Written by the outermost proxy of ours; not an address only if the count is wrong.
    return _address(hops[-proxies]) or connected
