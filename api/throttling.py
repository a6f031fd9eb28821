"""How often one client may ask: settings.API_RATE_LIMIT requests per client address, counted in
the shared cache (Redis with REDIS_URL), so every server process counts together. Over it, the
client gets 429 with Retry-After (api/errors.py)."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from core.client_ip import client_ip


class ClientAddressThrottle(SimpleRateThrottle):
    scope = "api"

    def get_rate(self):
        # Read at each request, not once at import as DRF's own rates are: tests and operators
        # change it in settings.
        return settings.API_RATE_LIMIT

    def __init__(self):
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def allow_request(self, request, view):
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request) or "unknown"}
