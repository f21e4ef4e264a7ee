"""Posting from 2channel browsers through /test/bbs.cgi, with the answers they understand."""

import html
import re
from datetime import UTC, datetime
from urllib.parse import quote_plus

import pytest
from asgiref.sync import SyncToAsync, sync_to_async
from django.db import connections
from django.utils import translation
from django.utils.translation import gettext

from forum.addresses import hash_address
from forum.models import Ban, Post, Thread
from forum.tripcode import tripcode
from tests.forum.helpers import fill_thread
from tests.twoch.conftest import (
    cp932_form,
    page_text,
    post_bbs_cgi,
    reply_form,
    thread_form,
)

pytestmark = pytest.mark.django_db(transaction=True)

# JDim's own patterns (src/message/post.cpp): the innermost <b>, and the Samba seconds in it.
INNERMOST_B = re.compile(r"([^>]|[^b]>)*<b>(([^>]|[^b]>)*)</b>.*", re.IGNORECASE | re.DOTALL)
SAMBA_SECONDS = re.compile(r"(ＥＲＲＯＲ +- +593|ERROR: +Samba24:Caution|) +([0-9]+) +")
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def _ja(message: str) -> str:
    with translation.override("ja"):
        return gettext(message)


def _error_message(response) -> str:
    text = page_text(response)
    assert response.status_code == 200
    assert "<!-- 2ch_X:error -->" in text and "<title>ＥＲＲＯＲ！</title>" in text
    assert not response.cookies, "an error page must never set a cookie"
    return INNERMOST_B.match(text).group(2)


def _is_success(response) -> bool:
    text = page_text(response)
    return "<!-- 2ch_X:true -->" in text and "<title>書きこみました。</title>" in text


def _repost(client, response, *, decode: bool = True):
    """Post a confirmation page's form again, the way JDim does (2ch.md §5.1)."""
    fields = [
        (name, html.unescape(value) if decode else value)
        for name, value in HIDDEN.findall(page_text(response))
    ]
    return post_bbs_cgi(
        client,
        cp932_form(*fields, ("submit", "上記全てを承諾して書き込む")),
        Referer="http://testserver/test/bbs.cgi",
    )


@pytest.fixture
def thread(night, make_thread):
    return make_thread(board=night, title="眠れない", body="こんばんは")


def test_a_reply_in_cp932_is_posted_with_name_tripcode_and_sage(jdim, thread):
    response = post_bbs_cgi(
        jdim, reply_form("night", thread.key, name="ななし#istrip", body="こんばんは\n  (´・ω・`)")
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=Shift_JIS"
    assert _is_success(response)
    post = Post.objects.get(thread=thread, number=2)
    assert (post.name, post.tripcode, post.mail) == ("ななし", "/WG5qp963c", "sage")
    assert post.body == "こんばんは\n  (´・ω・`)"
    thread.refresh_from_db()
    assert thread.bumped_at == thread.created_at  # sage


def test_emoji_sent_as_numeric_references_are_stored_as_characters(jdim, thread):
    assert _is_success(post_bbs_cgi(jdim, reply_form("night", thread.key, body="朝だ😀")))
    assert Post.objects.get(thread=thread, number=2).body == "朝だ😀"
    dat = jdim.get(f"/night/dat/{thread.key}.dat").content
    assert dat.endswith(" 朝だ&#128512; <>\n".encode("cp932"))


def test_plus_for_spaces_and_a_declared_utf8_charset_are_understood(jdim, thread):
    assert _is_success(
        post_bbs_cgi(jdim, b"bbs=night&key=%d&FROM=&mail=&MESSAGE=a+b%%20c" % thread.key)
    )
    utf8 = f"bbs=night&key={thread.key}&mail=&MESSAGE=%E3%81%82%E3%81%84"
    response = jdim.post(
        "/test/bbs.cgi", data=utf8, content_type="application/x-www-form-urlencoded; charset=utf-8"
    )
    assert _is_success(response)
    bodies = list(Post.objects.filter(thread=thread).values_list("body", flat=True))
    assert bodies[1:] == ["a b c", "あい"]


def test_a_new_thread_from_bbs_cgi_opens_on_the_board(jdim, night):
    response = post_bbs_cgi(
        jdim, thread_form("night", subject="新スレ <テスト>", mail="", body="立てました")
    )
    assert _is_success(response)
    thread = Thread.objects.get(board=night)
    assert thread.title == "新スレ <テスト>"
    assert thread.posts.get().body == "立てました"
    assert jdim.get("/night/subject.txt").content == (
        f"{thread.key}.dat<>新スレ &lt;テスト&gt; (1)\n".encode("cp932")
    )


def test_a_post_made_through_bbs_cgi_shows_on_the_web_page(jdim, client, thread):
    client.get(thread.get_absolute_url())  # cached before the post
    post_bbs_cgi(jdim, reply_form("night", thread.key, body="専用ブラウザから"))
    assert "専用ブラウザから" in client.get(thread.get_absolute_url()).content.decode()


async def test_a_post_made_through_bbs_cgi_arrives_live_on_the_threads_web_page(jdim, thread):
    """A reader with the thread open in a web browser sees the post without reloading."""
    sockets = pytest.importorskip("tests.realtime.sockets")
    reader = sockets.communicator(f"/ws/thread/night/{thread.key}/?lang=ja&last=1")
    connected, _ = await reader.connect()
    assert connected
    try:
        response = await sync_to_async(post_bbs_cgi)(
            jdim, reply_form("night", thread.key, body="生中継です")
        )
        assert _is_success(response)
        frame = await sockets.next_frame(reader, "posts")
        assert [item["number"] for item in frame["posts"]] == [2]
        assert "生中継です" in frame["posts"][0]["html"]
    finally:
        await reader.disconnect()
        # Consumers use asgiref's one worker thread; its connection must not outlive the test.
        SyncToAsync.single_thread_executor.submit(connections.close_all).result()


def test_an_empty_body_is_refused_with_the_message_posting_gives(jdim, thread):
    response = post_bbs_cgi(jdim, reply_form("night", thread.key, body="  \n "))
    assert _error_message(response) == "ＥＲＲＯＲ：" + _ja(
        "Please write something before posting."
    )
    assert Post.objects.filter(thread=thread).count() == 1


def test_a_too_long_body_is_refused_without_looking_like_samba(jdim, thread):
    response = post_bbs_cgi(
        jdim, reply_form("night", thread.key, body="x" * 4001), **{"Accept-Language": "en"}
    )
    message = _error_message(response)
    assert message == ("ＥＲＲＯＲ：A post can be at most ４０００ characters (this one has 4001).")
    assert not SAMBA_SECONDS.search(message)


def test_posting_too_fast_answers_in_the_samba_form_browsers_count_down(jdim, thread, settings):
    settings.YOAKE_POST_INTERVAL = 30
    assert _is_success(post_bbs_cgi(jdim, reply_form("night", thread.key, body="一回目")))
    response = post_bbs_cgi(jdim, reply_form("night", thread.key, body="二回目"))
    message = _error_message(response)
    assert message.startswith("ERROR: Samba24:Caution ")
    # The board's interval, which JDim counts down from its own post (2ch.md §5.2).
    assert int(SAMBA_SECONDS.search(message).group(2)) == 30
    assert "ERROR: Samba24:Caution 30 秒たたないと書けません。<br>" in message
    assert Post.objects.filter(thread=thread).count() == 2


def test_too_many_new_threads_is_a_plain_error_not_a_samba_lock(jdim, make_board):
    make_board(slug="quiet", threads_per_hour=1)
    assert _is_success(post_bbs_cgi(jdim, thread_form("quiet", subject="一つ目", body="a")))
    message = _error_message(post_bbs_cgi(jdim, thread_form("quiet", subject="二つ目", body="b")))
    assert "Samba24" not in message and not SAMBA_SECONDS.search(message)
    assert Thread.objects.filter(board__slug="quiet").count() == 1


def test_a_full_thread_refuses_with_its_message(jdim, thread):
    fill_thread(thread, 1000)
    message = _error_message(post_bbs_cgi(jdim, reply_form("night", thread.key, body="1001?")))
    assert "1000" in message or "１０００" in message
    assert Post.objects.filter(thread=thread).count() == 1000


def test_an_archived_thread_refuses(jdim, thread):
    Thread.objects.filter(pk=thread.pk).update(is_archived=True, archived_at=thread.created_at)
    assert _error_message(post_bbs_cgi(jdim, reply_form("night", thread.key, body="まだ?")))
    assert Post.objects.filter(thread=thread).count() == 1


def test_a_banned_poster_sees_the_moderators_reason(jdim, thread):
    Ban.objects.create(
        kind=Ban.Kind.ADDRESS,
        target_hash=hash_address("127.0.0.1").address,
        reason="荒らし行為のため",
    )
    message = _error_message(post_bbs_cgi(jdim, reply_form("night", thread.key, body="やあ")))
    assert "荒らし行為のため" in message
    assert _ja("This ban has no end date: it lasts until a moderator lifts it.") in message
    assert Post.objects.filter(thread=thread).count() == 1


def test_a_banned_poster_reads_when_the_ban_ends_in_japanese(jdim, thread):
    Ban.objects.create(
        kind=Ban.Kind.ADDRESS,
        target_hash=hash_address("127.0.0.1").address,
        reason="荒らし行為のため",
        expires_at=datetime(2099, 1, 2, 15, 30, tzinfo=UTC),  # 00:30 on the 3rd in Tokyo
    )
    message = _error_message(post_bbs_cgi(jdim, reply_form("night", thread.key, body="やあ")))
    assert "禁止は2099/01/03 00:30（JST）に解除されます。" in message
    assert not SAMBA_SECONDS.search(message)  # no number a browser would take for a wait


def test_a_name_that_claims_a_role_is_refused(jdim, thread):
    response = post_bbs_cgi(jdim, reply_form("night", thread.key, name="削除人#key", body="やあ"))
    assert "役割を名乗る名前" in _error_message(response)
    assert Post.objects.filter(thread=thread).count() == 1


def test_unknown_boards_and_threads_are_errors(jdim, thread):
    assert _error_message(post_bbs_cgi(jdim, reply_form("nosuch", thread.key, body="a")))
    assert _error_message(post_bbs_cgi(jdim, reply_form("night", 123, body="a")))
    assert _error_message(post_bbs_cgi(jdim, reply_form("night", "12a", body="a")))  # type: ignore[arg-type]


def test_a_first_post_without_the_cookie_gets_the_confirmation_page_and_posts_nothing(
    client, thread
):
    response = post_bbs_cgi(client, reply_form("night", thread.key, name="名#key", body="初めて😀"))
    text = page_text(response)
    assert response.status_code == 200
    assert "<!-- 2ch_X:cookie -->" in text and "<title>■ 書き込み確認 ■</title>" in text
    assert Post.objects.filter(thread=thread).count() == 1
    cookie = response.cookies["yoake_poster"]
    assert cookie["samesite"] == "Strict" and cookie["httponly"]
    assert dict(HIDDEN.findall(text)) == {
        "bbs": "night",
        "key": str(thread.key),
        "time": "1795672180",
        "FROM": "名#key",
        "mail": "sage",
        "MESSAGE": "初めて&#128512;",
    }
    # JDim shows the innermost <b> in its dialog: the same words as the web's first-post page.
    assert _ja("Do not post anything that could identify you or anyone else.") in (
        INNERMOST_B.match(text).group(2)
    )


@pytest.mark.parametrize("decode", [True, False], ids=["browser-decodes", "sent-as-is"])
def test_posting_the_confirmation_form_again_with_the_cookie_posts_exactly_what_was_typed(
    client, thread, decode
):
    body = "a & b <c> \"d\" 'e'\n  二行目😀"
    first = post_bbs_cgi(client, reply_form("night", thread.key, name="名#key", body=body))
    assert "yoake_poster" in client.cookies
    assert _is_success(_repost(client, first, decode=decode))
    post = Post.objects.get(thread=thread, number=2)
    assert (post.body, post.name, post.tripcode) == (body, "名", tripcode("key"))
    assert post.delete_key_hash  # the cookie is the delete key, as on the web


def test_a_request_without_the_cookie_never_posts_even_from_a_forged_form(client, thread, night):
    forms = (
        reply_form("night", thread.key, body="偽物"),
        thread_form("night", subject="偽", body="偽"),
    )
    for headers in ({}, {"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
        for form in forms:
            post_bbs_cgi(client, form, **headers)
            client.cookies.clear()
    assert Post.objects.count() == 1 and Thread.objects.count() == 1


def test_a_cross_site_form_is_refused_even_with_a_cookie(jdim, thread):
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
        response = post_bbs_cgi(jdim, reply_form("night", thread.key, body="偽物"), **headers)
        assert _error_message(response)
    same = post_bbs_cgi(
        jdim, reply_form("night", thread.key, body="本物"), Origin="http://testserver:8000"
    )
    assert _is_success(same)


def test_an_origin_on_another_port_is_refused_when_the_host_names_its_port(jdim, thread):
    site = {"Host": "testserver:8000", "Referer": "http://testserver:8000/night/"}
    for origin in ("http://testserver:9999", "http://testserver", "https://testserver:8000"):
        form = reply_form("night", thread.key, body="偽物")
        assert _error_message(post_bbs_cgi(jdim, form, Origin=origin, **site))
    same = post_bbs_cgi(
        jdim, reply_form("night", thread.key, body="本物"), Origin="http://testserver:8000", **site
    )
    assert _is_success(same)
    assert list(Post.objects.filter(thread=thread).values_list("body", flat=True)) == [
        "こんばんは",
        "本物",
    ]


def _submit_like_a_browser(client, response):
    """Submit a confirmation page's form the way a web browser does: the attributes decoded,
    the page's Shift_JIS with numeric references for what it cannot hold, "+" for spaces, the
    submit button's own value, and "Origin: null" (the page is sent with no-referrer)."""
    text = page_text(response)
    fields = [(name, html.unescape(value)) for name, value in HIDDEN.findall(text)]
    button = re.search(r'<input type="submit" name="submit" value="([^"]*)">', text)
    fields.append(("submit", html.unescape(button.group(1))))
    body = "&".join(
        f"{name}={quote_plus(value.encode('cp932', 'xmlcharrefreplace'))}" for name, value in fields
    )
    return client.post(
        "/test/bbs.cgi",
        data=body.encode("ascii"),
        content_type="application/x-www-form-urlencoded",
        headers={
            "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36",
            "Origin": "null",
            "Sec-Fetch-Site": "same-origin",
            "Sec-Fetch-Mode": "navigate",
        },
    )


def test_the_confirmation_page_can_be_submitted_from_a_web_browser(client, thread):
    first = client.post(
        "/test/bbs.cgi",
        data=reply_form("night", thread.key, name="名#key", body="ブラウザから 😀"),
        content_type="application/x-www-form-urlencoded",
        headers={"Origin": "null", "Sec-Fetch-Site": "same-origin"},
    )
    assert "<title>■ 書き込み確認 ■</title>" in page_text(first)
    assert "yoake_poster" in client.cookies  # the cookie the page set, sent back by the browser
    assert _is_success(_submit_like_a_browser(client, first))
    post = Post.objects.get(thread=thread, number=2)
    assert (post.body, post.name, post.tripcode) == ("ブラウザから 😀", "名", tripcode("key"))


@pytest.fixture
def risk(make_risk_phrase, make_help_line):
    make_risk_phrase(phrase="消えたい", language="ja")
    for n in range(4):
        make_help_line(country="JP", name_en=f"Helpline {n}", phone=f"012000000{n}", hours="24/7")


def test_risk_language_asks_first_with_at_most_three_help_lines(jdim, thread, risk):
    response = post_bbs_cgi(jdim, reply_form("night", thread.key, body="もう消えたい"))
    text = page_text(response)
    assert "<!-- 2ch_X:cookie -->" in text and "<title>■ 書き込み確認 ■</title>" in text
    assert not response.cookies
    assert Post.objects.filter(thread=thread).count() == 1
    dialog = INNERMOST_B.match(text).group(2)
    assert sum(f"Helpline {n}" in dialog for n in range(4)) == 3
    assert ("yoake_confirm", "1") in HIDDEN.findall(text)
    assert _is_success(_repost(jdim, response))
    post = Post.objects.get(thread=thread, number=2)
    assert post.body == "もう消えたい" and post.is_risk_flagged


def test_a_first_post_with_risk_language_is_confirmed_once_for_both(client, thread, risk):
    """JDim confirms only once per post, so the cookie page carries the help lines too."""
    response = post_bbs_cgi(client, reply_form("night", thread.key, body="消えたい夜"))
    dialog = INNERMOST_B.match(page_text(response)).group(2)
    assert "Helpline 0" in dialog
    assert "yoake_poster" in response.cookies
    assert _is_success(_repost(client, response))
    assert Post.objects.get(thread=thread, number=2).is_risk_flagged


def test_a_new_thread_with_risk_language_in_the_title_asks_first(jdim, night, risk):
    response = post_bbs_cgi(jdim, thread_form("night", subject="消えたい", body="聞いて"))
    assert "■ 書き込み確認 ■" in page_text(response)
    assert not Thread.objects.exists()
    assert _is_success(_repost(jdim, response))
    assert Thread.objects.get().title == "消えたい"


def test_the_confirmation_form_posts_back_to_bbs_cgi_and_subbbs_cgi_works_too(jdim, thread):
    page = page_text(post_bbs_cgi(jdim.__class__(), reply_form("night", thread.key, body="x")))
    assert '<form method="POST" action="/test/bbs.cgi">' in page
    response = jdim.post(
        "/test/subbbs.cgi",
        data=reply_form("night", thread.key, body="subbbs"),
        content_type="application/x-www-form-urlencoded",
    )
    assert _is_success(response)


def test_get_is_not_a_way_to_post(client):
    assert client.get("/test/bbs.cgi").status_code == 405
