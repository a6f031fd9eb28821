"""Who may see or change an organisation. Views call these on their first line.

Outsiders get 404 (nothing to probe); staff without the needed role get 403; an
organisation that is not yet verified may read but not act (403 with the reason).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.models import Organisation


def get_organisation_for_staff(user, pk, *, admin=False) -> Organisation:
    """The organisation if the user works there (facilitators see every one); admin=True also
    requires the user to be one of its administrators."""
    organisation = get_object_or_404(Organisation, pk=pk)
    if not (user.is_member_of(organisation) or user.is_facilitator):
        raise Http404
    if admin and not user.is_admin_of(organisation):
        raise PermissionDenied(_("Only the organisation's administrators can do this."))
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


def require_facilitator(user) -> None:
    if not user.is_facilitator:
        raise PermissionDenied(_("Only facilitators at Upphandlingsmyndigheten can do this."))
