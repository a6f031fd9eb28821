"""config/asgi.py with Django's own ASGIHandler for HTTP instead of core/asgi_handler.py's
one-hop handler: what production served before issue 22, the baseline rows of bench.servers."""

from channels.routing import ProtocolTypeRouter
from django.core.asgi import get_asgi_application

stock = get_asgi_application()

from config import asgi as production  # noqa: E402
from core.request_body import LimitRequestBody  # noqa: E402

application = ProtocolTypeRouter(
    {"http": LimitRequestBody(stock), "websocket": production.application.application_mapping["websocket"]}
)
