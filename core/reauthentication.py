"""Sensitive actions ask the person to prove who they are again (password, or the authenticator
app's code) when they last did so more than ACCOUNT_REAUTHENTICATION_TIMEOUT ago: allauth's
reauthentication, which keeps a form that was posted and sends it once the person has confirmed.
Unlike allauth's own rule, signing in counts as proving it: a fresh session does not ask again.

Used on: account deletion and the personal-data export (accounts), the audit log's CSV export
(audit), organisation review decisions, invitations (they grant a role), and adding or removing
an organisation's e-mail domains and deciding who joins through them (accounts). allauth itself
asks before e-mail addresses change (ACCOUNT_REAUTHENTICATION_REQUIRED; accounts.adapter lets a
recent sign-in count there too, by this module's rule) and before two-factor authentication is set
up or removed (allauth's own rule: only an explicit re-authentication counts)."""

import time

from allauth.account.authentication import get_authentication_records
from allauth.account.decorators import reauthentication_required
from django.conf import settings


def authenticated_recently(request) -> bool:
    """Whether the session signed in, or re-authenticated, within the timeout."""
    records = get_authentication_records(request, request.user)
    now = time.time()
    return any(now - record.get("at", 0) < settings.ACCOUNT_REAUTHENTICATION_TIMEOUT for record in records)


def sensitive_action(view=None, *, allow_get=False):
    """A view (allow_get: only its POST) that asks to re-authenticate unless done recently."""
    return reauthentication_required(
        view, allow_get=allow_get, enabled=lambda request: not authenticated_recently(request)
    )
