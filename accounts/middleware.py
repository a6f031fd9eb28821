import time
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from accounts.access import TWO_FACTOR_SET_UP, TWO_FACTOR_SIGN_IN, two_factor_owed
from accounts.session_policy import is_session_expired, note_activity

# Paths a facilitator or staff member without an authenticator app may still reach while setting
# one up: allauth's own pages (where it is set up, and sign-out), static files, the language
# switch, health, the accessibility statement.
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


def _sign_in_again(request, message: str):
    """Sign the session out and send the person to sign in, back here afterwards if this was a
    page (GET); a form post comes back to the page it was sent from, when that is ours."""
    if request.method == "GET":
        next_url = request.get_full_path()
    else:
        referer = request.headers.get("Referer", "")
        same_site = url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure())
        next_url = urlsplit(referer)._replace(scheme="", netloc="").geturl() if same_site else ""
    logout(request)
    messages.info(request, message)
    if next_url.startswith(reverse("account_login")):
        next_url = ""
    return redirect_to_login(next_url) if next_url else redirect("account_login")


class SessionLifetimeMiddleware:
    """Ends a signed-in session that was idle too long or has lived too long
    (accounts/session_policy.py); the person signs in again and comes back to the page. Asking how
    long is left (accounts:session-status) is not activity: a tab left open asks before it warns."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            asks_time_left = request.path == reverse("accounts:session-status")
            if is_session_expired(user, request.session, now):
                if not asks_time_left:
                    return _sign_in_again(
                        request, _("You were signed out because your session expired. Sign in again to continue.")
                    )
                logout(request)  # the page that asked says so itself, and keeps what was typed in it
            elif not asks_time_left:
                note_activity(request.session, now)
        return self.get_response(request)


class TwoFactorMiddleware:
    """Facilitators and staff: set up an authenticator app before anything else, and a session
    that has one but did not enter its code is signed out (accounts.access.two_factor_owed)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            owed = two_factor_owed(user, request.session)
            if owed == TWO_FACTOR_SIGN_IN:
                return _sign_in_again(
                    request, _("Sign in again and enter the code from your authenticator app to continue.")
                )
            if owed == TWO_FACTOR_SET_UP and not request.path.startswith(_MFA_SETUP_ALLOWED):
                return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
