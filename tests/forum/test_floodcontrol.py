"""Flood control: one poster cannot drown a board, and a refusal says how long to wait."""

import pytest

from forum.errors import DuplicateBody, FloodControlled
from forum.posting import create_post, create_thread
from tests.factories import poster_from

pytestmark = pytest.mark.django_db


def test_a_second_post_within_the_interval_is_refused_with_the_wait(settings, make_thread):
    settings.YOAKE_POST_INTERVAL = 30
    thread = make_thread()
    me = poster_from("203.0.113.20")
    create_post(thread, poster=me, body="first")
    with pytest.raises(FloodControlled) as refusal:
        create_post(thread, poster=me, body="second")
    assert 25 <= refusal.value.wait <= 30
    assert f"wait {refusal.value.wait} seconds" in refusal.value.message


def test_other_posters_are_not_held_up_by_someone_elses_interval(settings, make_thread):
    settings.YOAKE_POST_INTERVAL = 30
    thread = make_thread()
    create_post(thread, poster=poster_from("203.0.113.21"), body="first")
    create_post(thread, poster=poster_from("203.0.113.22"), body="second")
    assert thread.posts.count() == 3


def test_a_board_can_set_its_own_interval(settings, make_board, make_thread):
    settings.YOAKE_POST_INTERVAL = 0
    board = make_board(flood_interval=60)
    thread = make_thread(board=board, address="203.0.113.30")
    with pytest.raises(FloodControlled):
        create_post(thread, poster=poster_from("203.0.113.30"), body="too soon")


def test_a_refused_post_does_not_cost_the_poster_a_wait(settings, make_thread):
    settings.YOAKE_POST_INTERVAL = 30
    thread = make_thread()
    me = poster_from("203.0.113.23")
    with pytest.raises(Exception):  # noqa: B017 (any refusal)
        create_post(thread, poster=me, body="   ")
    create_post(thread, poster=me, body="now with words")


def test_too_many_new_threads_in_an_hour_are_refused(make_board):
    board = make_board(threads_per_hour=2)
    me = poster_from("203.0.113.24")
    create_thread(board, poster=me, title="one", body="a")
    create_thread(board, poster=me, title="two", body="b")
    with pytest.raises(FloodControlled) as refusal:
        create_thread(board, poster=me, title="three", body="c")
    assert "minutes" in refusal.value.message
    create_thread(board, poster=poster_from("203.0.113.25"), title="someone else", body="d")


def test_the_same_body_twice_in_a_row_is_refused(make_thread):
    thread = make_thread()
    me = poster_from("203.0.113.26")
    create_post(thread, poster=me, body="same words")
    with pytest.raises(DuplicateBody):
        create_post(thread, poster=me, body="same   words")
    create_post(thread, poster=me, body="new words")


def test_the_web_form_shows_the_wait_and_keeps_the_text(client, settings, make_thread):
    settings.YOAKE_POST_INTERVAL = 30
    thread = make_thread()
    client.cookies["yoake_poster"] = "k"
    assert client.post(thread.get_absolute_url(), {"body": "one"}).status_code == 302
    response = client.post(thread.get_absolute_url(), {"body": "two, typed carefully"})
    page = response.content.decode()
    assert response.status_code == 429
    assert "Please wait" in page and "seconds" in page
    assert "two, typed carefully" in page
