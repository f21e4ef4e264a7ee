from django.contrib import admin
from django.urls import include, path

from config import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("theme/", views.set_theme, name="set_theme"),
    path("privacy/", views.privacy, name="privacy"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("support/", include("support.urls")),
    path("chat/", include("chat.urls")),
    # Board URLs come last: `/<board>/` would otherwise shadow the fixed paths above.
    path("", include("forum.urls")),
]
