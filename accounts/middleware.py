"""The pages' rules about the signed-in person: their saved language, how long a session lasts,
two-factor authentication for facilitators and staff.

Each middleware works in both modes (Django's sync_and_async_middleware), so that under ASGI
Django runs the chain on the event loop instead of adapting it with a thread hop on the way in
and a blocked worker thread (async_to_sync) on the way down. The asynchronous branch asks who the
person is with request.auser() and keeps the answer as request.user (_auser); whatever still
reads the database (the person's roles, their authenticator, signing out) is one sync_to_async
call, and only for a signed-in person."""

import time
from urllib.parse import urlsplit

from asgiref.sync import iscoroutinefunction, sync_to_async
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.decorators import sync_and_async_middleware
from django.utils.functional import empty
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from accounts.access import TWO_FACTOR_SET_UP, TWO_FACTOR_SIGN_IN, two_factor_owed
from accounts.session_policy import is_session_expired, note_activity

# Paths a facilitator or staff member without an authenticator app may still reach while setting
# one up: allauth's own pages (where it is set up, and sign-out), static files, the language
# switch, health, the accessibility statement.
_MFA_SETUP_ALLOWED = ("/accounts/", "/static/", "/language/", "/health/", "/accessibility/")


def _is_signed_in(user) -> bool:
    return user is not None and user.is_authenticated


async def _auser(request):
    """request.user without blocking the event loop, kept as request.user: Django caches
    request.user and request.auser() apart, and the view (run in a thread) would otherwise read
    the session's user a second time. None without AuthenticationMiddleware."""
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is not empty:
        return user  # no user at all, or one that is known already
    user = await request.auser()
    request.user = user
    return user


def _use_saved_language(request, user) -> None:
    if _is_signed_in(user) and user.language:
        translation.activate(user.language)
        request.LANGUAGE_CODE = user.language


@sync_and_async_middleware
def UserLanguageMiddleware(get_response):
    """A signed-in user's saved language wins over the browser's and the cookie's."""
    if iscoroutinefunction(get_response):

        async def async_middleware(request):
            _use_saved_language(request, await _auser(request))
            return await get_response(request)

        return async_middleware

    def middleware(request):
        _use_saved_language(request, getattr(request, "user", None))
        return get_response(request)

    return middleware


def _answering_signed_in(answer, doc: str):
    """A middleware that asks answer(request, user) about every signed-in request: None goes on
    to the view, anything else is the response. answer reads the database (the person's roles,
    their authenticator), so under ASGI it is one sync_to_async call."""

    @sync_and_async_middleware
    def middleware_factory(get_response):
        if iscoroutinefunction(get_response):

            async def async_middleware(request):
                user = await _auser(request)
                if _is_signed_in(user) and (response := await sync_to_async(answer)(request, user)) is not None:
                    return response
                return await get_response(request)

            return async_middleware

        def middleware(request):
            user = getattr(request, "user", None)
            if _is_signed_in(user) and (response := answer(request, user)) is not None:
                return response
            return get_response(request)

        return middleware

    middleware_factory.__doc__ = doc
    return middleware_factory


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


def _session_lifetime_answer(request, user):
    """None to go on to the view, or the answer to a session that expired. Asking how long is left
    (accounts:session-status) is not activity, and the page that asked says itself that the
    session ended (and keeps what was typed in it)."""
    now = time.time()
    asks_time_left = request.path == reverse("accounts:session-status")
    if is_session_expired(user, request.session, now):
        if not asks_time_left:
            return _sign_in_again(
                request, _("You were signed out because your session expired. Sign in again to continue.")
            )
        logout(request)
    elif not asks_time_left:
        note_activity(request.session, now)
    return None


SessionLifetimeMiddleware = _answering_signed_in(
    _session_lifetime_answer,
    """Ends a signed-in session that was idle too long or has lived too long
    (accounts/session_policy.py); the person signs in again and comes back to the page.""",
)


def _two_factor_answer(request, user):
    """None to go on to the view, or where to send a session that owes two-factor."""
    owed = two_factor_owed(user, request.session)
    if owed == TWO_FACTOR_SIGN_IN:
        return _sign_in_again(request, _("Sign in again and enter the code from your authenticator app to continue."))
    if owed == TWO_FACTOR_SET_UP and not request.path.startswith(_MFA_SETUP_ALLOWED):
        return redirect(reverse("mfa_activate_totp"))
    return None


TwoFactorMiddleware = _answering_signed_in(
    _two_factor_answer,
    """Facilitators and staff: set up an authenticator app before anything else, and a session
    that has one but did not enter its code is signed out (accounts.access.two_factor_owed).""",
)
