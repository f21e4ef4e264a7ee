"""What a WebSocket's ASGI scope says about its reader: query parameters, cookies, language.

The one place that reads a scope's query string and headers, for every consumer and for
anything else that needs to treat a socket like a request (help lines, the client address).
"""

from __future__ import annotations

from urllib.parse import parse_qs

from django.conf import settings
from django.http.cookie import parse_cookie


def query_params(scope: dict) -> dict[str, str]:
    raw = scope.get("query_string", b"").decode("latin-1")
    return {name: values[0] for name, values in parse_qs(raw).items()}


def scope_header(scope: dict, name: str) -> str:
    """The value of one request header of the socket's handshake ("" when it is absent)."""
    wanted = name.lower().encode("latin-1")
    for header, value in scope.get("headers") or []:
        if header == wanted:
            return value.decode("latin-1")
    return ""


def scope_cookies(scope: dict) -> dict[str, str]:
    cookie = scope_header(scope, "cookie")
    return parse_cookie(cookie) if cookie else {}


def reader_language(scope: dict) -> str:
    """The page's language (the client passes ?lang=), else the language cookie, else default."""
    known = {code for code, _name in settings.LANGUAGES}
    for candidate in (
        query_params(scope).get("lang", ""),
        scope_cookies(scope).get(settings.LANGUAGE_COOKIE_NAME, ""),
    ):
        if candidate[:2] in known:
            return candidate[:2]
    return settings.LANGUAGE_CODE


def number_param(scope: dict, name: str, *, ceiling: int) -> int | None:
    value = query_params(scope).get(name, "")
    if not value.isdigit():
        return None
    return min(int(value), ceiling)
