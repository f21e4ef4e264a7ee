from django.urls import path, re_path

from forum import feeds, replies, views, yours
from forum.models import BOARD_SLUG

# 2channel's read.cgi ranges: l50, l50n, 50, 50n, 1-100, 1-100n, 100-, -100.
RANGE = r"(?P<spec>l\d{1,4}n?|\d{1,4}-\d{0,4}n?|-\d{1,4}n?|\d{1,4}n?)"
BOARD = rf"(?P<board>{BOARD_SLUG})"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    # Replies to you (forum.replies): the page, and the header's count for its script.
    path("replies/", replies.replies, name="replies"),
    path("replies/count/", replies.replies_count, name="replies_count"),
    # The thread page, at the address 2channel browsers open (their files: forum.twoch.urls).
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
    re_path(rf"^post/{BOARD}/(?P<key>\d{{1,12}})/yours/$", yours.your_posts, name="your_posts"),
    re_path(
        rf"^post/{BOARD}/(?P<key>\d{{1,12}})/(?P<number>\d{{1,4}})/report/$",
        views.report,
        name="report_post",
    ),
    re_path(rf"^{BOARD}/$", views.board, name="board"),
    re_path(rf"^{BOARD}/archive/$", views.archive, name="archive"),
    # Atom feeds (forum.feeds): a board's newest threads, a thread's newest posts.
    re_path(rf"^{BOARD}/feed/$", feeds.board_feed, name="board_feed"),
    re_path(rf"^{BOARD}/(?P<key>\d{{1,12}})/feed/$", feeds.thread_feed, name="thread_feed"),
]
