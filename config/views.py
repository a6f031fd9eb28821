from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render


@login_not_required
def csrf_failure(request, reason=""):
    return render(request, "csrf_failure.html", status=403)


@login_not_required
def too_many_requests(request, exception=None):
    """allauth's rate limits (sign-in, sign-up, password reset) answer with this page."""
    return render(request, "429.html", status=429)
