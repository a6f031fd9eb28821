"""Who may do what with guidance texts: everyone reads them (no sign-in needed), facilitators
edit them. The middleware holds facilitators to two-factor authentication on every page
(accounts.middleware.TwoFactorMiddleware), so checking the role is enough here."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from guidance.models import GuidanceText


def can_edit_guidance(user) -> bool:
    return bool(user.is_authenticated and user.is_facilitator)


def get_text_for_reader(slug: str) -> GuidanceText:
    return get_object_or_404(GuidanceText, slug=slug)


def get_text_for_editor(user, slug: str) -> GuidanceText:
    """The text to edit; 403 for anyone but a facilitator (the texts are public, so there is
    nothing to hide by a 404)."""
    text = get_text_for_reader(slug)
    if not can_edit_guidance(user):
        raise PermissionDenied(_("Only facilitators at Upphandlingsmyndigheten can edit guidance texts."))
    return text
