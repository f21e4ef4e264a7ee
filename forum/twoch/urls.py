"""The 2channel browsers' URLs: bbs.cgi, bbsmenu.html and each board's files.

Included before forum.urls. The thread pages browsers open (test/read.cgi/...) are the web's own
thread page and stay in forum.urls.
"""

from django.urls import path, re_path

from forum.models import BOARD_SLUG
from forum.twoch import bbscgi, files

BOARD = rf"(?P<board>{BOARD_SLUG})"

urlpatterns = [
    # JDim posts a confirmation page's form to subbbs.cgi unless it reads the form's action, so
    # both answer.
    re_path(r"^test/(?:sub)?bbs\.cgi$", bbscgi.bbs_cgi, name="bbs_cgi"),
    path("bbsmenu.html", files.bbsmenu, name="bbsmenu"),
    re_path(rf"^{BOARD}/subject\.txt$", files.subject_txt, name="subject_txt"),
    re_path(rf"^{BOARD}/SETTING\.TXT$", files.setting_txt, name="setting_txt"),
    re_path(rf"^{BOARD}/head\.txt$", files.head_txt, name="head_txt"),
    re_path(rf"^{BOARD}/dat/(?P<key>\d{{1,12}})\.dat$", files.dat_file, name="dat"),
    re_path(
        rf"^{BOARD}/kako/(?P<four>\d{{1,4}})/(?P<five>\d{{1,5}})/(?P<key>\d{{1,12}})\.dat$",
        files.kako_dat_file,
        name="kako_dat",
    ),
]
