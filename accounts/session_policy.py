"""How long a signed-in session lasts, and what a session has proved.

A session ends after SESSION_IDLE_MINUTES without a request, and SESSION_LIFETIME_HOURS after
signing in however busy it was; facilitators and staff (accounts.access.is_privileged) have the
shorter PRIVILEGED_ pair (config/settings.py). The session carries two timestamps for that,
set when the person signs in (Django's user_logged_in) and, for "last seen", moved on by
accounts.middleware.SessionLifetimeMiddleware at most once a minute (so that not every request
writes the session). A WebSocket is not activity: a live page left open still times out.

Setting up an authenticator app proves possession of it just as entering its code at sign-in
does, so the session that set it up counts as having passed two-factor (accounts.access.
two_factor_owed) instead of being sent to sign in again at once (accounts/receivers.py).
"""

from django.conf import settings

from accounts.access import is_privileged

SIGNED_IN_AT = "accounts_signed_in_at"
SEEN_AT = "accounts_seen_at"
SEEN_RESOLUTION_SECONDS = 60


def session_limits(user) -> tuple[int, int]:
    """(idle, lifetime) in seconds for this person's sessions."""
    if is_privileged(user):
        return settings.PRIVILEGED_SESSION_IDLE_MINUTES * 60, settings.PRIVILEGED_SESSION_LIFETIME_HOURS * 3600
    return settings.SESSION_IDLE_MINUTES * 60, settings.SESSION_LIFETIME_HOURS * 3600


def stamp_sign_in(session, now: float) -> None:
    session[SIGNED_IN_AT] = now
    session[SEEN_AT] = now


def is_session_expired(user, session, now: float) -> bool:
    """Whether the signed-in session has been idle too long or lived too long. A session without
    the timestamps (one from before they existed) is not expired; the middleware stamps it."""
    signed_in_at, seen_at = session.get(SIGNED_IN_AT), session.get(SEEN_AT)
    if not isinstance(signed_in_at, int | float) or not isinstance(seen_at, int | float):
        return False
    idle, lifetime = session_limits(user)
    return now - seen_at > idle or now - signed_in_at > lifetime


def note_activity(session, now: float) -> None:
    """A request came: move "last seen" on (at most once a minute), stamp an unstamped session."""
    if SIGNED_IN_AT not in session:
        stamp_sign_in(session, now)
    elif now - session.get(SEEN_AT, 0) >= SEEN_RESOLUTION_SECONDS:
        session[SEEN_AT] = now
