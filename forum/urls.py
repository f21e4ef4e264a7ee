from django.urls import path, re_path

from forum import bbs, bbscgi, views
from forum.models import BOARD_SLUG

# 2channel's read.cgi ranges: l50, l50n, 50, 50n, 1-100, 1-100n, 100-, -100.
RANGE = r"(?P<spec>l\d{1,4}n?|\d{1,4}-\d{0,4}n?|-\d{1,4}n?|\d{1,4}n?)"
BOARD = rf"(?P<board>{BOARD_SLUG})"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    # 2channel browsers (forum.bbs, forum.bbscgi); before the board pages below. JDim posts a
    # confirmation page's form to subbbs.cgi unless it reads the form's action, so both answer.
    re_path(r"^test/(?:sub)?bbs\.cgi$", bbscgi.bbs_cgi, name="bbs_cgi"),
    path("bbsmenu.html", bbs.bbsmenu, name="bbsmenu"),
    re_path(rf"^{BOARD}/subject\.txt$", bbs.subject_txt, name="subject_txt"),
    re_path(rf"^{BOARD}/SETTING\.TXT$", bbs.setting_txt, name="setting_txt"),
    re_path(rf"^{BOARD}/head\.txt$", bbs.head_txt, name="head_txt"),
    re_path(rf"^{BOARD}/dat/(?P<key>\d{{1,12}})\.dat$", bbs.dat_file, name="dat"),
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
