"""Query budgets: pages cost the same few queries whatever their size."""

import pytest

from forum.posting import create_post
from tests.factories import poster_from
from tests.forum.helpers import fill_thread, someone_reading

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
    url = thread.get_absolute_url()
    # The thread, its page's index, and the posts this process has no article of yet.
    with django_assert_max_num_queries(3):
        response = client.get(url)
    assert response.status_code == 200
    # Drawn again (the page cache is off here), every article is kept: the index is enough.
    with django_assert_max_num_queries(2):
        again = client.get(url)
    assert again.content == response.content


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


def test_a_reply_takes_exactly_five_queries_and_none_after_it_is_committed(
    django_assert_num_queries, django_capture_on_commit_callbacks, make_thread
):
    # The ban check, then in one transaction the poster's standing and the number with the
    # post in one statement. After the commit (page cache, 2channel files, the live frame)
    # nothing: the frame is the new post itself, rendered from memory.
    thread = make_thread()
    with (
        django_assert_num_queries(5),
        django_capture_on_commit_callbacks(execute=True) as effects,
    ):
        create_post(thread, poster=poster_from("203.0.113.90"), body="counted")
    assert len(effects) == 1


def test_a_reply_to_another_writer_takes_two_more_and_one_for_its_readers(
    django_assert_num_queries, django_capture_on_commit_callbacks, make_thread
):
    # The reply recorded for that writer, and after the commit that writer's other browsers to
    # tell; with the thread open somewhere, the answered post too (its backlinks change) for
    # the live frame.
    thread = make_thread()
    with (
        django_assert_num_queries(7),
        django_capture_on_commit_callbacks(execute=True),
    ):
        create_post(thread, poster=poster_from("203.0.113.90", delete_key="other"), body=">>1")
    with someone_reading(thread) as reader:
        with (
            django_assert_num_queries(8),
            django_capture_on_commit_callbacks(execute=True),
        ):
            create_post(thread, poster=poster_from("203.0.113.91", delete_key="other"), body=">>1")
        assert reader.get_message(timeout=2)["type"] == "message"  # the frames went out


def test_a_reply_through_the_web_form_takes_exactly_six_queries(
    client, django_assert_num_queries, django_capture_on_commit_callbacks, make_thread
):
    thread = make_thread()
    client.cookies["yoake_poster"] = "k"
    with (
        django_assert_num_queries(6),  # the thread, then the reply's five
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert client.post(thread.get_absolute_url(), {"body": "counted"}).status_code == 302
