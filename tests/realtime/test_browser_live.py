"""Real Chromium, real server: a post made in one window appears in another open on the thread;
a chat message goes from one browser to another. (Shared fixtures: tests/browser/conftest.py.)"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def window(browser, asgi_server):
    """window() -> a page in a browser context of its own (its own cookies: another person)."""
    contexts, errors = [], []

    def open_window():
        context = browser.new_context(viewport=PHONE)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda error: errors.append(str(error)))
        return page

    yield open_window
    for context in contexts:
        context.close()
    assert errors == []  # no CSP violation, no script error


def test_a_post_made_in_one_window_appears_in_another_open_on_the_thread(
    window, asgi_server, make_thread
):
    thread = make_thread(body="Anyone awake?")
    url = asgi_server + thread.get_absolute_url()
    reader, writer = window(), window()
    reader.goto(url)
    reader.locator("#posts[data-live='open']").wait_for()
    writer.goto(url)

    writer.locator("#id_body").fill(">>1 I am. <b>Tea?</b>")
    writer.locator("#post-form button[type='submit'].primary").click()
    writer.get_by_role("button", name="I understand, post it").click()  # the first post's rules
    writer.wait_for_url("**#p2")

    arrived = reader.locator("#p2")
    arrived.wait_for()
    assert "I am. <b>Tea?</b>" in arrived.locator(".post-body").inner_text()
    assert arrived.locator(".post-body b").count() == 0  # text, not markup
    assert reader.locator("#p1 .backlinks a[data-anchor='2']").count() == 1
    assert reader.locator("#posts article").count() == 2


def test_a_reader_scrolled_up_gets_a_new_posts_bar_instead_of_a_jump(
    window, asgi_server, make_thread, make_post, artifacts
):
    thread = make_thread()
    for n in range(30):
        make_post(thread=thread, body=f"earlier post {n}\n\n\n")
    reader = window()
    reader.goto(asgi_server + thread.get_absolute_url())
    reader.locator("#posts[data-live='open']").wait_for()
    reader.evaluate("window.scrollTo(0, 0)")

    make_post(thread=thread, body="a new one")  # from this process, through Redis

    bar = reader.locator(".new-posts-bar")
    bar.wait_for(state="visible")
    assert bar.inner_text() == "1 new post ↓"
    assert reader.evaluate("window.scrollY") == 0
    reader.screenshot(path=artifacts / "thread-new-posts-bar-320.png")
    bar.click()
    reader.locator("#p32").wait_for()
    bar.wait_for(state="hidden")
    assert reader.evaluate("window.scrollY") > 0


def test_a_chat_message_goes_from_one_browser_to_another(window, asgi_server, make_room, artifacts):
    make_room(slug="lounge")
    alice, bob = window(), window()
    for page in (alice, bob):
        page.goto(asgi_server + "/chat/lounge/")
        page.locator("#chat-log[data-live='open']").wait_for()

    alice.locator("#id_handle").fill("alice")
    alice.locator("#id_body").fill("good evening, <i>everyone</i>")
    alice.locator("#id_body").press("Enter")

    message = bob.locator("#m1")
    message.wait_for()
    assert "good evening, <i>everyone</i>" in message.locator(".chat-body").inner_text()
    assert "alice" in message.locator(".chat-handle").inner_text()
    alice.locator("#m1").wait_for()
    assert alice.locator("#id_body").input_value() == ""  # sent, so the box is empty again
    assert re.fullmatch(r"\d\d:\d\d", message.locator("time").inner_text())  # the reader's clock
    bob.screenshot(path=artifacts / "chat-room-320.png", full_page=True)


def test_the_home_page_counts_a_reader_arriving_on_a_board(window, asgi_server, make_board):
    make_board(slug="owls")
    home, reader = window(), window()
    home.goto(asgi_server + "/")
    counted = home.locator("[data-presence='board:owls']")
    counted.wait_for()
    assert counted.inner_text() == "0 people here now"

    reader.goto(asgi_server + "/owls/")

    # The home page's count moves on its next beat (YOAKE_PRESENCE_SECONDS, 10 by default).
    expect(counted).to_have_text("1 person here now", timeout=20_000)
