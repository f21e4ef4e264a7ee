"""/metrics' health gauges with the servers really paused (SIGSTOP): a server that hangs, not
one that refuses, which is the case a timeout is for. The scrape still answers, soon."""

from __future__ import annotations

import contextlib
import os
import signal
from pathlib import Path

import pytest
from django.db import connection

from config.embedded import EmbeddedRedis, remove_tree, short_temp_dir
from tests.ops.scraping import scrape, value

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def paused(pid: int):
    os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(pid, signal.SIGCONT)


@pytest.fixture
def own_redis(settings):
    """A Redis of the test's own as the site's REDIS_URL (the cache keeps the shared one)."""
    directory = short_temp_dir("yoake-metrics-redis-")
    server = EmbeddedRedis(directory, persist=False)
    settings.REDIS_URL = server.start()
    yield server
    server.stop()
    remove_tree(directory)


def postmaster_pid() -> int:
    """The test's PostgreSQL server, when it runs on this machine (the embedded one does)."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW data_directory")
        directory = Path(cursor.fetchone()[0])
    try:
        return int((directory / "postmaster.pid").read_text().split()[0])
    except OSError:
        pytest.skip("PostgreSQL does not run on this machine")


def test_redis_reads_zero_while_it_is_paused_and_one_once_it_answers(client, own_redis):
    assert value(scrape(client), "yoake_redis_up") == 1
    with paused(own_redis.process.pid):
        found = scrape(client)
        assert value(found, "yoake_redis_up") == 0
        assert value(found, "yoake_postgres_up") == 1
    assert value(scrape(client), "yoake_redis_up") == 1


def test_postgres_reads_zero_while_it_is_paused_and_one_once_it_answers(client, make_board):
    make_board(slug="quiet")
    pid = postmaster_pid()
    # The test's own connection was opened before the pause and keeps working; a new one hangs.
    with paused(pid):
        found = scrape(client)
        assert value(found, "yoake_postgres_up") == 0
        assert value(found, "yoake_redis_up") == 1
        # Nothing is said about surges that the database could not be asked for.
        assert not any(name == "yoake_surge" for name, _labels in found)
    found = scrape(client)
    assert value(found, "yoake_postgres_up") == 1
    assert ("yoake_surge", frozenset({"kind": "board", "slug": "quiet"}.items())) in found
