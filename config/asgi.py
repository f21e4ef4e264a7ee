"""ASGI entry point: Django for HTTP, Channels consumers for WebSockets."""

import os
from concurrent.futures import ThreadPoolExecutor

import django
from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.core.handlers.asgi import ASGIHandler

from config.memory import keep_freed_memory

keep_freed_memory()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup(set_prefix=False)


class OneThreadHandler(ASGIHandler):
    """Django's ASGI handler, with the middleware and the view run in one thread per request.

    Django's own runs the middleware chain in async mode and changes between the event loop and
    a thread wherever a middleware can only run synchronously (most of Yoake's, and the view):
    three hand-offs per request, about half of a worker's CPU outside the view under load
    (py-spy, bench/posting.py). Every middleware here can run synchronously, so the whole chain
    runs in one thread, as under WSGI; reading the request and sending the answer stay async.

    That thread is one this process kept from an earlier request, again as under WSGI. Django's
    handler starts a new thread for every request and stops it afterwards: about a tenth of a
    worker's time when posting (py-spy: Thread.start, and the executor's shutdown joining it).
    Each request still has a thread of its own while it runs, so requests run side by side; the
    threads kept are as many as requests were ever answered at once (config.concurrency bounds
    that).
    """

    def __init__(self):
        super().__init__()
        self.load_middleware(is_async=False)
        self._idle_threads: list[ThreadPoolExecutor] = []

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            raise ValueError(f"Django answers HTTP only, not {scope['type']}.")
        idle = self._idle_threads
        thread = idle.pop() if idle else ThreadPoolExecutor(1, thread_name_prefix="request")
        try:
            async with ThreadSensitiveContext(executor=thread):
                await self.handle(scope, receive, send)
        finally:
            idle.append(thread)

    async def get_response_async(self, request):
        return await sync_to_async(self.get_response, thread_sensitive=True)(request)


django_application = OneThreadHandler()

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
