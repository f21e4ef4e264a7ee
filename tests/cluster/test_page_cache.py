"""The page cache is one for every host: a post through host A drops the copy host B kept, and
the copy kept next has the post."""

from __future__ import annotations

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
