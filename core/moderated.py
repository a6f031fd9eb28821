"""What every item a moderator can remove shares (messages, documents, questions, proposals)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def require_not_removed(item, *, can_moderate: bool) -> None:
    """A removed item's files are for moderators only; everyone else is told why (403)."""
    if item.is_hidden and not can_moderate:
        raise PermissionDenied(_("Removed by a moderator: %(reason)s") % {"reason": item.hidden_reason})
