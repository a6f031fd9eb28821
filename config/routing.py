"""WebSocket routes of every app, gathered in one list for config.asgi."""

from discussions.routing import websocket_urlpatterns as dialogue_routes
from notifications.routing import websocket_urlpatterns as notification_routes

websocket_urlpatterns: list = [*notification_routes, *dialogue_routes]
