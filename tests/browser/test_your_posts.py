"""In a real browser: 'Delete my post' shows on the reader's own posts and nowhere else."""

from __future__ import annotations

import pytest

from tests.factories import poster_from

pytestmark = pytest.mark.django_db(transaction=True)


def test_delete_my_post_shows_only_on_the_posts_this_browser_wrote(
    page, asgi_server, make_board, make_thread, make_post
):
    thread = make_thread(board=make_board(flood_interval=0), body="first")
    make_post(thread=thread, body="mine", poster=poster_from(delete_key="browser-key"))
    make_post(thread=thread, body="theirs", poster=poster_from(delete_key="other-key"))
    page.context.add_cookies([{"name": "yoake_poster", "value": "browser-key", "url": asgi_server}])

    page.goto(asgi_server + thread.get_absolute_url())

    mine = page.locator("#p2").get_by_role("link", name="Delete my post")
    mine.wait_for()
    assert mine.is_visible()
    assert not page.locator("#p1").get_by_role("link", name="Delete my post").is_visible()
    assert not page.locator("#p3").get_by_role("link", name="Delete my post").is_visible()
    assert page.console_errors == []


def test_a_stranger_sees_no_delete_link_at_all(page, asgi_server, make_thread, make_post):
    thread = make_thread(body="first")
    make_post(thread=thread, body="someone's", poster=poster_from(delete_key="other-key"))

    with page.expect_response(lambda response: response.url.endswith("/yours/")):
        page.goto(asgi_server + thread.get_absolute_url())

    assert page.get_by_role("link", name="Delete my post").count() == 0
