"""One gate in front of every WebSocket route (config/asgi.py wraps the router in it, inside
AuthMiddlewareStack): a socket opens only for a session in good standing, by the same rules as
the pages' middleware. The consumers then decide what the person may read."""

import time

from accounts.access import two_factor_owed
from accounts.session_policy import is_session_expired
from core.sockets import with_database

SIGN_IN_AGAIN = 4401  # the code the consumers give a signed-out visitor


@with_database
def _must_sign_in_again(user, session) -> bool:
    if user is None or not user.is_authenticated or session is None:
        return False  # the consumer refuses signed-out visitors itself
    return is_session_expired(user, session, time.time()) or two_factor_owed(user, session) is not None


class SessionGate:
    """Closes the handshake of a signed-in session that has expired, or whose person must pass
    two-factor authentication and has not in this session (accounts.access.two_factor_owed)."""

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and await _must_sign_in_again(scope.get("user"), scope.get("session")):
            await receive()  # the handshake's websocket.connect
            await send({"type": "websocket.close", "code": SIGN_IN_AGAIN})
            return
        return await self.inner(scope, receive, send)
