"""Board, thread and home pages as a reader sees them, and the web forms that post to them."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from forum.addresses import hash_address
from forum.models import Post, Report, Thread
from forum.poster import Poster
from forum.standing import cookie_hash, note_seen
from tests.forum.helpers import fill_thread

pytestmark = pytest.mark.django_db
DAYS_2 = timedelta(days=2)

XSS = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg onload=alert(1)>",
    "javascript:alert(1)",
    "</textarea><script>alert(1)</script>",
    "{{ 7*7 }}{% debug %}",
    "<a href='javascript:alert(1)'>x</a>",
    "\u202e<b>reversed</b>",
]


def first_post(client, url, data, **extra):
    """Post like a browser does the first time: confirm, then the cookie carries the post."""
    first = client.post(url, data, **extra)
    assert first.status_code == 200
    assert "Before your first post" in first.content.decode()
    assert "yoake_poster" in first.cookies
    return client.post(url, data, **extra)


def test_home_lists_boards_with_counts_and_a_chart_of_the_last_day(
    client, make_board, make_thread, make_post
):
    board = make_board(title_en="Night owls")
    thread = make_thread(board=board)
    make_post(thread=thread)
    page = client.get("/").content.decode()
    assert "Night owls" in page
    assert "1 thread" in page and "2 posts" in page
    assert '<svg class="sparkline"' in page
    assert "2 posts in the last 24 hours" in page


def test_board_lists_threads_by_last_bump_with_pinned_first(
    client, make_board, make_thread, make_post
):
    board = make_board()
    older = make_thread(
        board=board, title="Older thread", now=timezone.now() - timezone.timedelta(hours=3)
    )
    newer = make_thread(
        board=board, title="Newer thread", now=timezone.now() - timezone.timedelta(hours=2)
    )
    pinned = make_thread(
        board=board, title="Pinned thread", now=timezone.now() - timezone.timedelta(hours=5)
    )
    Thread.objects.filter(pk=pinned.pk).update(is_pinned=True)
    make_post(thread=older)  # bump
    page = client.get(f"/{board.slug}/").content.decode()
    order = [page.index(t) for t in ("Pinned thread", "Older thread", "Newer thread")]
    assert order == sorted(order)
    assert newer.title in page


def test_thread_page_shows_the_2channel_header_line(client, make_thread, make_post):
    thread = make_thread()
    post = make_post(thread=thread, name="tea#tea", mail="sage")
    page = client.get(thread.get_absolute_url()).content.decode()
    header = re.search(r'<article class="post" id="p2".*?</div>', page, re.S).group(0)
    assert '<a class="post-number" href="#p2">2</a>' in header
    assert 'tea <span class="trip">◆WokonZwxw2</span>' in header
    assert "[sage]" in header
    assert re.search(
        r"\d{4}/\d\d/\d\d\((Mon|Tue|Wed|Thu|Fri|Sat|Sun)\) \d\d:\d\d:\d\d\.\d\d", header
    )
    assert f"ID:{post.daily_id}" in header


def test_japanese_readers_see_japanese_weekdays(client, make_thread):
    thread = make_thread()
    page = client.get(thread.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert re.search(r"\d{4}/\d\d/\d\d\([月火水木金土日]\)", page)


@pytest.mark.parametrize(
    ("suffix", "expected"),
    [
        ("l5", [1, 16, 17, 18, 19, 20]),
        ("l5n", [16, 17, 18, 19, 20]),
        ("5", [1, 5]),
        ("5n", [5]),
        ("3-6", [1, 3, 4, 5, 6]),
        ("3-6n", [3, 4, 5, 6]),
        ("18-", [1, 18, 19, 20]),
        ("-3", [1, 2, 3]),
    ],
)
def test_read_cgi_ranges_show_the_posts_2channel_would(client, make_thread, suffix, expected):
    thread = make_thread()
    fill_thread(thread, 20)
    page = client.get(f"{thread.get_absolute_url()}{suffix}").content.decode()
    shown = [int(n) for n in re.findall(r'<article class="post[^"]*" id="p(\d+)"', page)]
    assert shown == expected


def test_the_whole_thread_is_on_one_page(client, make_thread):
    thread = make_thread()
    fill_thread(thread, 1000)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert len(re.findall(r'<article class="post', page)) == 1000


def test_unknown_thread_and_bad_range_are_not_found(client, make_thread):
    thread = make_thread()
    assert client.get(f"/test/read.cgi/{thread.board.slug}/1/").status_code == 404
    assert client.get(f"{thread.get_absolute_url()}abc").status_code == 404


def test_backlinks_list_the_replies_under_each_post(client, make_thread, make_post):
    thread = make_thread()
    make_post(thread=thread, body=">>1 welcome")
    make_post(thread=thread, body=">>1 >>2 same here")
    page = client.get(thread.get_absolute_url()).content.decode()
    first = re.search(r'id="p1".*?</article>', page, re.S).group(0)
    assert 'class="backlinks"' in first
    assert 'data-anchor="2">&gt;&gt;2</a>' in first and 'data-anchor="3">&gt;&gt;3</a>' in first


def test_an_xss_corpus_in_every_field_renders_inert(client, make_board):
    board = make_board(threads_per_hour=100)
    for n, payload in enumerate(XSS):
        data = {
            "title": f"{payload} {n}",
            "name": payload[:28],
            "mail": payload[:60],
            "body": payload,
        }
        response = (
            first_post(client, f"/{board.slug}/", data)
            if n == 0
            else client.post(f"/{board.slug}/", data)
        )
        assert response.status_code == 302, response.content.decode()[:500]
    for thread in Thread.objects.filter(board=board):
        page = client.get(thread.get_absolute_url()).content.decode()
        listing = client.get(f"/{board.slug}/").content.decode()
        for html in (page, listing):
            assert "<script>alert" not in html
            assert "<img src=x" not in html
            assert "<svg onload" not in html
            assert "href='javascript" not in html and 'href="javascript' not in html
            assert "\u202e" not in html


def test_first_post_from_a_browser_asks_once_then_posts(client, make_thread):
    thread = make_thread()
    response = first_post(client, thread.get_absolute_url(), {"body": "hello there"})
    assert response.status_code == 302
    assert response["Location"].endswith("#p2")
    again = client.post(thread.get_absolute_url(), {"body": "and again"})
    assert again.status_code == 302
    assert list(thread.posts.values_list("body", flat=True))[1:] == ["hello there", "and again"]


def test_a_form_on_another_site_cannot_post(client, make_thread):
    thread = make_thread()
    client.cookies["yoake_poster"] = "k"
    evil = client.post(
        thread.get_absolute_url(), {"body": "spam"}, HTTP_ORIGIN="https://evil.example"
    )
    assert evil.status_code == 403
    cross = client.post(
        thread.get_absolute_url(), {"body": "spam"}, HTTP_SEC_FETCH_SITE="cross-site"
    )
    assert cross.status_code == 403
    assert thread.posts.count() == 1


def test_refused_post_keeps_everything_typed_and_says_why_above_the_form(client, make_thread):
    thread = make_thread()
    client.cookies["yoake_poster"] = "k"
    data = {"name": "someone#key", "mail": "sage", "body": "x" * 4001}
    response = client.post(thread.get_absolute_url(), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert page.index('class="errors"') < page.index('name="body"')
    assert "at most 4000 characters" in page
    assert 'value="someone#key"' in page and 'value="sage"' in page
    assert "x" * 4001 in page


def test_new_thread_refusal_keeps_the_title_and_body(client, make_board):
    board = make_board()
    client.cookies["yoake_poster"] = "k"
    response = client.post(f"/{board.slug}/", {"title": "", "body": "my words"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "give the thread a title" in page
    assert "my words" in page


def test_poster_can_delete_their_own_post_and_it_shows_as_deleted(client, make_thread):
    thread = make_thread()
    client.cookies["yoake_poster"] = "my-key"
    client.post(thread.get_absolute_url(), {"body": "regret this"})
    post = thread.posts.get(number=2)
    stranger = client.__class__()
    stranger.cookies["yoake_poster"] = "other-key"
    refused = stranger.post(f"/post/{thread.board.slug}/{thread.key}/2/delete/")
    assert refused.status_code == 403
    assert "not made from this browser" in refused.content.decode()
    response = client.post(f"/post/{thread.board.slug}/{thread.key}/2/delete/")
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == Post.Status.DELETED_BY_POSTER
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "deleted by the poster" in page
    assert "regret this" not in page
    assert re.findall(r'id="p(\d+)"', page) == ["1", "2"]


def test_a_report_is_stored_for_moderators_with_its_reason(client, make_thread):
    thread = make_thread()
    form = client.get(f"/post/{thread.board.slug}/{thread.key}/1/report/").content.decode()
    for reason in ("spam", "harassment", "personal_information", "risk_of_harm", "other"):
        assert f'value="{reason}"' in form
    response = client.post(
        f"/post/{thread.board.slug}/{thread.key}/1/report/",
        {"reason": "risk_of_harm", "detail": "worried"},
    )
    assert response.status_code == 200
    report = Report.objects.get()
    assert (report.reason, report.detail, report.post.number) == ("risk_of_harm", "worried", 1)


def test_a_post_reported_by_three_known_readers_is_hidden_until_a_moderator_looks(
    client, make_thread, settings
):
    settings.YOAKE_REPORT_HIDE_THRESHOLD = 3
    thread = make_thread()
    url = f"/post/{thread.board.slug}/{thread.key}/1/report/"
    for key in ("reader-1", "reader-2", "reader-3"):  # each first seen two days ago
        note_seen(cookie_hash(Poster(hash_address("10.9.0.1"), key)), timezone.now() - DAYS_2)
    for address, key in (
        ("10.1.0.1", "reader-1"),
        ("10.1.0.1", "reader-1"),
        ("10.2.0.1", "reader-2"),
    ):
        client.cookies["yoake_poster"] = key
        client.post(url, {"reason": "spam"}, REMOTE_ADDR=address)
    assert thread.posts.get(number=1).status == Post.Status.VISIBLE  # one reader twice counts once
    client.cookies["yoake_poster"] = "reader-3"
    client.post(url, {"reason": "spam"}, REMOTE_ADDR="10.3.0.1")
    assert thread.posts.get(number=1).status == Post.Status.HIDDEN_PENDING_REVIEW
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "hidden until a moderator" in page


def test_a_form_posted_from_a_no_referrer_page_is_accepted_by_its_fetch_metadata(
    client, make_thread
):
    thread = make_thread()
    client.cookies["yoake_poster"] = "k"
    same = client.post(
        thread.get_absolute_url(),
        {"body": "from our page"},
        HTTP_ORIGIN="null",
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    assert same.status_code == 302
    cross = client.post(
        thread.get_absolute_url(),
        {"body": "from elsewhere"},
        HTTP_ORIGIN="null",
        HTTP_SEC_FETCH_SITE="cross-site",
    )
    assert cross.status_code == 403
