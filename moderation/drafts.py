"""Keeping what someone typed while they go and accept the code of conduct: the text waits in
their session, tied to the page they wrote it on, and that page fills its form from it once."""

from urllib.parse import urlencode

from django.urls import reverse

SESSION_KEY = "moderation-draft"


def keep_draft_for_code_of_conduct(request, *, data: dict, return_to: str) -> str:
    """Store the typed fields for the page `return_to`; returns the code of conduct's address,
    which sends the person back there once they have accepted it."""
    request.session[SESSION_KEY] = {"path": return_to, "data": {k: str(v) for k, v in data.items()}}
    return f"{reverse('moderation:code-of-conduct')}?{urlencode({'next': return_to})}"


def take_draft(request, path: str) -> dict | None:
    """The fields kept for this page, once (they are forgotten as they are handed back)."""
    draft = request.session.get(SESSION_KEY)
    if not draft or draft.get("path") != path:
        return None
    del request.session[SESSION_KEY]
    return draft.get("data") or None
