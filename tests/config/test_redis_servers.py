"""Each of Redis's jobs may have a server of its own (CACHE_REDIS_URL, COUNTERS_REDIS_URL,
CHANNEL_REDIS_URLS), each REDIS_URL's unless set; and with no replicas, nothing about reading
changes (one database, no router, no cookie)."""

from __future__ import annotations

import json

import pytest

from config.embedded import EmbeddedRedis, remove_tree, short_temp_dir
from config.replicas import WRITTEN_COOKIE
from forum.poster import POSTER_COOKIE
from tests.config.test_settings import production_environment, run_python

SHOW = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'caches': {k: v['LOCATION'] for k, v in s.CACHES.items()}, "
    "'channels': s.CHANNEL_LAYERS['default']['CONFIG']['hosts'], 'routers': s.DATABASE_ROUTERS, "
    "'databases': {k: [v['HOST'], v['PORT'], v.get('TEST', {}).get('MIRROR'), "
    "v['OPTIONS'].get('connect_timeout')] for k, v in s.DATABASES.items()}}))"
)


def configured(**env: str | None) -> dict:
    result = run_python("-c", SHOW, env=production_environment(**env))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_every_job_uses_redis_url_and_the_primary_alone_unless_told_otherwise():
    shown = configured(REDIS_URL="redis://one:6379/0", DATABASE_URL="postgres://u@db:5432/yoake")

    assert shown["caches"] == {"default": "redis://one:6379/0"}
    assert shown["channels"] == ["redis://one:6379/0"]
    assert list(shown["databases"]) == ["default"]
    assert shown["routers"] == []


def test_the_cache_the_counters_and_the_channel_layer_can_each_have_their_servers():
    shown = configured(
        REDIS_URL="redis://one:6379/0",
        CACHE_REDIS_URL="redis://cache:6379/0",
        COUNTERS_REDIS_URL="redis://counters:6379/0",
        CHANNEL_REDIS_URLS="redis://a:6379/0, redis://b:6379/0",
    )

    assert shown["caches"] == {
        "default": "redis://cache:6379/0",
        "counters": "redis://counters:6379/0",
    }
    assert shown["channels"] == ["redis://a:6379/0", "redis://b:6379/0"]


def test_the_cache_takes_one_server_only():
    result = run_python(
        "-c", SHOW, env=production_environment(CACHE_REDIS_URL="redis://a:6379/0,redis://b:6379/0")
    )
    assert result.returncode != 0
    assert "CACHE_REDIS_URL takes one URL" in result.stderr


def test_each_replica_url_is_a_database_alias_behind_the_router():
    shown = configured(
        DATABASE_URL="postgres://u@db:5432/yoake",
        DATABASE_REPLICA_URLS="postgres://u@r1:5432/yoake,postgres://u@r2:5433/yoake",
    )

    assert shown["databases"] == {
        "default": ["db", 5432, None, None],
        # Mirrors in the tests; libpq's shortest connect timeout, so a dead replica costs little.
        "replica1": ["r1", 5432, "default", 2],
        "replica2": ["r2", 5433, "default", 2],
    }
    assert shown["routers"] == ["config.replicas.ReplicaRouter"]


@pytest.fixture
def counters_server(settings):
    directory = short_temp_dir("yoake-counters-")
    redis = EmbeddedRedis(directory, persist=False)
    settings.CACHES = {
        **settings.CACHES,
        "counters": {**settings.CACHES["default"], "LOCATION": redis.start()},
    }
    yield redis
    redis.stop()
    remove_tree(directory)


@pytest.mark.django_db(transaction=True)
def test_flood_control_counts_on_its_own_server_and_pages_stay_on_the_cache(
    client, settings, counters_server, make_thread
):
    import redis

    settings.YOAKE_POST_INTERVAL = 30
    thread = make_thread()
    client.cookies[POSTER_COOKIE] = "a-delete-key"
    url = thread.get_absolute_url()
    assert client.get(url).status_code == 200  # kept in the page cache

    assert client.post(url, {"body": "first"}).status_code == 302
    assert client.post(url, {"body": "too soon"}).status_code == 429

    counters = redis.Redis(unix_socket_path=str(counters_server.socket_path))
    cache = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
    assert counters.keys("yoake:flood:*")
    assert not cache.keys("yoake:flood:*")
    assert cache.keys("yoake:page*") and not counters.keys("yoake:page*")


@pytest.mark.django_db
def test_without_replicas_a_post_leaves_no_written_position(client, make_thread):
    thread = make_thread()
    client.cookies[POSTER_COOKIE] = "a-delete-key"

    response = client.post(thread.get_absolute_url(), {"body": "one server"})

    assert response.status_code == 302
    assert WRITTEN_COOKIE not in response.cookies
