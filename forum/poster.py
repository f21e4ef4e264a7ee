"""Who is posting, and whether the request may post at all: the poster cookie and the
cross-site check, for the web forms, bbs.cgi and every other form that posts without a token.

Board and thread pages are cached for every anonymous reader, so their forms carry no CSRF
token. A post is protected instead by two things a form on another site can never have: the
poster cookie, which is SameSite=Strict, and same-origin request headers.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from forum.addresses import AddressHashes, request_hashes
from realtime.origin import same_origin

POSTER_COOKIE = "yoake_poster"
POSTER_COOKIE_MAX_AGE = 365 * 24 * 3600


@dataclass(frozen=True)
class Poster:
    """Who is posting, as far as Yoake ever knows: hashes, and the delete key from their cookie."""

    hashes: AddressHashes
    delete_key: str = ""


def new_delete_key() -> str:
    return secrets.token_urlsafe(24)


def has_poster_cookie(request: HttpRequest) -> bool:
    """False for a browser's first post: it is shown the rules once and given the cookie."""
    return POSTER_COOKIE in request.COOKIES


def delete_key(request: HttpRequest) -> str:
    return request.COOKIES.get(POSTER_COOKIE, "")


def scope_delete_key(scope: dict) -> str:
    """The delete key a WebSocket handshake carried (its scope's cookies, channels' middleware)."""
    return scope.get("cookies", {}).get(POSTER_COOKIE, "")


def poster_from(request: HttpRequest) -> Poster:
    return Poster(hashes=request_hashes(request), delete_key=delete_key(request))


def set_poster_cookie(response: HttpResponse) -> HttpResponse:
    """Give this browser its delete key. SameSite=Strict: a form on another site never sends it."""
    response.set_cookie(
        POSTER_COOKIE,
        new_delete_key(),
        max_age=POSTER_COOKIE_MAX_AGE,
        httponly=True,
        samesite="Strict",
        secure=not settings.DEBUG,
    )
    return response


def is_cross_site(request: HttpRequest) -> bool:
    """Whether a posting request came from a form on another site.

    Browsers say so in Sec-Fetch-Site, or by an Origin that is not this site. Pages are sent
    with "no-referrer", so browsers post their forms with "Origin: null"; the poster cookie
    still tells those apart. Dedicated 2channel browsers send neither header; an Origin is
    compared with realtime.origin.same_origin (scheme, host, and port when the Host names one).
    """
    if request.headers.get("Sec-Fetch-Site") in ("cross-site", "same-site"):
        return True
    origin = request.headers.get("Origin")
    if not origin or origin == "null":
        return False
    return not same_origin(origin, request.scheme, request.get_host())
