"""WebSocket routes of every app, gathered in one list for config.asgi."""

from dialogues.routing import websocket_urlpatterns as dialogue_routes

websocket_urlpatterns: list = [*dialogue_routes]
