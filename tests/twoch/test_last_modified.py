"""A dat's Last-Modified is its thread's last change, however the answer was made."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils.http import parse_http_date

from config.cache import redis_client
from forum.models import Post, Thread
from forum.posting import set_post_status
from forum.twoch import cache

pytestmark = pytest.mark.django_db(transaction=True)

# Written an hour before the browser reads: the dat says when it was written, not when read.
WRITTEN = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)


def _url(thread) -> str:
    return f"/{thread.board.slug}/dat/{thread.key}.dat"


def _last_modified(response) -> datetime:
    return datetime.fromtimestamp(parse_http_date(response["Last-Modified"]), UTC)


@pytest.fixture
def thread(night, make_thread):
    return make_thread(board=night, body="一時間前", now=WRITTEN)


def test_a_dat_read_cold_is_dated_by_its_last_post_not_by_the_read(client, thread):
    redis_client().delete(cache.redis_key(cache.dat_scope("night", thread.key)))
    response = client.get(_url(thread))
    assert _last_modified(response) == WRITTEN
    # The copy now in Redis keeps that date.
    assert _last_modified(client.get(_url(thread))) == WRITTEN


def test_a_new_post_dates_the_dat_by_the_post(client, thread, make_post):
    client.get(_url(thread))
    later = WRITTEN + timedelta(minutes=10)
    make_post(thread=thread, body="十分後", now=later)
    assert _last_modified(client.get(_url(thread))) == later
    assert _last_modified(client.get(_url(thread), headers={"Accept-Encoding": "gzip"})) == later


def test_a_deletion_dates_the_dat_by_the_deletion(client, thread, make_post):
    post = make_post(thread=thread, body="消される", now=WRITTEN + timedelta(minutes=1))
    deleted = WRITTEN + timedelta(minutes=5)
    set_post_status(post, Post.Status.DELETED_BY_MODERATOR, now=deleted)
    assert Thread.objects.get(pk=thread.pk).modified_at == deleted
    assert _last_modified(client.get(_url(thread))) == deleted


def test_cached_and_uncached_answers_give_the_same_date(client, thread, make_post, monkeypatch):
    from redis.exceptions import ConnectionError as RedisConnectionError

    make_post(thread=thread, body="二番目", now=WRITTEN + timedelta(seconds=30))
    cached = client.get(_url(thread))["Last-Modified"]

    def down():
        raise RedisConnectionError("redis is down")

    monkeypatch.setattr(cache, "_scripts", {})
    monkeypatch.setattr(cache, "redis_client", down)
    assert client.get(_url(thread))["Last-Modified"] == cached


def test_304_still_needs_every_byte(client, thread, make_post):
    whole = client.get(_url(thread))
    since = {"If-Modified-Since": whole["Last-Modified"]}
    end = len(whole.content)
    assert client.get(_url(thread), headers=since).status_code == 304
    assert (
        client.get(_url(thread), headers={**since, "Range": f"bytes={end - 1}-"}).status_code == 304
    )
    # A client with fewer bytes gets them, whatever date it sends.
    assert client.get(_url(thread), headers={**since, "Range": "bytes=3-"}).status_code == 206
    # A post in the same second as the last one still shows: the bytes decide.
    make_post(thread=thread, body="同じ秒", now=WRITTEN)
    resumed = client.get(_url(thread), headers={**since, "Range": f"bytes={end - 1}-"})
    assert resumed.status_code == 206 and "同じ秒".encode("cp932") in resumed.content
    # And its Last-Modified moved on, so a whole-file check sees the change too.
    assert parse_http_date(resumed["Last-Modified"]) > parse_http_date(whole["Last-Modified"])
    old = {"If-Modified-Since": whole["Last-Modified"]}
    assert client.get(_url(thread), headers=old).status_code == 200
