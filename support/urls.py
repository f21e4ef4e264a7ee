from django.urls import path

from support import views

app_name = "support"
urlpatterns = [
    path("", views.index, name="index"),
    path("help-now/", views.help_now, name="help_now"),
    path("rules/", views.rules, name="rules"),
    path("country/", views.choose_country, name="choose_country"),
    # Last: an article slug must not shadow the fixed pages above (see RESERVED_ARTICLE_SLUGS).
    path("<slug:slug>/", views.article, name="article"),
]
