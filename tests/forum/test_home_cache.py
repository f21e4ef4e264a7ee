"""The home page is cached for anonymous readers, and still never tells a stale story: a new
thread or reply shows at once, and the ten-minute mark (which no event announces) within
a short lifetime."""

from datetime import timedelta

import pytest
from django.utils import timezone

from config.cache import redis_client
from forum.home import HOME_PAGE_TTL
from forum.moderation import delete_post_as_moderator

pytestmark = pytest.mark.django_db(transaction=True)


def waiting_list(client) -> str:
    page = client.get("/").content.decode()
    if 'id="waiting-heading"' not in page:
        return ""
    start = page.index('id="waiting-heading"')
    return page[start : page.index("</section>", start)]


def test_the_home_page_is_served_from_the_cache(client, make_thread, django_assert_num_queries):
    make_thread()
    first = client.get("/")
    with django_assert_num_queries(0):
        second = client.get("/")
    assert second.content == first.content


def test_a_new_thread_shows_on_the_cached_home_page_at_once(client, make_thread):
    make_thread(title="First one")
    assert "First one" in client.get("/").content.decode()

    make_thread(title="Second one")

    assert "Second one" in client.get("/").content.decode()


def test_a_first_reply_takes_the_thread_off_the_cached_waiting_list(client, make_thread, make_post):
    thread = make_thread(title="Anyone awake?", now=timezone.now() - timedelta(minutes=12))
    assert "Anyone awake?" in waiting_list(client)

    make_post(thread=thread, body="I am. Hello.")

    assert "Anyone awake?" not in waiting_list(client)
    assert "2 posts" in client.get("/").content.decode()


def test_a_deleted_first_post_leaves_the_cached_waiting_list(client, make_thread, make_moderator):
    thread = make_thread(title="Spam for sale", now=timezone.now() - timedelta(minutes=12))
    assert "Spam for sale" in waiting_list(client)

    delete_post_as_moderator(thread.posts.get(number=1), by=make_moderator(), reason="spam")

    assert "Spam for sale" not in waiting_list(client)


def test_the_cached_home_page_lives_at_most_a_minute_so_the_ten_minute_mark_shows(
    client, make_thread
):
    # No event fires when a thread's tenth minute passes: the cached copy has to expire.
    make_thread()
    client.get("/")

    lifetime = redis_client().ttl("yoake:page:home")

    assert 0 < lifetime <= HOME_PAGE_TTL <= 60
