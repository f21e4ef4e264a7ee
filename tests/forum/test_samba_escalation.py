"""Samba: a poster who keeps posting too fast waits longer each time within a day, is told how
long, and is back to the board's interval a day later. Without Redis, posting still works."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from config.embedded import EmbeddedRedis, remove_tree, short_temp_dir
from forum import floodcontrol
from forum.errors import FloodControlled
from forum.posting import create_post
from tests.factories import poster_from

pytestmark = pytest.mark.django_db

MORNING = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def refused_wait(address_hash: str, *, interval: int = 30, now: datetime = MORNING):
    with pytest.raises(FloodControlled) as refusal:
        floodcontrol.claim_post_slot(address_hash, "night", interval, now=now)
    return refusal.value


def test_the_first_three_refusals_wait_only_the_boards_interval():
    floodcontrol.claim_post_slot("samba-a", "night", 30, now=MORNING)
    for _ in range(3):
        refusal = refused_wait("samba-a")
        assert 25 <= refusal.wait <= 30
        assert "Please wait" in refusal.message


def test_each_refusal_past_three_doubles_the_wait_and_says_how_long():
    floodcontrol.claim_post_slot("samba-b", "night", 30, now=MORNING)
    for _ in range(3):
        refused_wait("samba-b")
    fourth, fifth, sixth = refused_wait("samba-b"), refused_wait("samba-b"), refused_wait("samba-b")
    assert [fourth.wait, fifth.wait, sixth.wait] == [60, 120, 240]
    assert "the wait is longer now: 1 minute" in fourth.message
    assert "4 minutes" in sixth.message and "back to normal within a day" in sixth.message


def test_the_wait_never_grows_past_ten_minutes():
    floodcontrol.claim_post_slot("samba-c", "night", 30, now=MORNING)
    waits = [refused_wait("samba-c").wait for _ in range(12)]
    assert max(waits) == floodcontrol.SAMBA_MAX_WAIT == 600
    assert waits[-1] == 600


def test_a_repeat_offenders_next_post_holds_the_grown_interval():
    floodcontrol.claim_post_slot("samba-d", "night", 30, now=MORNING)
    for _ in range(5):
        refused_wait("samba-d")
    floodcontrol.release_post_slot("samba-d", "night")  # the wait has passed
    floodcontrol.claim_post_slot("samba-d", "night", 30, now=MORNING + timedelta(minutes=5))
    later = refused_wait("samba-d", now=MORNING + timedelta(minutes=5))
    assert later.wait > 100


def test_strikes_are_forgotten_after_a_day():
    floodcontrol.claim_post_slot("samba-e", "night", 30, now=MORNING)
    for _ in range(6):
        refused_wait("samba-e")
    floodcontrol.release_post_slot("samba-e", "night")
    tomorrow = MORNING + timedelta(days=1, minutes=1)
    floodcontrol.claim_post_slot("samba-e", "night", 30, now=tomorrow)
    refusal = refused_wait("samba-e", now=tomorrow)
    assert 25 <= refusal.wait <= 30
    assert "Please wait" in refusal.message


def test_strikes_on_one_board_do_not_slow_another_or_another_poster():
    floodcontrol.claim_post_slot("samba-f", "night", 30, now=MORNING)
    for _ in range(6):
        refused_wait("samba-f")
    floodcontrol.claim_post_slot("samba-f", "morning", 30, now=MORNING)
    with pytest.raises(FloodControlled) as elsewhere:
        floodcontrol.claim_post_slot("samba-f", "morning", 30, now=MORNING)
    assert elsewhere.value.wait <= 30
    floodcontrol.claim_post_slot("samba-g", "night", 30, now=MORNING)
    assert refused_wait("samba-g").wait <= 30


def test_a_poster_who_keeps_trying_reads_the_growing_wait_on_the_web_form(
    client, settings, make_thread
):
    settings.YOAKE_POST_INTERVAL = 30
    thread = make_thread()
    client.cookies["yoake_poster"] = "k"
    assert client.post(thread.get_absolute_url(), {"body": "first"}).status_code == 302
    for n in range(4):
        response = client.post(thread.get_absolute_url(), {"body": f"again {n}"})
        assert response.status_code == 429
    assert "the wait is longer now: 1 minute" in response.content.decode()


@pytest.fixture
def stopped_redis(settings):
    """A Redis of the test's own behind the cache, stopped: every flood check meets an outage."""
    directory = short_temp_dir("yoake-samba-")
    redis = EmbeddedRedis(directory, persist=False)
    url = redis.start()
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": url}}
    redis.stop()
    yield
    remove_tree(directory)


@pytest.mark.django_db(transaction=True)
def test_posting_keeps_working_without_redis(settings, stopped_redis, make_thread):
    settings.YOAKE_POST_INTERVAL = 30
    thread = make_thread()
    me = poster_from("203.0.113.50")
    for n in range(6):
        create_post(thread, poster=me, body=f"quick {n}")
    assert thread.posts.count() == 7
