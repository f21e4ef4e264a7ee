"""A reader's own view of shared pages: mute words fold posts, hidden threads leave the list,
and the watch button knows what is watched, for visitors (this browser) and accounts alike."""

from __future__ import annotations

import pytest

from accounts.models import Preferences
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_visitors_mute_word_folds_matching_posts_until_opened(
    page, asgi_server, make_thread, make_post
):
    thread = make_thread(body="how was everyone's night")
    make_post(thread=thread, body="HUGE SPOILERS for the finale ahead")
    make_post(thread=thread, body="slept at 6 again")

    page.goto(asgi_server + "/accounts/settings/")
    page.fill("form[data-local-prefs] textarea", "spoilers")
    page.get_by_role("button", name="Save in this browser").click()
    page.get_by_text("Saved in this browser.").wait_for()

    page.goto(asgi_server + thread.get_absolute_url())
    folded = page.locator("#p2")
    page.locator("#p2.muted-post").wait_for(state="attached")
    assert not folded.locator(".post-body").is_visible()
    assert page.locator("#p3 .post-body").is_visible()
    folded.get_by_role("button", name="Show it").click()
    assert folded.locator(".post-body").is_visible()
    assert page.console_errors == []
    assert page.foreign_requests == []


def test_a_visitor_hides_a_thread_from_the_board_list_and_it_stays_hidden(
    page, asgi_server, make_board, make_thread
):
    board = make_board()
    make_thread(board=board, title="Loud argument")
    make_thread(board=board, title="Quiet evening walks")

    page.goto(asgi_server + board.get_absolute_url())
    row = page.locator("table.threads tr", has_text="Loud argument")
    row.get_by_role("button", name="Hide").click()
    assert not row.is_visible()

    page.reload()
    page.get_by_role("button", name="Show hidden threads (1)").wait_for()
    assert not page.locator("table.threads tr", has_text="Loud argument").is_visible()
    assert page.locator("table.threads tr", has_text="Quiet evening walks").is_visible()
    page.get_by_role("button", name="Show hidden threads (1)").click()
    assert page.locator("table.threads tr", has_text="Loud argument").is_visible()
    assert page.console_errors == []


def test_an_account_brings_its_mute_words_to_a_new_browser(
    page, asgi_server, make_user, make_thread, make_post
):
    user = make_user(username="quiet-reader")
    Preferences.objects.create(user=user, mute_words="exam results")
    thread = make_thread()
    make_post(thread=thread, body="my exam results came back today")

    page.goto(asgi_server + "/accounts/login/")
    page.fill('input[name="login"]', user.username)
    page.fill('input[name="password"]', TEST_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(asgi_server + "/")

    page.goto(asgi_server + thread.get_absolute_url())
    page.locator("#p2.muted-post").wait_for(state="attached")
    assert page.locator("#p1 .post-body").is_visible()
    assert page.console_errors == []


def test_watching_a_thread_from_its_page_then_seeing_it_on_the_watched_page(
    page, asgi_server, make_thread, make_post
):
    thread = make_thread(title="Small steps diary")
    failed = []
    page.on("response", lambda r: r.status >= 400 and failed.append(r.url))
    page.goto(asgi_server + thread.get_absolute_url())
    page.get_by_role("button", name="Watch this thread").click()
    page.get_by_role("button", name="Stop watching").wait_for()
    assert page.url == asgi_server + thread.get_absolute_url()  # in place, no reload

    make_post(thread=thread, body="day 3: went to the konbini")
    page.goto(asgi_server + "/watched/")
    row = page.locator("table.threads tr", has_text="Small steps diary")
    assert "1 new" in row.inner_text()
    row.get_by_role("link", name="Small steps diary").click()
    page.locator("#p2").wait_for()
    page.goto(asgi_server + "/watched/")
    assert "new" not in page.locator("table.threads tbody").inner_text()
    assert failed == []
    assert page.console_errors == []
