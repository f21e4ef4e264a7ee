"""Query budgets: pages cost the same few queries whatever their size."""

import pytest

from forum.posting import create_post
from tests.factories import poster_from
from tests.forum.helpers import fill_thread

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.YOAKE_PAGE_CACHE = False


@pytest.mark.parametrize("size", [10, 1000])
def test_thread_page_takes_at_most_three_queries(
    client, django_assert_max_num_queries, make_thread, size
):
    thread = make_thread()
    fill_thread(thread, size)
    with django_assert_max_num_queries(3):
        response = client.get(thread.get_absolute_url())
    assert response.status_code == 200


def test_board_page_with_300_threads_takes_at_most_three_queries(
    client, django_assert_max_num_queries, make_board, make_thread
):
    board = make_board(capacity=300, threads_per_hour=1000)
    for n in range(300):
        make_thread(board=board, address=f"10.9.{n // 250}.{n % 250}")
    with django_assert_max_num_queries(3):
        response = client.get(f"/{board.slug}/")
    assert response.content.decode().count("/test/read.cgi/") == 300


def test_home_page_takes_at_most_three_queries(
    client, django_assert_max_num_queries, make_board, make_thread
):
    for _ in range(7):
        make_thread(board=make_board())
    with django_assert_max_num_queries(3):
        assert client.get("/").status_code == 200


def test_posting_takes_at_most_eight_queries(django_assert_max_num_queries, make_thread):
    thread = make_thread()
    with django_assert_max_num_queries(8):
        create_post(thread, poster=poster_from("203.0.113.90"), body="counted")


def test_posting_through_the_web_form_takes_at_most_eight_queries(
    client, django_assert_max_num_queries, make_thread
):
    thread = make_thread()
    client.cookies["yoake_poster"] = "k"
    with django_assert_max_num_queries(8):
        assert client.post(thread.get_absolute_url(), {"body": "counted"}).status_code == 302
