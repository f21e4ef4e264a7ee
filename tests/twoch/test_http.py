"""HTTP the way 2channel browsers use it: Last-Modified, 304, Range (206/416), gzip, HEAD, cache."""

import gzip
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.http import http_date, parse_http_date

from forum.models import Board, Post
from forum.posting import delete_own_post
from forum.twoch import cache

pytestmark = pytest.mark.django_db(transaction=True)


def _url(thread) -> str:
    return f"/{thread.board.slug}/dat/{thread.key}.dat"


@pytest.fixture
def thread(night, make_thread, make_post):
    thread = make_thread(board=night, body="一番乗り")
    make_post(thread=thread, body="二番目")
    return thread


def test_a_whole_dat_comes_with_last_modified_length_and_accept_ranges(client, thread):
    response = client.get(_url(thread))
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == str(len(response.content))
    assert parse_http_date(response["Last-Modified"]) <= timezone.now().timestamp() + 1
    assert "Content-Encoding" not in response


def test_if_modified_since_without_range_answers_304_when_nothing_changed(client, thread):
    first = client.get(_url(thread))
    again = client.get(_url(thread), headers={"If-Modified-Since": first["Last-Modified"]})
    assert again.status_code == 304
    assert again.content == b""


@pytest.mark.parametrize("back", [1, 0], ids=["jdim-resume-from-length-1", "head-update-check"])
def test_a_client_holding_every_byte_gets_304(client, thread, back):
    first = client.get(_url(thread))
    start = len(first.content) - back
    headers = {"If-Modified-Since": first["Last-Modified"], "Range": f"bytes={start}-"}
    assert client.get(_url(thread), headers=headers).status_code == 304


def test_a_resume_after_a_new_post_gets_206_starting_with_the_newline(client, thread, make_post):
    first = client.get(_url(thread))
    make_post(thread=thread, body="三番目")
    start = len(first.content) - 1
    response = client.get(
        _url(thread),
        headers={"If-Modified-Since": first["Last-Modified"], "Range": f"bytes={start}-"},
    )
    whole = client.get(_url(thread)).content
    assert response.status_code == 206
    assert response.content == whole[start:]
    assert response.content.startswith(b"\n") and "三番目".encode("cp932") in response.content
    assert response["Content-Range"] == f"bytes {start}-{len(whole) - 1}/{len(whole)}"
    assert response["Content-Length"] == str(len(whole) - start)


def test_a_post_in_the_same_second_is_never_hidden_behind_a_304(client, thread, make_post):
    """Last-Modified has one-second resolution; the byte count decides (2ch.md §2.3)."""
    first = client.get(_url(thread))
    make_post(thread=thread, body="同じ秒に")
    later = http_date((timezone.now() + timedelta(days=1)).timestamp())
    response = client.get(
        _url(thread),
        headers={"If-Modified-Since": later, "Range": f"bytes={len(first.content) - 1}-"},
    )
    assert response.status_code == 206
    assert "同じ秒に".encode("cp932") in response.content


def test_a_client_holding_more_bytes_than_exist_gets_416(client, thread):
    """After an あぼーん the dat is shorter: the browser learns it and fetches it again."""
    post = Post.objects.get(thread=thread, number=2)
    post.thread = thread
    before = client.get(_url(thread))
    delete_own_post(post, delete_key="test-delete-key")
    response = client.get(
        _url(thread),
        headers={
            "If-Modified-Since": before["Last-Modified"],
            "Range": f"bytes={len(before.content) - 1}-",
        },
    )
    length = len(client.get(_url(thread)).content)
    assert length < len(before.content)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{length}"


def test_gzip_is_used_for_whole_answers_only(client, thread):
    plain = client.get(_url(thread)).content
    whole = client.get(_url(thread), headers={"Accept-Encoding": "gzip"})
    assert whole["Content-Encoding"] == "gzip"
    assert whole["Vary"].count("Accept-Encoding") == 1
    assert gzip.decompress(whole.content) == plain
    assert whole["Content-Length"] == str(len(whole.content))
    part = client.get(_url(thread), headers={"Accept-Encoding": "gzip", "Range": "bytes=3-"})
    assert part.status_code == 206 and "Content-Encoding" not in part
    assert part.content == plain[3:]


@pytest.mark.parametrize(
    "headers",
    [{}, {"Accept-Encoding": "gzip"}, {"Range": "bytes=5-"}, {"Range": "bytes=99999-"}],
    ids=["whole", "gzip", "range", "past-the-end"],
)
def test_head_gives_the_headers_of_get_and_no_body(client, thread, headers):
    got = client.get(_url(thread), headers=headers)
    head = client.head(_url(thread), headers=headers)
    assert head.status_code == got.status_code
    assert head.content == b""
    for name in (
        "Content-Length",
        "Content-Type",
        "Content-Encoding",
        "Content-Range",
        "Last-Modified",
        "Accept-Ranges",
    ):
        assert head.get(name) == got.get(name), name


def test_head_update_check_says_updated_only_after_a_post(client, thread, make_post):
    first = client.get(_url(thread))
    check = {"If-Modified-Since": first["Last-Modified"], "Range": f"bytes={len(first.content)}-"}
    assert client.head(_url(thread), headers=check).status_code == 304
    make_post(thread=thread, body="更新チェック")
    assert client.head(_url(thread), headers=check).status_code == 206


def test_a_cached_dat_is_served_without_touching_the_database(
    client, thread, django_assert_num_queries
):
    first = client.get(_url(thread))
    client.get("/night/subject.txt")
    client.get("/night/SETTING.TXT")
    client.get("/night/head.txt")
    with django_assert_num_queries(0):
        again = client.get(_url(thread))
        zipped = client.get(_url(thread), headers={"Accept-Encoding": "gzip"})
        client.get("/night/subject.txt")
        client.get("/night/SETTING.TXT")
        client.get("/night/head.txt")
    assert again.content == first.content
    assert gzip.decompress(zipped.content) == first.content


def test_a_new_post_replaces_the_cached_dat_and_subject_at_once(client, thread, make_post):
    client.get(_url(thread))
    client.get("/night/subject.txt")
    make_post(thread=thread, body="キャッシュ越し")
    assert "キャッシュ越し".encode("cp932") in client.get(_url(thread)).content
    assert client.get("/night/subject.txt").content.endswith(b" (3)\n")


def test_subject_txt_last_modified_grows_with_every_change_even_within_a_second(
    client, thread, make_post
):
    times = [parse_http_date(client.get("/night/subject.txt")["Last-Modified"])]
    for n in range(3):
        make_post(thread=thread, body=f"速い書き込み {n}")
        response = client.get("/night/subject.txt")
        times.append(parse_http_date(response["Last-Modified"]))
    assert times == sorted(set(times)) and len(times) == 4
    old = http_date(times[0])
    assert client.get("/night/subject.txt", headers={"If-Modified-Since": old}).status_code == 200


def test_editing_the_board_changes_setting_txt_and_the_dats(client, thread):
    client.get("/night/SETTING.TXT")
    dat = client.get(_url(thread)).content
    board = Board.objects.get(slug="night")
    board.default_name_ja = "夜の名無し"
    board.save()
    assert "BBS_NONAME_NAME=夜の名無し".encode("cp932") in client.get("/night/SETTING.TXT").content
    assert client.get(_url(thread)).content.count("夜の名無し".encode("cp932")) == 2
    assert dat.count("名無しさん".encode("cp932")) == 2


def test_a_thread_pushed_into_the_archive_falls_from_browsers_at_once(
    client, make_board, make_thread
):
    board = make_board(slug="tiny", capacity=1)
    first = make_thread(board=board)
    assert client.get(_url(first)).status_code == 200
    make_thread(board=board)
    assert client.get(_url(first)).status_code == 302
    assert str(first.key).encode() not in client.get("/tiny/subject.txt").content


def test_without_redis_the_files_are_served_uncached(client, thread, monkeypatch):
    from redis.exceptions import ConnectionError as RedisConnectionError

    def down():
        raise RedisConnectionError("redis is down")

    expected = client.get(_url(thread)).content
    monkeypatch.setattr(cache, "_scripts", {})
    monkeypatch.setattr(cache, "redis_client", down)
    dat = client.get(_url(thread), headers={"Accept-Encoding": "gzip"})
    assert gzip.decompress(dat.content) == expected
    assert "Last-Modified" in dat
    subject = client.get("/night/subject.txt")
    assert subject.status_code == 200 and subject.content.endswith(b" (2)\n")
    # No time Redis could vouch for, so no time at all: never a wrong 304.
    assert "Last-Modified" not in subject
    assert (
        client.get("/night/subject.txt", headers={"If-Modified-Since": http_date()}).status_code
        == 200
    )


def test_other_methods_are_refused(client, thread):
    assert client.post(_url(thread)).status_code == 405
