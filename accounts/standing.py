"""A person's standing: whether a suspension keeps them from posting or joining, and whether
they have accepted the code of conduct. groups, dialogues and discussions ask here; moderation
creates and lifts suspensions and records acceptances (moderation/services.py).

What someone typed while they go and accept the code of conduct waits in their session, tied to
the page they wrote it on, and that page fills its form from it once (keep_draft_for_code_of_conduct,
take_draft).
"""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import CODE_OF_CONDUCT_VERSION, CodeOfConductAcceptance, Suspension

DRAFT_SESSION_KEY = "moderation-draft"


def suspension_in_force(user, group_id=None) -> Suspension | None:
    """The suspension that keeps the user from posting or joining (site-wide, or in the group),
    the one that lasts longest first; None when they are free to."""
    if not user.is_authenticated:
        return None
    found = list(Suspension.objects.in_force().affecting(user, group_id).select_related("group"))
    if not found:
        return None
    return max(found, key=lambda s: (s.ends_at is None, s.ends_at or timezone.now()))


def suspension_refusal(user, group_id=None) -> str:
    """Why the user may not post or join here now, for people; empty when they may."""
    suspension = suspension_in_force(user, group_id)
    if suspension is None:
        return ""
    return describe_suspension(suspension)


def describe_suspension(suspension: Suspension) -> str:
    values = {"reason": suspension.reason}
    if suspension.group_id:
        values["group"] = suspension.group.name
    if suspension.ends_at:
        values["until"] = formats.date_format(timezone.localtime(suspension.ends_at), "DATETIME_FORMAT")
        if suspension.group_id:
            text = _("A moderator has suspended you from %(group)s until %(until)s. Reason: %(reason)s")
        else:
            text = _("A moderator has suspended you from the site until %(until)s. Reason: %(reason)s")
    elif suspension.group_id:
        text = _("A moderator has suspended you from %(group)s until further notice. Reason: %(reason)s")
    else:
        text = _("A moderator has suspended you from the site until further notice. Reason: %(reason)s")
    return text % values


def has_accepted_code_of_conduct(user) -> bool:
    return (
        user.is_authenticated
        and CodeOfConductAcceptance.objects.filter(user=user, version=CODE_OF_CONDUCT_VERSION).exists()
    )


def code_of_conduct_refusal(user) -> str:
    """Empty when the user accepted the current code of conduct; otherwise why they cannot post."""
    if has_accepted_code_of_conduct(user):
        return ""
    return _("Read and accept the code of conduct before your first post.")


def keep_draft_for_code_of_conduct(request, *, data: dict, return_to: str) -> str:
    """Store the typed fields for the page `return_to`; returns the code of conduct's address,
    which sends the person back there once they have accepted it."""
    request.session[DRAFT_SESSION_KEY] = {"path": return_to, "data": {k: str(v) for k, v in data.items()}}
    return f"{reverse('moderation:code-of-conduct')}?{urlencode({'next': return_to})}"


def take_draft(request, path: str) -> dict | None:
    """The fields kept for this page, once (they are forgotten as they are handed back)."""
    draft = request.session.get(DRAFT_SESSION_KEY)
    if not draft or draft.get("path") != path:
        return None
    del request.session[DRAFT_SESSION_KEY]
    return draft.get("data") or None
