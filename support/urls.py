from django.urls import path

from support import views

app_name = "support"
urlpatterns = [
    path("", views.index, name="index"),
    path("help-now/", views.help_now, name="help_now"),
    path("rules/", views.rules, name="rules"),
]
