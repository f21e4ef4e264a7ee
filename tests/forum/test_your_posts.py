"""'Delete my post' only on the reader's own posts, with thread pages the same for everyone:
the page asks which posts are this browser's, and the delete page says so before anything."""

import re

import pytest

from forum.models import Post
from tests.factories import poster_from

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(make_thread, make_post, make_board):
    thread = make_thread(board=make_board(flood_interval=0), body="the first post")
    make_post(thread=thread, body="mine", poster=poster_from(delete_key="my-key"))
    make_post(thread=thread, body="someone else's", poster=poster_from(delete_key="other-key"))
    make_post(thread=thread, body="mine again", poster=poster_from(delete_key="my-key"))
    return thread


def _yours(client, thread):
    url = f"/post/{thread.board.slug}/{thread.key}/yours/"
    return client.get(url, HTTP_ACCEPT="application/json")


def test_the_thread_page_hides_delete_my_post_on_every_post_for_everyone(client, thread):
    mine = client.__class__()
    mine.cookies["yoake_poster"] = "my-key"
    page = mine.get(thread.get_absolute_url()).content.decode()
    actions = re.findall(r'<div class="post-actions">(.*?)</div>', page)
    assert len(actions) == 4
    for action in actions:
        assert re.search(
            r'<span class="own-post-action" data-yours hidden> · <a [^>]*/delete/', action
        )
    # Cached alike for every reader: a stranger gets the very same bytes.
    assert client.get(thread.get_absolute_url()).content.decode() == page


def test_the_page_learns_which_posts_this_browser_wrote(client, thread):
    client.cookies["yoake_poster"] = "my-key"
    response = _yours(client, thread)
    assert response.json() == {"numbers": [2, 4]}
    assert "no-store" in response["Cache-Control"] and not response.cookies


def test_another_browser_has_written_none_of_them(client, thread, django_assert_max_num_queries):
    client.cookies["yoake_poster"] = "stranger-key"
    assert _yours(client, thread).json() == {"numbers": []}
    del client.cookies["yoake_poster"]
    with django_assert_max_num_queries(1):  # the thread; no cookie, no search for posts
        assert _yours(client, thread).json() == {"numbers": []}


def test_a_deleted_post_is_no_longer_offered(client, thread):
    from forum.posting import delete_own_post

    delete_own_post(thread.posts.get(number=2), delete_key="my-key")
    client.cookies["yoake_poster"] = "my-key"
    assert _yours(client, thread).json() == {"numbers": [4]}


def test_without_javascript_the_thread_links_a_page_of_your_posts(client, thread):
    page = client.get(thread.get_absolute_url()).content.decode()
    assert f'href="/post/{thread.board.slug}/{thread.key}/yours/"' in page
    client.cookies["yoake_poster"] = "my-key"
    yours = client.get(f"/post/{thread.board.slug}/{thread.key}/yours/").content.decode()
    assert "mine again" in yours and "someone else" not in yours
    assert f"/post/{thread.board.slug}/{thread.key}/2/delete/" in yours
    assert f"/post/{thread.board.slug}/{thread.key}/3/delete/" not in yours


def test_a_stranger_is_told_before_confirming_that_the_post_is_not_theirs(client, thread):
    client.cookies["yoake_poster"] = "stranger-key"
    page = client.get(f"/post/{thread.board.slug}/{thread.key}/2/delete/").content.decode()
    assert "was not written with this browser" in page
    assert "Delete it" not in page and "<form" not in page.split("<main")[1].split("</main>")[0]
    assert f"/post/{thread.board.slug}/{thread.key}/2/report/" in page


def test_the_writer_is_asked_to_confirm_and_deletes_it(client, thread):
    client.cookies["yoake_poster"] = "my-key"
    url = f"/post/{thread.board.slug}/{thread.key}/2/delete/"
    assert "Delete it" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert thread.posts.get(number=2).status == Post.Status.DELETED_BY_POSTER
