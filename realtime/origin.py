"""Whether a request or a socket comes from this site: the one comparison of an Origin with the
site's own scheme, host and port, used by forum.poster for forms and by the socket handshake.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host

DEFAULT_PORTS = {"http": 80, "https": 443}
# A socket's scheme, as the page that opened it has it.
WEB_SCHEMES = {"ws": "http", "wss": "https", "http": "http", "https": "https"}


def same_origin(origin: str, scheme: str, host: str) -> bool:
    """Whether `origin` (an Origin header) is the site at `scheme` (http or https) and `host`
    (the request's own Host header): same scheme, host name and port.

    JDim's Host carries no port (2ch.md §2.1), and nginx's `$host` drops it too, so the port is
    compared only when the Host names one. A malformed Origin or port is never the same.
    """
    try:
        sender = urlsplit(origin)
        site = urlsplit(f"//{host}")
        if sender.scheme != scheme or not sender.hostname or sender.hostname != site.hostname:
            return False
        return site.port is None or (sender.port or DEFAULT_PORTS[sender.scheme]) == site.port
    except (ValueError, KeyError):
        return False


def _header(scope: dict, name: bytes) -> str | None:
    for key, value in scope.get("headers") or []:
        if key == name:
            return value.decode("latin-1")
    return None


def socket_scheme(scope: dict) -> str:
    """http or https: what the page that opened this socket was served over. Behind a trusted
    proxy, its X-Forwarded-Proto decides, as SECURE_PROXY_SSL_HEADER does for requests."""
    forwarded = _header(scope, b"x-forwarded-proto") if settings.TRUSTED_PROXY_COUNT else None
    if forwarded is not None:
        return "https" if forwarded.split(",", 1)[0].strip() == "https" else "http"
    return WEB_SCHEMES.get(scope.get("scheme", "ws"), "http")


def is_same_origin_socket(scope: dict) -> bool:
    """A socket may open only from a page of this site: its Host is one of ALLOWED_HOSTS and
    its Origin has the same scheme, host and port. A missing or "null" Origin is refused."""
    host, origin = _header(scope, b"host"), _header(scope, b"origin")
    if not host or not origin or origin == "null":
        return False
    allowed = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed:  # as Django's own get_host()
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    domain, _port = split_domain_port(host)
    return (
        bool(domain)
        and validate_host(domain, allowed)
        and same_origin(origin, socket_scheme(scope), host)
    )


class SameOriginValidator:
    """ASGI middleware: a socket from another origin is refused at the handshake."""

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if is_same_origin_socket(scope):
            return await self.application(scope, receive, send)
        return await WebsocketDenier()(scope, receive, send)
