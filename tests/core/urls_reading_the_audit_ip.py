"""The site's URLs plus a view that says what the audit log would record as the client's
address, and on which thread it ran (tests/core/test_async_middleware.py)."""

import threading

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.urls import path

from audit.context import current_ip
from config.urls import urlpatterns as site


@login_not_required
def audit_ip(request):
    return JsonResponse({"ip": current_ip(), "thread": threading.get_ident()})


urlpatterns = [*site, path("test/audit-ip/", audit_ip)]
