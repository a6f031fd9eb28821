"""Nothing shown to a signed-in person is kept by a cache: every response to one says
`Cache-Control: private, no-store` (proposals, attachments, private discussions, exports, and the
site's header with their name on every other page). A browser's back button and a shared
computer's disk keep no copy, and no proxy serves one person's page to another.

Pages opened from a secret link (SECRET_LINK_PAGES: unsubscribing, resetting a password,
confirming an address, accepting an invitation, a calendar subscription) are private too, signed in or not: the link is
the key, and the page may name the person.

Other anonymous public pages keep their caching, and static files never reach this middleware
(WhiteNoise above it answers them). Downloads say it themselves too (core/streaming.py), so
they stay private wherever they are served from."""

from asgiref.sync import iscoroutinefunction
from django.utils.cache import patch_cache_control
from django.utils.decorators import sync_and_async_middleware
from django.utils.functional import empty

SECRET_LINK_PAGES = frozenset(
    {
        "notifications:unsubscribe",
        "account_reset_password_from_key",
        "account_reset_password_from_key_done",
        "account_confirm_email",
        "accounts:invitation-accept",
        "home:calendar-feed",
    }
)


def mark_private(response):
    patch_cache_control(response, private=True, no_store=True)
    return response


def _opened_from_a_secret_link(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and match.view_name in SECRET_LINK_PAGES


def _is_signed_in(request) -> bool:
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


async def _ais_signed_in(request) -> bool:
    user = getattr(request, "user", None)
    if user is None:
        return False
    if getattr(user, "_wrapped", None) is empty:
        # Nothing in the request asked who it is (request.user is lazy): ask without blocking.
        user = await request.auser()
    return user.is_authenticated


@sync_and_async_middleware
def PrivateResponsesMiddleware(get_response):
    """Below AuthenticationMiddleware in MIDDLEWARE: it reads request.user once the view ran
    (signing in and out change it on the way)."""
    if iscoroutinefunction(get_response):

        async def async_middleware(request):
            response = await get_response(request)
            private = _opened_from_a_secret_link(request) or await _ais_signed_in(request)
            return mark_private(response) if private else response

        return async_middleware

    def middleware(request):
        response = get_response(request)
        private = _opened_from_a_secret_link(request) or _is_signed_in(request)
        return mark_private(response) if private else response

    return middleware
