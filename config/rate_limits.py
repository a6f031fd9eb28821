"""Rate limits on what people send, counted per person in the shared cache (Redis in the
services mode, so every server process counts together). Sign-in, sign-up and password resets
are limited by allauth (ACCOUNT_RATE_LIMITS), thread messages by dialogues.thread_services."""

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

# action → (attempts, window in seconds, the message for people)
LIMITS = {
    "question": (10, 10 * 60, _("You have asked many questions in a short time. Wait a few minutes and ask again.")),
    "upload": (20, 10 * 60, _("You have uploaded many files in a short time. Wait a few minutes and try again.")),
}


def within_limit(*, user, action: str) -> bool:
    """Count one attempt; False once the person has made more than the action's limit in the
    window that began with the first of them."""
    limit, window, _message = LIMITS[action]
    key = f"rate:{action}:{user.pk}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)  # keeps the key's expiry: the window runs from the first attempt
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit


def refusal(action: str) -> str:
    return str(LIMITS[action][2])
