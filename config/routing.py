"""WebSocket routes of every app, wired in one place (config.asgi checks the Origin first)."""

from django.urls import path, re_path

from chat.consumers import RoomConsumer
from forum.consumers import NoSuchSocket, PresenceConsumer, ThreadConsumer

websocket_urlpatterns: list = [
    re_path(
        r"^ws/thread/(?P<board>[a-z0-9_]{1,16})/(?P<key>\d{1,12})/$",
        ThreadConsumer.as_asgi(),
    ),
    path("ws/presence/", PresenceConsumer.as_asgi()),
    re_path(r"^ws/chat/(?P<room>[a-z0-9_-]{1,32})/$", RoomConsumer.as_asgi()),
    # Anything else is refused at the handshake (the router itself would raise: a 500).
    re_path(r"", NoSuchSocket.as_asgi()),
]
