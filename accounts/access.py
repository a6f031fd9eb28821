"""Who may see or change an organisation. Views call these on their first line.

Outsiders get 404 (nothing to probe); staff without the needed role get 403; an
organisation that is not yet verified may read but not act (403 with the reason).
"""

from types import SimpleNamespace

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.models import Organisation
from accounts.services import domain_offers


def get_organisation_for_staff(user, pk, *, admin=False) -> Organisation:
    """The organisation if the user works there (facilitators see every one); admin=True also
    requires the user to be one of its administrators."""
    organisation = get_object_or_404(Organisation, pk=pk)
    if not (user.is_member_of(organisation) or user.is_facilitator):
        raise Http404
    if admin and not user.is_admin_of(organisation):
        raise PermissionDenied(_("Only the organisation's administrators can do this."))
    return organisation


def get_organisation_offered_to(user, pk) -> Organisation:
    """An organisation the user may ask to join because its e-mail domain is theirs
    (accounts.services.domain_offers); 404 for any other."""
    organisation = get_object_or_404(Organisation, pk=pk)
    if organisation not in domain_offers(user):
        raise Http404
    return organisation


def require_verified(organisation: Organisation) -> None:
    """Unverified (or rejected) organisations can read but not act."""
    if not organisation.is_verified:
        raise PermissionDenied(
            _(
                "%(organisation)s has not been verified by Upphandlingsmyndigheten yet. "
                "Until it is, you can read but not invite, join or post."
            )
            % {"organisation": organisation.name}
        )


def require_rejected(organisation: Organisation) -> None:
    """Only a rejected registration is corrected and sent for review again."""
    if organisation.status != Organisation.Status.REJECTED:
        raise PermissionDenied(_("Only a rejected registration can be corrected and sent for review again."))


def is_privileged(user) -> bool:
    """Facilitators (who see every organisation and group) and Django admin's staff: their
    sessions need two-factor authentication and end sooner (accounts/session_policy.py)."""
    return user.is_authenticated and (user.is_facilitator or user.is_staff or user.is_superuser)


TWO_FACTOR_SET_UP = "set-up"  # no authenticator app yet: set one up before anything else
TWO_FACTOR_SIGN_IN = "sign-in"  # has one, but this session never asked for its code: sign in again


def two_factor_owed(user, session) -> str | None:
    """What this session still owes before it may do anything: None, TWO_FACTOR_SET_UP or
    TWO_FACTOR_SIGN_IN. Facilitators and staff (is_privileged) must have a TOTP authenticator
    AND have entered its code in this very session (PRODUCT.md §2.1): having a device is not
    enough, a session made some other way (a password alone) must not count. allauth keeps what
    a session passed in its authentication records; setting the app up counts as passing it
    (accounts/receivers.py records that). Demo users are exempt only while DEMO_MFA_EXEMPT
    (DEBUG) is on, so that `make run` signs in with a password alone. The one rule for the pages
    (accounts.middleware.TwoFactorMiddleware) and every WebSocket (accounts.sockets.SessionGate)."""
    if not is_privileged(user) or (settings.DEMO_MFA_EXEMPT and user.is_demo):
        return None
    if not user.authenticator_set.filter(type=Authenticator.Type.TOTP).exists():
        return TWO_FACTOR_SET_UP
    # allauth reads the records from request.session only; a socket has a session but no request.
    records = get_authentication_records(SimpleNamespace(session=session), user)
    if any(record.get("method") == "mfa" for record in records):
        return None
    return TWO_FACTOR_SIGN_IN


def require_facilitator(user) -> None:
    if not user.is_facilitator:
        raise PermissionDenied(_("Only facilitators at Upphandlingsmyndigheten can do this."))
