"""Every malformed request of issue 13 answers a clear 4xx (bbs.cgi: its 2channel error page),
never a 500 or an unhandled exception."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from asgiref.sync import sync_to_async
from django.utils import translation
from django.utils.translation import gettext

from forum.models import Post
from forum.posting import create_post
from forum.text import clean_body, clean_line
from support.search import search_query
from tests.factories import poster_from
from tests.realtime.sockets import next_frame
from tests.twoch.conftest import page_text, post_bbs_cgi, reply_form

pytestmark = pytest.mark.django_db(transaction=True)

UNSUPPORTED = "That character set is not supported; send Shift_JIS, EUC-JP or UTF-8."
INNERMOST_B = re.compile(r"<b>ＥＲＲＯＲ：(.*?)</b>", re.DOTALL)


@pytest.fixture
def thread(night, make_thread):
    return make_thread(board=night, title="眠れない", body="こんばんは")


def _post_with_charset(client, thread, charset: str, body: bytes | None = None):
    client.cookies["yoake_poster"] = "jdim-delete-key"
    return post_bbs_cgi(
        client,
        body if body is not None else reply_form("night", thread.key, body="こんばんは"),
        CONTENT_TYPE=f"application/x-www-form-urlencoded; charset={charset}",
    )


def _ja(message: str) -> str:
    with translation.override("ja"):
        return gettext(message)


def _error(response) -> str:
    assert response.status_code == 200  # 2channel browsers read nothing but a 200
    text = page_text(response)
    assert "<!-- 2ch_X:error -->" in text
    return INNERMOST_B.search(text).group(1)


# --- bbs.cgi charsets --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "charset", ["rot13", "base64", "zlib", "hex", "bz2", "uu", "punycode", "undefined"]
)
def test_bbs_cgi_refuses_a_body_in_a_codec_that_is_no_charset_with_a_clear_2channel_error(
    client, thread, charset
):
    response = _post_with_charset(client, thread, charset)
    assert _error(response) == _ja(UNSUPPORTED)
    assert thread.posts.count() == 1


def test_bbs_cgi_refuses_a_rot13_body_with_a_clear_2channel_error(client, thread):
    assert _error(_post_with_charset(client, thread, "rot13")) == _ja(UNSUPPORTED)


@pytest.mark.parametrize("charset", ["utf-16", "iso-2022-jp", "latin-1", "no-such-charset"])
def test_bbs_cgi_refuses_charsets_no_2channel_browser_sends(client, thread, charset):
    assert _error(_post_with_charset(client, thread, charset)) == _ja(UNSUPPORTED)


@pytest.mark.parametrize(
    "charset", ["Shift_JIS", "shift-jis", "sjis", "windows-31j", "x-sjis", "cp932", '"cp932"']
)
def test_bbs_cgi_reads_shift_jis_under_each_of_its_names(client, thread, charset):
    response = _post_with_charset(client, thread, charset)
    assert "<!-- 2ch_X:true -->" in page_text(response)
    assert thread.posts.get(number=2).body == "こんばんは"


def test_bbs_cgi_reads_euc_jp_and_utf8(client, thread):
    for charset, encoding, n, typed in (
        ("EUC-JP", "euc_jp", 2, "おやすみ"),
        ("x-euc-jp", "euc_jp", 3, "ねむれない"),
        ("UTF-8", "utf-8", 4, "あさが来た😀"),
    ):
        body = reply_form("night", thread.key, body="x").replace(
            b"MESSAGE=x", b"MESSAGE=" + quote(typed.encode(encoding)).encode()
        )
        response = _post_with_charset(client, thread, charset, body)
        assert "<!-- 2ch_X:true -->" in page_text(response)
        assert thread.posts.get(number=n).body == typed


def test_bbs_cgi_turns_bytes_that_do_not_decode_into_replacement_characters(client, thread):
    body = reply_form("night", thread.key, body="x").replace(
        b"MESSAGE=x", b"MESSAGE=%FF%FE%ED%A0%80"
    )
    for charset in ("utf-8", "euc-jp", "cp932"):
        response = _post_with_charset(client, thread, charset, body)
        assert response.status_code == 200
        assert "2ch_X:" in page_text(response)


def test_bbs_cgi_refuses_a_board_name_no_board_could_have(client, thread):
    body = reply_form("night", thread.key, body="x").replace(b"bbs=night", b"bbs=%26%230%3B")
    response = _post_with_charset(client, thread, "cp932", body)
    assert _error(response) == _ja("There is no such board.")


# --- integers in query strings -----------------------------------------------------------------


def test_a_search_page_far_past_the_end_is_the_last_page_not_a_500(client, thread):
    response = client.get("/search/?q=a&page=99999999999999999999")
    assert response.status_code == 200


@pytest.mark.parametrize("page", ["-1", "0", "1e9", "x", "²", "１２", ""])
def test_a_search_page_that_is_no_page_number_is_the_first_page(client, page):
    assert client.get("/search/", {"q": "a", "page": page}).status_code == 200


# --- WebSocket frames --------------------------------------------------------------------------


async def test_a_deeply_nested_json_frame_is_refused_as_malformed(connect, make_room):
    await sync_to_async(make_room)(slug="lounge")
    socket = await connect("/ws/chat/lounge/")
    await socket.send_to(text_data="[" * 1900 + "]" * 1900)
    error = await next_frame(socket, "error", passing=("presence", "messages"))
    assert error["code"] == "malformed"
    assert error["message"] == "That message could not be read."
    await socket.send_to(text_data='{"a":' * 50 + "1" + "}" * 50)
    error = await next_frame(socket, "error", passing=("presence", "messages"))
    assert error["code"] == "malformed"


async def test_a_deeply_nested_json_frame_on_a_thread_socket_is_refused(connect, thread):
    socket = await connect(f"/ws/thread/night/{thread.key}/")
    await socket.send_to(text_data="[" * 1900 + "]" * 1900)
    error = await next_frame(socket, "error", passing=("presence", "posts", "hello"))
    assert error["code"] == "malformed"


async def test_a_lone_surrogate_in_a_chat_handle_is_refused_and_the_socket_stays_usable(
    connect, make_room
):
    await sync_to_async(make_room)(slug="lounge")
    socket = await connect("/ws/chat/lounge/")
    await socket.send_to(text_data='{"type": "send", "handle": "\\ud800", "body": "hi"}')
    error = await next_frame(socket, "error", passing=("presence", "messages"))
    assert error["code"] == "malformed"
    # A raw surrogate in the text (what no real socket can carry) is refused the same way.
    await socket.send_to(text_data='{"type": "send", "handle": "\ud800", "body": "hi"}')
    error = await next_frame(socket, "error", passing=("presence", "messages"))
    assert error["code"] == "malformed"
    await socket.send_json_to({"type": "send", "handle": "ok", "body": "hi", "nonce": "n"})
    sent = await next_frame(socket, "sent", passing=("presence", "messages"))
    assert sent["number"] == 1


# --- lone surrogates in typed text -------------------------------------------------------------


def test_cleaning_drops_lone_surrogates_and_keeps_real_characters():
    assert clean_line("名無し\ud800さん\udfff😀") == "名無しさん😀"
    assert clean_body("a\ud800\nb") == "a\nb"
    assert search_query("\ud800abc") == "'abc'"


def test_a_lone_surrogate_in_a_board_reply_name_and_body_is_dropped(thread):
    create_post(thread, poster=poster_from(), name="な\ud800し", body="こん\udc00ばんは")
    post = Post.objects.get(thread=thread, number=2)
    assert (post.name, post.body) == ("なし", "こんばんは")


def test_a_web_reply_with_a_broken_utf8_surrogate_is_posted_not_a_500(client, thread):
    client.cookies["yoake_poster"] = "k"
    response = client.post(
        thread.get_absolute_url(),
        b"name=%ED%A0%80&body=hello%ED%A0%80",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 302
    assert thread.posts.get(number=2).body.startswith("hello")


def test_a_search_for_a_broken_utf8_surrogate_is_answered(client):
    assert client.get("/search/?q=%ED%A0%80").status_code == 200
