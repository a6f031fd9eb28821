from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render


@login_not_required
def csrf_failure(request, reason=""):
    return render(request, "csrf_failure.html", status=403)
