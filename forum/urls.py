from django.urls import path, re_path

from forum import views

# 2channel's read.cgi ranges: l50, l50n, 50, 50n, 1-100, 1-100n, 100-, -100.
RANGE = r"(?P<spec>l\d{1,4}n?|\d{1,4}-\d{0,4}n?|-\d{1,4}n?|\d{1,4}n?)"
BOARD = r"(?P<board>[a-z0-9_]{1,16})"

urlpatterns = [
    path("", views.home, name="home"),
    re_path(rf"^test/read\.cgi/{BOARD}/(?P<key>\d{{1,12}})/$", views.thread, name="thread"),
    re_path(
        rf"^test/read\.cgi/{BOARD}/(?P<key>\d{{1,12}})/{RANGE}/?$",
        views.thread,
        name="thread_range",
    ),
    re_path(
        rf"^post/{BOARD}/(?P<key>\d{{1,12}})/(?P<number>\d{{1,4}})/delete/$",
        views.delete_post,
        name="delete_post",
    ),
    re_path(
        rf"^post/{BOARD}/(?P<key>\d{{1,12}})/(?P<number>\d{{1,4}})/report/$",
        views.report,
        name="report_post",
    ),
    re_path(rf"^{BOARD}/$", views.board, name="board"),
    re_path(rf"^{BOARD}/archive/$", views.archive, name="archive"),
]
