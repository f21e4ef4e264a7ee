"""WebSocket routes of every app, wired in one place (config.asgi checks the Origin first)."""

from channels.auth import AuthMiddlewareStack
from channels.sessions import CookieMiddleware
from django.urls import path, re_path

from chat.consumers import RoomConsumer
from chat.models import ROOM_SLUG
from forum.consumers import RepliesConsumer, ThreadConsumer
from forum.models import BOARD_SLUG
from realtime.consumers import NoSuchSocket, PresenceConsumer
from review.consumers import ReviewQueueConsumer

websocket_urlpatterns: list = [
    re_path(
        rf"^ws/thread/(?P<board>{BOARD_SLUG})/(?P<key>\d{{1,12}})/$",
        ThreadConsumer.as_asgi(),
    ),
    path("ws/presence/", PresenceConsumer.as_asgi()),
    # Replies to you: the poster cookie says whose replies a socket hears (forum.replies).
    path("ws/replies/", CookieMiddleware(RepliesConsumer.as_asgi())),
    # Chat reads the poster cookie for the sender's standing (forum.surge), not the session.
    re_path(rf"^ws/chat/(?P<room>{ROOM_SLUG})/$", CookieMiddleware(RoomConsumer.as_asgi())),
    # Staff only: the only socket that needs the session, so the only one that reads it.
    path("ws/review/", AuthMiddlewareStack(ReviewQueueConsumer.as_asgi())),
    # Anything else is refused at the handshake (the router itself would raise: a 500).
    re_path(r"", NoSuchSocket.as_asgi()),
]
