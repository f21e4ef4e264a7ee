"""Reads go to the streaming replica, but never hide a poster's own post from them, and a
replica that lags behind is skipped.

The cluster's hosts count a replica as lagging only after a minute (DATABASE_REPLICA_MAX_LAG,
tests/cluster/conftest.py), so that a replica paused here stays in use: then only the poster's
own write can send their reads to the primary.
"""

from __future__ import annotations

import contextlib

from tests.cluster.web import eventually, posts_with, seeded_threads, table_reads


@contextlib.contextmanager
def replay_paused(cluster):
    """The replica stops replaying: whatever is written meanwhile, it has not got."""
    cluster.replica.sql("SELECT pg_wal_replay_pause()")
    try:
        yield
    finally:
        cluster.replica.sql("SELECT pg_wal_replay_resume()")


def found(browser, host: str, word: str) -> bool:
    page = browser.get(f"{host}/search/?q={word}")
    assert page.status == 200
    return f"<mark>{word}</mark>" in page.text  # a post's snippet, the word marked


def test_a_post_through_host_a_is_read_back_at_once_by_its_poster_through_host_b(
    cluster, poster, reader
):
    host_a, host_b = cluster.hosts
    thread = seeded_threads(cluster.primary)[0]
    with replay_paused(cluster):
        poster.reply(host_a.url, thread, "written through host A, a kingfisher")

        assert "a kingfisher" in poster.thread_page(host_b.url, thread)
        assert found(poster, host_b.url, "kingfisher")
        # Everyone else is still answered by the replica, which has not replayed it yet.
        assert not found(reader, host_b.url, "kingfisher")
        assert posts_with(cluster.replica, "kingfisher") == 0

    eventually(lambda: found(reader, host_b.url, "kingfisher"), what="the replica catching up")


def test_other_readers_are_answered_by_the_replica(cluster, poster, reader):
    host_a, _ = cluster.hosts
    thread = seeded_threads(cluster.primary)[1]
    poster.reply(host_a.url, thread, "a night heron on the river")
    eventually(lambda: posts_with(cluster.replica, "night heron") == 1, what="replay")
    on_replica = table_reads(cluster.replica, "forum_post")
    on_primary = table_reads(cluster.primary, "forum_post")

    page = reader.get(f"{cluster.url}/search/?q=heron")

    assert page.status == 200
    assert "on the river" in page.text  # the post found, its snippet shown
    eventually(
        lambda: table_reads(cluster.replica, "forum_post") > on_replica,
        what="the replica answering the search",
    )
    assert table_reads(cluster.primary, "forum_post") == on_primary


def test_a_replica_that_lags_behind_is_skipped_for_every_reader(cluster, poster, reader):
    host_a, host_b = cluster.hosts
    thread = seeded_threads(cluster.primary)[2]
    # Host B now takes any replica with WAL it has not replayed for one that lags.
    host_b.restart(DATABASE_REPLICA_MAX_LAG="0")
    try:
        with replay_paused(cluster):
            poster.reply(host_a.url, thread, "a grey wagtail")

            assert found(reader, host_b.url, "wagtail")
            assert posts_with(cluster.replica, "wagtail") == 0
    finally:
        host_b.restart(DATABASE_REPLICA_MAX_LAG=cluster.extra_env["DATABASE_REPLICA_MAX_LAG"])
