"""Who may read the audit log: facilitators only (PRODUCT.md §2.7). Views call this first."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def require_audit_reader(user) -> None:
    """Facilitators read, filter and export the whole log; everyone else gets 403 (the page's
    existence is no secret, its rows are)."""
    if not (user.is_authenticated and user.is_facilitator):
        raise PermissionDenied(_("Only facilitators at Upphandlingsmyndigheten can read the audit log."))
