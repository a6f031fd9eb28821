"""How long a signed-in session lasts, and what a session has proved.

A session ends after SESSION_IDLE_MINUTES without a request, and SESSION_LIFETIME_HOURS after
signing in however busy it was; facilitators and staff (accounts.access.is_privileged) have the
shorter PRIVILEGED_ pair (config/settings.py). The session carries two timestamps for that,
set when the person signs in (Django's user_logged_in) and, for "last seen", moved on by
accounts.middleware.SessionLifetimeMiddleware at most once a minute (so that not every request
writes the session). A WebSocket is not activity: a live page left open still times out.

WCAG 2.2.1 asks for a warning before a time limit shorter than 20 hours, and a way to extend it:
every signed-in page carries the time left (time_left), static/js/session-timeout.js warns
SESSION_WARNING_SECONDS before the end, asks the server again first (accounts:session-status,
which is not activity, so that another tab's activity counts), and "Stay signed in" moves "last
seen" on (stay_signed_in). The lifetime cannot be moved: when it comes first, the warning says when.

Setting up an authenticator app proves possession of it just as entering its code at sign-in
does, so the session that set it up counts as having passed two-factor (accounts.access.
two_factor_owed) instead of being sent to sign in again at once (accounts/receivers.py).
"""

from dataclasses import dataclass

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


@dataclass(frozen=True)
class TimeLeft:
    seconds: int  # until the session ends, by whichever limit comes first; 0 when it has ended
    extendable: bool  # False when the lifetime comes first: staying signed in cannot move it


def time_left(user, session, now: float) -> TimeLeft:
    """How long this signed-in session has before it ends, as is_session_expired decides it. A
    session without the timestamps has its whole time ahead (the middleware stamps it now)."""
    idle, lifetime = session_limits(user)
    signed_in_at, seen_at = session.get(SIGNED_IN_AT), session.get(SEEN_AT)
    if not isinstance(signed_in_at, int | float) or not isinstance(seen_at, int | float):
        signed_in_at = seen_at = now
    until_idle = seen_at + idle - now
    until_lifetime = signed_in_at + lifetime - now
    return TimeLeft(seconds=max(0, int(min(until_idle, until_lifetime))), extendable=until_idle < until_lifetime)


def stay_signed_in(session, now: float) -> None:
    """The person asked to stay signed in: move "last seen" on now (not only once a minute)."""
    session[SEEN_AT] = now
