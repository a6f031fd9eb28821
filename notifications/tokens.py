"""Signed unsubscribe links: they work without signing in and expire."""

from datetime import timedelta

from django.conf import settings
from django.core import signing

SALT = "notifications.unsubscribe"


def unsubscribe_token(user, scope: str) -> str:
    """A token for turning off e-mail of one kind (or "digest") for this person."""
    return signing.dumps({"user": user.pk, "scope": scope}, salt=SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """(user id, scope); raises signing.SignatureExpired or signing.BadSignature."""
    data = signing.loads(token, salt=SALT, max_age=timedelta(days=settings.NOTIFICATION_UNSUBSCRIBE_VALID_DAYS))
    if not isinstance(data, dict) or not isinstance(data.get("user"), int) or not isinstance(data.get("scope"), str):
        raise signing.BadSignature("unexpected content")
    return data["user"], data["scope"]
