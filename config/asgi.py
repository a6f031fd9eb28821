import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
from core.asgi_handler import get_one_hop_asgi_application  # noqa: E402

# First: it sets Django up before the routing imports models. One hop into a thread per request
# (core/asgi_handler.py), not Django's ASGIHandler.
django_asgi_app = get_one_hop_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402

from accounts.sockets import SessionGate  # noqa: E402
from config import daphne_body, daphne_flow  # noqa: E402
from config.routing import websocket_urlpatterns  # noqa: E402
from core.request_body import LimitRequestBody  # noqa: E402

daphne_flow.install()  # a streamed response waits for a slow client instead of filling memory
daphne_body.install(settings.REQUEST_MAX_BYTES)  # nor does a request body beyond the cap

application = ProtocolTypeRouter(
    {
        "http": LimitRequestBody(django_asgi_app),  # 413 before a body is read
        # SessionGate: no socket for an expired session or one that owes two-factor (accounts/sockets.py).
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(SessionGate(URLRouter(websocket_urlpatterns)))),
    }
)
