import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = get_asgi_application()  # first: it sets Django up before the routing imports models

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
