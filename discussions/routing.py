from django.urls import path

from discussions.consumers import ThreadConsumer

websocket_urlpatterns = [
    path("ws/threads/<int:thread_pk>/", ThreadConsumer.as_asgi()),
]
