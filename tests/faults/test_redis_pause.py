"""A paused Redis (SIGSTOP): the accepted post is on its cached page as soon as Redis answers,
and after the first failure every Redis step is skipped at once instead of timing out."""

from __future__ import annotations

import os
import signal

import pytest

from config.breaker import breaker_for
from config.embedded import EmbeddedRedis, remove_tree, short_temp_dir
from forum.models import Post
from forum.posting import create_post
from tests.factories import poster_from

pytestmark = pytest.mark.django_db(transaction=True)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def paused_redis(settings):
    """A Redis of the test's own behind the cache, and a way to pause and resume it."""
    directory = short_temp_dir("yoake-pause-")
    server = EmbeddedRedis(directory, persist=False)
    url = server.start()
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": url}}
    breaker = breaker_for(str(server.socket_path))
    clock = Clock()
    breaker.clock, breaker.probes_in_background = clock, False
    paused = []

    class Control:
        def pause(self) -> None:
            os.kill(server.process.pid, signal.SIGSTOP)
            paused.append(True)

        def resume(self) -> None:
            os.kill(server.process.pid, signal.SIGCONT)
            paused.clear()
            # Redis answers again; the breaker's interval passes and its probe finds it back.
            clock.now += breaker.retry_after + 0.1
            breaker.probe()

    control = Control()
    control.breaker = breaker
    yield control
    if paused:
        os.kill(server.process.pid, signal.SIGCONT)
    breaker.reset()
    breaker.probes_in_background = True
    server.stop()
    remove_tree(directory)


def test_a_reply_accepted_while_redis_is_paused_is_on_the_cached_thread_page_once_it_answers(
    paused_redis, client, make_thread, django_assert_num_queries
):
    thread = make_thread(title="still awake")
    page = thread.get_absolute_url()
    client.get(page)
    with django_assert_num_queries(0):
        assert client.get(page).status_code == 200  # from the page cache

    paused_redis.pause()
    post = create_post(thread, poster=poster_from("198.51.100.7"), body="written during the pause")
    assert Post.objects.filter(pk=post.pk).exists()

    paused_redis.resume()
    assert "written during the pause" in client.get(page).content.decode()


def test_after_the_first_timeout_every_redis_step_is_skipped_without_waiting(
    paused_redis, make_thread
):
    thread = make_thread()
    paused_redis.pause()
    create_post(thread, poster=poster_from("198.51.100.8"), body="the first one waits once")
    assert paused_redis.breaker.outage

    skipped_before = paused_redis.breaker.skipped
    second = create_post(thread, poster=poster_from("198.51.100.9"), body="this one never waits")
    # Flood control, the page cache and the 2channel files each asked, and none went out.
    assert paused_redis.breaker.skipped - skipped_before >= 3
    assert second.number == 3

    paused_redis.resume()
    assert not paused_redis.breaker.outage
