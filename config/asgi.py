"""ASGI entry point: Django for HTTP, Channels consumers for WebSockets."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from config.concurrency import BoundedHTTP  # noqa: E402
from config.routing import websocket_urlpatterns  # noqa: E402
from forum.pagecopies import PageCopies  # noqa: E402
from realtime.origin import SameOriginValidator  # noqa: E402

application = ProtocolTypeRouter(
    {
        # A current copy of a cached page or 2channel file is answered before Django, and before
        # the bound on requests at once: it needs no thread and no database connection.
        "http": PageCopies(BoundedHTTP(django_application)),
        "websocket": SameOriginValidator(URLRouter(websocket_urlpatterns)),
    }
)
