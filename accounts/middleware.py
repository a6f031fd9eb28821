from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

from accounts.access import needs_two_factor

# Paths a facilitator without two-factor authentication may still reach: allauth's own
# pages (where MFA is set up, and sign-out), static files, the language switch, health.
_MFA_SETUP_ALLOWED = ("/accounts/", "/static/", "/language/", "/health/", "/accessibility/")


class UserLanguageMiddleware:
    """A signed-in user's saved language wins over the browser's and the cookie's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


class FacilitatorMfaMiddleware:
    """Facilitators must set up TOTP before anything else (accounts.access.needs_two_factor)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and not request.path.startswith(_MFA_SETUP_ALLOWED) and needs_two_factor(user):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
