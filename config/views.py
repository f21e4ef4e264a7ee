"""Site-wide pages that belong to no app: health, theme switch, privacy."""

from __future__ import annotations

import sys

from django.conf import settings
from django.db import connection
from django.http import HttpResponseForbidden, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from config.cache import UNAVAILABLE, redis_client
from config.context_processors import THEME_COOKIE, THEMES
from config.middleware import database_failed, database_unavailable_response
from config.outages import DATABASE_DOWN
from config.replicas import WRITTEN_COOKIE_MAX_AGE
from forum.poster import is_cross_site
from support.helplines import COUNTRY_NAMES
from support.region import COUNTRY_COOKIE

ONE_YEAR = 365 * 24 * 3600


@never_cache
@require_GET
def healthz(request):
    """200 when PostgreSQL and Redis both answer; 503 naming the one that does not."""
    state = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        state["postgres"] = "ok"
    except Exception as error:  # any failure means "not answering"
        state["postgres"] = f"unavailable: {type(error).__name__}"
    try:
        redis_client().ping()
        state["redis"] = "ok"
    except UNAVAILABLE as error:
        state["redis"] = f"unavailable: {type(error).__name__}"
    healthy = all(value == "ok" for value in state.values())
    state["status"] = "ok" if healthy else "unavailable"
    return JsonResponse(state, status=200 if healthy else 503)


def safe_next(request, fallback: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or fallback
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@csrf_exempt  # see config/urls.py: the switch is on cached pages and changes nothing but looks
@require_POST
def set_theme(request):
    """Remember day or night in a cookie, so the choice holds without JavaScript."""
    theme = request.POST.get("theme")
    response = HttpResponseRedirect(safe_next(request))
    if theme in THEMES:
        response.set_cookie(
            THEME_COOKIE,
            theme,
            max_age=ONE_YEAR,
            samesite="Lax",
            secure=not settings.DEBUG,
            httponly=False,  # the theme module reads it to stay in step across tabs
        )
    return response


@csrf_exempt  # help-now's form carries no token, so that the page keeps its no-referrer policy
@require_POST
def set_country(request):
    """Keep the country whose help lines come first ("Not in the UK? Choose your country");
    an empty choice lets the time zone and the languages decide again (support.region).
    Another site cannot choose for the reader: the help they see is no setting to play with."""
    if is_cross_site(request):
        return HttpResponseForbidden(_("Please choose your country on Yoake itself."))
    response = HttpResponseRedirect(safe_next(request, fallback=reverse("support:help_now")))
    chosen = request.POST.get("country", "").upper()
    if chosen in COUNTRY_NAMES:
        response.set_cookie(
            COUNTRY_COOKIE,
            chosen,
            max_age=ONE_YEAR,
            samesite="Lax",
            secure=not settings.DEBUG,
            httponly=True,
        )
    elif not chosen:
        response.delete_cookie(COUNTRY_COOKIE, samesite="Lax")
    return response


def privacy(request):
    return render(
        request,
        "privacy.html",
        {
            "retention_days": settings.ADDRESS_HASH_RETENTION_DAYS,
            # Said only when it is true: addresses are sealed only with the operator's key set.
            "sealing": bool(settings.SEALED_ADDRESS_PUBLIC_KEY),
            "sealed_days": settings.SEALED_ADDRESS_RETENTION_DAYS,
            # Said only when it is true: the written-position cookie exists only with replicas.
            "replicas": bool(settings.DATABASE_REPLICA_URLS),
            "written_minutes": WRITTEN_COOKIE_MAX_AGE // 60,
        },
    )


def server_error(request):
    """Django's 500 page, except for a PostgreSQL that stopped answering inside a middleware
    (a session save, say), which views never see: that is the calm 503 of any outage."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_DOWN):
        database_failed(error)
        return database_unavailable_response(request)
    return defaults.server_error(request)
