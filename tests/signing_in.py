"""Test clients whose force_login leaves the session as the site's sign-in (allauth) does after
both steps: a password record, and a two-factor record when the person has an authenticator app.
Facilitators and staff must have passed two-factor in the session (accounts.access.
two_factor_owed); Django's own force_login skips it, and such a session is signed out, which
tests/accounts/test_mfa.py checks with a plain django.test.Client.

tests/conftest.py hands these out as the `client` and `async_client` fixtures; a test that makes
its own client uses TwoFactorClient()."""

import time

from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from asgiref.sync import sync_to_async
from django.test import AsyncClient, Client

from accounts.session_policy import SEEN_AT, SIGNED_IN_AT


class _Request:
    """What allauth's record_authentication reads of a request: its session."""

    def __init__(self, session):
        self.session = session


def pass_sign_in(client, user) -> None:
    """Record, in the client's session, the steps allauth's sign-in records."""
    session = client.session
    request = _Request(session)
    record_authentication(request, user, "password", email=user.email)
    totp = user.authenticator_set.filter(type=Authenticator.Type.TOTP).first()
    if totp is not None:
        record_authentication(request, user, "mfa", id=totp.pk, type=totp.type)
    session.save()


def age_session(client, *, signed_in_ago: float = 0, seen_ago: float = 0, authenticated_ago: float = 0) -> None:
    """Move the session's clocks back: sign-in, last request, and every authentication record
    (what a sensitive action looks at), as if that many seconds had passed."""
    session = client.session
    now = time.time()
    session[SIGNED_IN_AT] = now - signed_in_ago
    session[SEEN_AT] = now - seen_ago
    for record in session.get(AUTHENTICATION_METHODS_SESSION_KEY, []):
        record["at"] = now - authenticated_ago
    session[AUTHENTICATION_METHODS_SESSION_KEY] = session.get(AUTHENTICATION_METHODS_SESSION_KEY, [])
    session.save()


class TwoFactorClient(Client):
    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        pass_sign_in(self, user)


class TwoFactorAsyncClient(AsyncClient):
    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        pass_sign_in(self, user)

    async def aforce_login(self, user, backend=None):
        await super().aforce_login(user, backend)
        await sync_to_async(pass_sign_in)(self, user)
