"""Rate limits on what people send, counted per person in the shared cache (Redis in the
services mode, so every server process counts together). Sign-in, sign-up and password resets
are limited by allauth (ACCOUNT_RATE_LIMITS), thread messages by discussions.services."""

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

# action → (attempts, window in seconds, the message for people)
LIMITS = {
    "question": (10, 10 * 60, _("You have asked many questions in a short time. Wait a few minutes and ask again.")),
    "upload": (20, 10 * 60, _("You have uploaded many files in a short time. Wait a few minutes and try again.")),
    # Calendar apps poll a subscription every 15 minutes or more seldom; this leaves room for a few.
    "calendar_feed": (60, 60 * 60, _("Your calendar link was read many times in a short time. Try again later.")),
    "outreach": (
        10,
        60 * 60,
        _("You have sent many messages to many people in the last hour. Wait a while and send it again."),
    ),
}


def count_attempt(key: str, *, window: int) -> int:
    """Count one attempt in the window of `window` seconds that began with the first of them;
    returns the attempts so far.

    Django's incr checks that the key exists and then INCRs it. When the window ends between
    the two, Redis' INCR makes the key again, without an expiry, and that counter would never
    end: bench/soak.py found people refused for good after their tenth message. So the
    attempt that finds itself the first one (re)starts the window."""
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)  # keeps the key's expiry: the window runs from the first attempt
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1
    if count == 1:
        cache.touch(key, window)
    return count


def within_limit(*, user, action: str) -> bool:
    """Count one attempt; False once the person has made more than the action's limit in the
    window that began with the first of them."""
    limit, window, _message = LIMITS[action]
    return count_attempt(f"rate:{action}:{user.pk}", window=window) <= limit


def refusal(action: str) -> str:
    return str(LIMITS[action][2])
