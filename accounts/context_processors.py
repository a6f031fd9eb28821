import re
import time

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from accounts.session_policy import time_left


def roles(request):
    """Role answers for the navigation, computed once per request and only if a template asks."""
    user = getattr(request, "user", None)

    def compute():
        if user is None or not user.is_authenticated:
            return {"is_facilitator": False, "can_act": False}
        return {"is_facilitator": user.is_facilitator, "can_act": user.can_act}

    return {"roles": SimpleLazyObject(compute)}


def session_timeout(request):
    """What base.html's warning before the session ends needs: the time left as this request sees
    it (accounts/session_policy.py), for signed-in people while the warning is on."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or settings.SESSION_WARNING_SECONDS <= 0:
        return {}
    return {
        "session_time_left": SimpleLazyObject(lambda: time_left(user, request.session, time.time())),
        "session_warning_seconds": settings.SESSION_WARNING_SECONDS,
    }


_SECONDS_LEFT = re.compile(rb'data-seconds-left="\d+"')


def fresh_time_left(request, body: bytes) -> bytes:
    """A kept page served again (core/kept_pages.py) says the time left as this request sees it."""
    if not _SECONDS_LEFT.search(body):
        return body
    left = time_left(request.user, request.session, time.time())
    return _SECONDS_LEFT.sub(b'data-seconds-left="%d"' % left.seconds, body, count=1)
