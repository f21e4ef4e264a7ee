"""Account pages beside allauth's own (login, signup, password, MFA live under /accounts/ too)."""

from django.urls import path

from accounts import views

urlpatterns = [
    path("accounts/settings/", views.settings_page, name="account_settings"),
    path("accounts/prefs.json", views.prefs_json, name="account_prefs"),
    path("accounts/hidden/", views.hidden, name="hidden_threads"),
    path("watched/", views.watched, name="watched"),
    path("watched/<slug:board>/<int:key>/", views.watched_go, name="watched_go"),
]
