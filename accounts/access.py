"""Who may see or change an organisation. Views call these on their first line.

Outsiders get 404 (nothing to probe); staff without the needed role get 403; an
organisation that is not yet verified may read but not act (403 with the reason).
"""

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


def needs_two_factor(user) -> bool:
    """Whether the user must set up two-factor authentication before anything else: a
    facilitator without a TOTP authenticator (PRODUCT.md §2.1). Demo users are exempt only while
    DEMO_MFA_EXEMPT (DEBUG) is on, so that `make run` signs in with a password alone. Pages are
    held back by accounts.middleware.FacilitatorMfaMiddleware; a WebSocket never passes it, so
    the sockets that let a facilitator in ask this themselves."""
    return (
        user.is_authenticated
        and user.is_facilitator
        and not (settings.DEMO_MFA_EXEMPT and user.is_demo)
        and not user.authenticator_set.filter(type=Authenticator.Type.TOTP).exists()
    )


def require_facilitator(user) -> None:
    if not user.is_facilitator:
        raise PermissionDenied(_("Only facilitators at Upphandlingsmyndigheten can do this."))
