from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from config import views, webapp
from dashboard.views import dashboard

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("theme/", views.set_theme, name="set_theme"),
    path("country/", views.set_country, name="set_country"),
    path("privacy/", views.privacy, name="privacy"),
    # A phone's home-screen app (config.webapp); the worker must sit at the root to keep /support/.
    path("manifest.webmanifest", webapp.manifest, name="manifest"),
    path("sw.js", webapp.service_worker, name="service_worker"),
    # The language and theme switches sit on every page, and pages are cached for all anonymous
    # readers, so they carry no CSRF token; switching someone's language is harmless.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("admin/dashboard/", admin.site.admin_view(dashboard), name="moderation_dashboard"),
    path("admin/", admin.site.urls),
    path("support/", include("support.urls")),
    path("chat/", include("chat.urls")),
    # Board URLs come last: `/<board>/` would otherwise shadow the fixed paths above.
    path("", include("forum.twoch.urls")),
    path("", include("forum.urls")),
]

# A PostgreSQL outage met outside any view still answers the calm 503 (config.views).
handler500 = "config.views.server_error"
