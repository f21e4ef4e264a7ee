"""Site-wide response rules that no single app owns."""

from __future__ import annotations

import contextlib
import logging
import threading

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connection, connections
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from config.outages import DATABASE_DOWN
from forum.twoch.bbscgi import error_page
from support.helplines import help_lines_without_database
from support.region import likely_country


class ReferrerPolicyMiddleware:
    """`no-referrer` everywhere, except on pages that carry a Django CSRF token.

    With `no-referrer`, browsers send `Origin: null` when such a page posts its form, and Django's
    CSRF check then refuses it; those pages (sign-in, settings, the admin, chat's plain form) send
    `same-origin` instead, which still tells other sites nothing. Board pages carry no token.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Referrer-Policy" not in response:
            # Django (re)sends the CSRF cookie whenever a page used a token.
            uses_token = settings.CSRF_COOKIE_NAME in response.cookies
            response["Referrer-Policy"] = "same-origin" if uses_token else "no-referrer"
        return response


# --- PostgreSQL down ---------------------------------------------------------------------------
# How long readers and 2channel browsers are asked to wait before trying again.
RETRY_AFTER_SECONDS = 30
BBS_CGI_PATHS = ("/test/bbs.cgi", "/test/subbbs.cgi")

logger = logging.getLogger("yoake.database")


class _Outage:
    """Whether this process has seen PostgreSQL fail and not answer since: one log line when an
    outage starts and one when it ends, instead of a traceback per request."""

    lock = threading.Lock()
    down = False


def database_failed(error: Exception) -> None:
    """Note a failed query: close the broken connections, so that the next request connects
    afresh (recovery needs no restart), and log the outage once."""
    for alias in connections:
        with contextlib.suppress(Exception):
            connections[alias].close()
    with _Outage.lock:
        if _Outage.down:
            return
        _Outage.down = True
    first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
    logger.error("database unavailable: %s", first_line)


def database_answered() -> bool:
    """During an outage, whether PostgreSQL answers again (logged once); outside one, True."""
    if not _Outage.down:
        return True
    try:
        connection.ensure_connection()
    except DATABASE_DOWN as error:
        database_failed(error)
        return False
    with _Outage.lock:
        if not _Outage.down:
            return True
        _Outage.down = False
    logger.warning("database back")
    return True


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: the calm, translated "resting" page with help lines from the data
    built into the release, or for bbs.cgi the 2channel error page browsers show."""
    if request.path in BBS_CGI_PATHS:
        # Kept at 200 like every bbs.cgi answer: 2channel browsers show nothing of any other.
        response = error_page(
            _("Yoake is resting for a moment: the database does not answer."),
            _("Nothing you posted is lost. Please try again in a minute."),
        )
    else:
        country = likely_country(request)
        context = {
            "help_lines": help_lines_without_database(country, timezone.now()),
            # Nothing on the page may ask the database again: no account, no stored messages.
            "user": AnonymousUser(),
            "messages": (),
        }
        response = render(request, "503.html", context, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    # Django logs every 5xx; the outage already has its one line.
    response._has_been_logged = True
    return response


class DatabaseUnavailableMiddleware:
    """A view (or the page it renders) that finds PostgreSQL down answers with
    `database_unavailable_response`; the first request that gets through ends the outage."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _Outage.down and response.status_code != 503:
            database_answered()
        return response

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_DOWN):
            return None
        database_failed(exception)
        return database_unavailable_response(request)
