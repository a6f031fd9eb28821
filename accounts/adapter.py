from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied
from django.utils import translation

from core.client_ip import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # New people start in the language they signed up in.
        user.language = translation.get_language() or "sv"
        if user.language not in ("sv", "en"):
            user.language = "sv"
        return super().save_user(request, user, form, commit=commit)

    def get_client_ip(self, request):
        """The address allauth's rate limits count (and its e-mails name): the audit log's, by
        settings.TRUSTED_PROXY_COUNT. allauth's own rule (ALLAUTH_TRUSTED_PROXY_COUNT) answers a
        header with fewer hops than proxies with an error page instead of REMOTE_ADDR."""
        address = client_ip(request)
        if address is None:  # as allauth does
            raise PermissionDenied("Unable to determine client IP address")
        return address
