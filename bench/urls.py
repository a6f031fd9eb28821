"""The platform's URLs and the benchmarks' baseline: a bare view returning a constant, served
by the same server processes and middleware as the pages it is compared with."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path

from config.urls import handler429  # noqa: F401
from config.urls import urlpatterns as platform_urlpatterns


@login_not_required
def bare(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *platform_urlpatterns]
