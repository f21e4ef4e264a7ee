"""The page cache is one for every host: a post through host A drops the copy host B kept, and
the copy kept next has the post."""

from __future__ import annotations

import gzip
import urllib.request

import brotli

from tests.cluster.web import seeded_threads


def test_a_page_kept_for_readers_of_host_b_is_dropped_by_a_post_through_host_a(
    cluster, poster, reader
):
    host_a, host_b = cluster.hosts
    thread = seeded_threads(cluster.primary)[3]
    board, key = thread
    url = f"{host_b.url}/test/read.cgi/{board}/{key}/"
    before = reader.get(url)
    assert reader.get(url).headers["ETag"] == before.headers["ETag"]  # from the page cache

    poster.reply(host_a.url, thread, "the cache heard of this")

    for _ in range(2):  # rendered once more, then kept again: both times with the post
        assert "the cache heard of this" in reader.get(url).text


def _read(url: str, **headers: str) -> tuple[bytes, str]:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=15) as response:
        body = response.read()
        coding = response.headers.get("Content-Encoding", "")
    if coding == "gzip":
        return gzip.decompress(body), coding
    if coding == "br":
        return brotli.decompress(body), coding
    return body, coding


def test_every_coding_of_host_bs_own_copies_has_a_post_made_through_host_a(cluster, poster):
    """Host B answers from its process's copies (forum.pagecopies) in plain, gzip and brotli, and
    a 2channel browser's dat too; one post through host A is in each on the next request."""
    host_a, host_b = cluster.hosts
    thread = seeded_threads(cluster.primary)[4]
    board, key = thread
    page = f"{host_b.url}/test/read.cgi/{board}/{key}/"
    dat = f"{host_b.url}/{board}/dat/{key}.dat"
    readers = {"plain": {}, "gzip": {"Accept-Encoding": "gzip"}, "br": {"Accept-Encoding": "br"}}
    for _ in range(3):  # the first answers fill each process's copies; the rest come from them
        for headers in readers.values():
            _read(page, **headers)
        _read(dat, **readers["gzip"])

    poster.reply(host_a.url, thread, "every copy heard of this")

    for name, headers in readers.items():
        body, coding = _read(page, **headers)
        assert coding == ("" if name == "plain" else name)
        assert "every copy heard of this" in body.decode()
    body, coding = _read(dat, **readers["gzip"])
    assert coding == "gzip"
    assert "every copy heard of this".encode("cp932") in body
