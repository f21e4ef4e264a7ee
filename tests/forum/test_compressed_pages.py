"""Cached pages go out compressed to readers who accept it, and decode to the very same page."""

import gzip

import brotli
import pytest

from forum.compression import chosen_coding
from tests.forum.helpers import fill_thread

pytestmark = pytest.mark.django_db(transaction=True)


def decoded(response) -> bytes:
    coding = response.get("Content-Encoding", "")
    if coding == "gzip":
        return gzip.decompress(response.content)
    if coding == "br":
        return brotli.decompress(response.content)
    assert coding == ""
    return response.content


@pytest.mark.parametrize(
    ("accepted", "coding"),
    [
        ("gzip, deflate, br, zstd", "br"),  # a browser
        ("gzip", "gzip"),  # JDim and other 2channel browsers
        ("br;q=0, gzip", "gzip"),
        ("identity", ""),
        ("*", "br"),
        ("gzip;q=0, br;q=0", ""),
    ],
)
def test_a_cached_page_comes_in_the_coding_the_reader_takes_and_decodes_to_the_same_page(
    client, make_thread, accepted, coding
):
    thread = make_thread(title="夜のスレ")
    fill_thread(thread, 200)
    plain = client.get(thread.get_absolute_url())
    response = client.get(thread.get_absolute_url(), HTTP_ACCEPT_ENCODING=accepted)
    assert response.get("Content-Encoding", "") == coding
    assert decoded(response) == plain.content
    assert "Accept-Encoding" in response["Vary"]
    if coding:
        assert len(response.content) < len(plain.content) / 4


def test_the_first_render_goes_out_compressed_too(client, make_thread):
    thread = make_thread(body="the first readers copy")
    response = client.get(thread.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert "the first readers copy" in gzip.decompress(response.content).decode()


def test_each_coding_has_its_own_etag_and_any_of_them_answers_304(client, make_thread):
    thread = make_thread()
    url = thread.get_absolute_url()
    etags = {
        coding: client.get(url, HTTP_ACCEPT_ENCODING=coding)["ETag"]
        for coding in ("identity", "gzip", "br")
    }
    assert len(set(etags.values())) == 3
    gzip_etag = etags["gzip"]
    unchanged = client.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=gzip_etag)
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert "Content-Encoding" not in unchanged
    assert client.get(url, HTTP_IF_NONE_MATCH=f'"other", W/{gzip_etag}').status_code == 304


def test_a_new_post_changes_every_coding_of_the_page(client, make_thread, make_post):
    thread = make_thread()
    url = thread.get_absolute_url()
    before = client.get(url, HTTP_ACCEPT_ENCODING="br")
    make_post(thread=thread, body="words that came later")
    after = client.get(url, HTTP_ACCEPT_ENCODING="br")
    assert after["ETag"] != before["ETag"]
    assert "words that came later" in decoded(after).decode()
    stale = client.get(url, HTTP_ACCEPT_ENCODING="br", HTTP_IF_NONE_MATCH=before["ETag"])
    assert stale.status_code == 200


def test_an_unreadable_accept_encoding_gets_the_plain_page():
    assert chosen_coding("gzip;q=zero, br;q=") == "identity"
    assert chosen_coding(",,;") == "identity"
