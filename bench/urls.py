"""The platform's URLs and the benchmarks' baselines, served by the same server processes and
middleware as what they are compared with: a bare view returning a constant (bench/pages.py),
and a bare post that only broadcasts (bench/fanout.py)."""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.utils.html import escape
from django.views.decorators.http import require_POST

from config.urls import handler429  # noqa: F401
from config.urls import urlpatterns as platform_urlpatterns
from discussions.broadcast import thread_group


@login_not_required
def bare(request):
    return HttpResponse(b"ok", content_type="text/plain")


@require_POST
def bare_post(request, pk):
    """A signed-in POST (session, CSRF, the platform's middleware) that stores nothing and
    checks nothing: it sends its text to the discussion's sockets as a message and answers
    201, as posting a message does. The floor under bench/fanout.py's POST-to-frame figure."""
    html = f'<li id="message-0"><p>{escape(request.POST.get("body", ""))}</p></li>'
    event = {"type": "message.posted", "id": 0, "revision": 0, "html": {"sv": html, "en": html}}
    async_to_sync(get_channel_layer().group_send)(thread_group(pk), event)
    return JsonResponse({"id": 0}, status=201)


urlpatterns = [path("bench/bare/", bare), path("bench/bare-post/<int:pk>/", bare_post), *platform_urlpatterns]
