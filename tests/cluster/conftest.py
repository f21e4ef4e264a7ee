"""The `make cluster` topology on free ports, once for the tests in this folder: a PostgreSQL
primary and its streaming replica, two Redis servers, two uvicorn hosts and nginx in front
(config.cluster). Skipped, saying why, only where nginx is not installed."""

from __future__ import annotations

import pytest

from config.cluster import Cluster, free_port, nginx_binary
from config.embedded import remove_tree, short_temp_dir
from config.launch import migrate_and_seed
from tests.cluster.web import Browser


@pytest.fixture(scope="session")
def cluster():
    if nginx_binary() is None:
        pytest.skip("the cluster tests need nginx in front of two hosts: apt-get install nginx")
    directory = short_temp_dir("yoake-cluster-")
    topology = Cluster(
        directory / "cluster",
        port=free_port(),
        durable=False,
        # A test's posts come back to back from one address; that is not a raid.
        YOAKE_POST_INTERVAL="0",
        YOAKE_SURGE="0",
        DEBUG="1",
        # A replica a test pauses stays in use (tests/cluster/test_read_your_writes.py).
        DATABASE_REPLICA_MAX_LAG="60",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        # These tests count table reads in pg_stat_user_tables, and PostgreSQL adds an idle
        # connection's counts there only on a timer (up to 10 s late): with the hosts keeping
        # their connections (config.postgres), a post's reads would land during the next check.
        YOAKE_DB_KEPT="0",
    )
    try:
        topology.start(setup=migrate_and_seed)
        yield topology
    finally:
        topology.stop()
        remove_tree(directory)


@pytest.fixture
def poster() -> Browser:
    """A browser that has posted before: it holds a poster cookie."""
    return Browser(poster_cookie=True)


@pytest.fixture
def reader() -> Browser:
    """Someone else: a browser that has never posted."""
    return Browser()
