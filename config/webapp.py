"""Yoake as a phone's home-screen app: the web app manifest, and the service worker that keeps
help-now for when there is no network.

The worker must be served from the site's root to control its pages (a file under /static/ could
only control /static/), so it is a view. It keeps one page, help-now, with the stylesheets that
page needs, and nothing else; every other request goes to the network as if there were no worker.
Neither view touches the database: both answer while PostgreSQL does not.
"""

from __future__ import annotations

import hashlib
import json

from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

# The night theme's header and page colours (static/css/yoake.css: --surface and --bg); the
# phone paints its bars and the app's splash screen with them before the page arrives.
THEME_COLOUR = "#1b2030"
BACKGROUND_COLOUR = "#12151f"
# What help-now needs to be read offline: its page and its stylesheets (support/help_now.html).
HELP_NOW_ASSETS = ("css/yoake.css", "support/support.css")
ICONS = (
    ("favicon.svg", "any", "image/svg+xml", "any"),
    ("icons/icon-192.png", "192x192", "image/png", "any"),
    ("icons/icon-512.png", "512x512", "image/png", "any"),
    ("icons/maskable-192.png", "192x192", "image/png", "maskable"),
    ("icons/maskable-512.png", "512x512", "image/png", "maskable"),
    ("icons/maskable.svg", "any", "image/svg+xml", "maskable"),
)


@require_GET
def manifest(request):
    """/manifest.webmanifest, in the reader's language (browsers send Accept-Language)."""
    language = get_language() or "en"
    brand = _("Yoake")
    help_now = reverse("support:help_now")
    data = {
        "id": "/",
        # As the header shows it: "Yoake 夜明け", and in Japanese 夜明け once.
        "name": brand if language.startswith("ja") else f"{brand} 夜明け",
        "short_name": brand,
        "description": _("Yoake is a peer-support community, not a crisis or medical service."),
        "lang": language,
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": static(path), "sizes": sizes, "type": kind, "purpose": purpose}
            for path, sizes, kind, purpose in ICONS
        ],
        "shortcuts": [{"name": _("Need help now?"), "url": help_now}],
    }
    response = JsonResponse(
        data,
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    patch_cache_control(response, public=True, max_age=3600)
    return response


def kept_offline() -> dict:
    """The addresses the service worker keeps, and a version that changes with them (each
    release's stylesheets have new hashed names), so a new worker drops the old copies."""
    kept = {
        "page": reverse("support:help_now"),
        "assets": [static(path) for path in HELP_NOW_ASSETS],
    }
    kept["version"] = hashlib.blake2b(
        json.dumps(kept, sort_keys=True).encode(), digest_size=6
    ).hexdigest()
    return kept


@require_GET
def service_worker(request):
    """/sw.js: the worker that keeps help-now offline (templates/sw.js)."""
    kept = mark_safe(json.dumps(kept_offline()))  # noqa: S308 (our own addresses, as JSON)
    response = HttpResponse(
        render_to_string("sw.js", {"kept": kept}), content_type="text/javascript; charset=utf-8"
    )
    # Browsers look for a new worker at every visit; this says to ask the server each time.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response
