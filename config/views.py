from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render


@login_not_required
def csrf_failure(request, reason=""):
    return render(request, "csrf_failure.html", status=403)


@login_not_required
def too_many_requests(request, exception=None):
    """allauth's rate limits (sign-in, sign-up, password reset) answer with this page."""
    return render(request, "429.html", status=429)


@login_not_required
def permission_denied(request, exception=None):
    """Django's 403 page, plus what to do next when the refusal says so (a note and a link, as
    dialogues.access.RefusalWithNextStep carries them)."""
    context = {
        "exception": str(exception or ""),
        "note": getattr(exception, "note", ""),
        "link_url": getattr(exception, "link_url", ""),
        "link_text": getattr(exception, "link_text", ""),
    }
    return render(request, "403.html", context, status=403)
