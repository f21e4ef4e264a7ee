"""Archived threads for 2channel browsers: dat/ sends them on to the kako copy, which is whole."""

import gzip

import pytest

from forum.models import Post, Thread
from forum.moderation import archive_thread
from forum.posting import set_post_status
from tests.twoch.conftest import JDIM_HEADERS

pytestmark = pytest.mark.django_db(transaction=True)


def _kako(thread) -> str:
    key = str(thread.key)
    return f"/night/kako/{key[:4]}/{key[:5]}/{key}.dat"


@pytest.fixture
def fallen(night, make_thread, make_post):
    """A thread read while live, then pushed into the archive."""
    thread = make_thread(board=night, body="アーカイブされる")
    make_post(thread=thread, body="最後の書き込み")
    return thread


@pytest.fixture
def archive(make_moderator):
    """Move a thread to the archive, as a moderator does."""
    moderator = make_moderator(username="archivist")
    return lambda thread: archive_thread(
        Thread.objects.select_related("board").get(pk=thread.pk), by=moderator
    )


def test_an_archived_dat_is_sent_on_to_its_kako_address_which_serves_it_whole(
    client, fallen, archive
):
    live = client.get(f"/night/dat/{fallen.key}.dat", headers=JDIM_HEADERS).content
    archive(fallen)
    moved = client.get(f"/night/dat/{fallen.key}.dat", headers=JDIM_HEADERS)
    # Absolute: JDim before 0.13 cannot resolve anything else (2ch.md §2.2).
    assert moved.status_code == 302
    assert moved["Location"] == f"http://testserver{_kako(fallen)}"
    kako = client.get(_kako(fallen), headers=JDIM_HEADERS)
    assert kako.status_code == 200
    assert kako["Content-Type"] == "text/plain; charset=Shift_JIS"
    assert kako.content == live
    assert "最後の書き込み".encode("cp932") in kako.content


def test_the_redirect_carries_the_site_port_jdim_leaves_out_of_host(
    client, fallen, archive, settings
):
    settings.YOAKE_SITE_URL = "http://127.0.0.1:18123"
    archive(fallen)
    moved = client.get(f"/night/dat/{fallen.key}.dat", headers={"Host": "127.0.0.1"})
    assert moved["Location"] == f"http://127.0.0.1:18123{_kako(fallen)}"


def test_a_kako_dat_answers_ranges_gzip_head_and_304_like_a_live_one(client, fallen, archive):
    archive(fallen)
    whole = client.get(_kako(fallen))
    assert "Last-Modified" in whole and whole["Accept-Ranges"] == "bytes"
    zipped = client.get(_kako(fallen), headers={"Accept-Encoding": "gzip"})
    assert gzip.decompress(zipped.content) == whole.content
    part = client.get(_kako(fallen), headers={"Range": "bytes=4-"})
    assert part.status_code == 206 and part.content == whole.content[4:]
    head = client.head(_kako(fallen))
    assert head.status_code == 200 and head.content == b""
    assert head["Content-Length"] == str(len(whole.content))
    since = {"If-Modified-Since": whole["Last-Modified"]}
    assert client.get(_kako(fallen), headers=since).status_code == 304


def test_a_deletion_after_the_archive_shows_in_the_kako_copy(client, fallen, archive):
    archive(fallen)
    before = client.get(_kako(fallen)).content
    post = Post.objects.select_related("thread__board").get(thread=fallen, number=2)
    set_post_status(post, Post.Status.DELETED_BY_MODERATOR)
    after = client.get(_kako(fallen)).content
    assert "最後の書き込み".encode("cp932") in before
    assert "最後の書き込み".encode("cp932") not in after and "あぼーん".encode("cp932") in after


@pytest.mark.parametrize(
    "path",
    [
        "/night/kako/{k4}/{k5}/{key}.dat",  # a live thread has no kako copy
        "/night/kako/9999/99999/{key}.dat",  # not the key's own directories
        "/night/kako/{k4}/{k5}/{other}.dat",  # no such thread
        "/nosuch/kako/{k4}/{k5}/{key}.dat",
    ],
    ids=["live", "wrong-directories", "unknown-key", "unknown-board"],
)
def test_anything_else_at_a_kako_address_is_404(client, night, make_thread, path):
    thread = make_thread(board=night)
    key = str(thread.key)
    other = str(thread.key + 7)
    url = path.format(k4=key[:4], k5=key[:5], key=key, other=other)
    assert client.get(url).status_code == 404


def test_the_web_page_of_an_archived_thread_stays_readable(client, fallen, archive):
    archive(fallen)
    page = client.get(f"/test/read.cgi/night/{fallen.key}/", headers=JDIM_HEADERS)
    assert page.status_code == 200 and "最後の書き込み" in page.content.decode()
    assert client.get(f"/test/read.cgi/night/{fallen.key}/l50").status_code == 200


def test_a_board_edit_shows_in_its_kako_copies(client, fallen, archive):
    archive(fallen)
    assert "名無しさん".encode("cp932") in client.get(_kako(fallen)).content
    board = fallen.board
    board.default_name_ja = "過去の名無し"
    board.save()
    assert client.get(_kako(fallen)).content.count("過去の名無し".encode("cp932")) == 2
