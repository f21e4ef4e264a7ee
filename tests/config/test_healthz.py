"""GET /healthz: 200 while PostgreSQL and Redis answer, 503 naming the one that does not."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import override_settings

from config.embedded import EmbeddedRedis, remove_tree, short_temp_dir


@pytest.fixture
def own_redis(settings):
    """A throwaway redis-server of our own, so stopping it leaves the suite's Redis alone."""
    directory = short_temp_dir("yoake-healthz-")
    server = EmbeddedRedis(directory, persist=False)
    server.start()
    cache = {**settings.CACHES["default"], "LOCATION": server.url}
    # override_settings(CACHES=...) makes Django drop its cache connections and build new ones.
    with override_settings(CACHES={"default": cache}):
        yield server
    server.stop()
    remove_tree(directory)


@pytest.mark.django_db
def test_healthz_answers_200_when_postgres_and_redis_both_answer(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"postgres": "ok", "redis": "ok", "status": "ok"}


@pytest.mark.django_db
def test_healthz_answers_503_naming_redis_while_redis_is_down_and_recovers(client, own_redis):
    assert client.get("/healthz").status_code == 200

    own_redis.stop()
    down = client.get("/healthz")

    assert down.status_code == 503
    assert down.json()["redis"].startswith("unavailable")
    assert down.json()["postgres"] == "ok"
    assert down.json()["status"] == "unavailable"

    own_redis.start()
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_pages_keep_working_while_redis_is_down(client, own_redis):
    own_redis.stop()

    assert client.get("/").status_code == 200
    assert client.get("/privacy/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_healthz_answers_503_naming_postgres_when_the_database_does_not_answer(client):
    # Point the connection at a database that does not exist: the server refuses, as when down.
    real_name = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = real_name + "_not_there"
    try:
        response = client.get("/healthz")
    finally:
        connection.close()
        connection.settings_dict["NAME"] = real_name

    assert response.status_code == 503
    assert response.json()["postgres"].startswith("unavailable")
    assert response.json()["redis"] == "ok"


@pytest.mark.django_db
def test_healthz_is_never_cached(client):
    response = client.get("/healthz")

    assert "no-cache" in response["Cache-Control"]
