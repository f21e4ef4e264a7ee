"""Reading a thread: anchor previews on hover and tap, and posting from the page."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_hovering_an_anchor_previews_the_post_it_points_at(
    page, asgi_server, make_thread, make_post
):
    thread = make_thread(body="the very first words")
    make_post(thread=thread, body=">>1 I agree")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(asgi_server + thread.get_absolute_url())
    page.locator("#p2 .post-body a.anchor").hover()
    preview = page.locator(".anchor-preview")
    preview.wait_for()
    assert "the very first words" in preview.inner_text()
    page.keyboard.press("Escape")
    assert page.locator(".anchor-preview").count() == 0
    assert page.console_errors == []


def test_focusing_an_anchor_with_the_keyboard_previews_it(
    page, asgi_server, make_thread, make_post
):
    thread = make_thread(body="words for keyboard readers")
    make_post(thread=thread, body=">>1 yes")
    page.goto(asgi_server + thread.get_absolute_url())
    page.locator("#p2 .post-body a.anchor").focus()
    preview = page.locator(".anchor-preview")
    preview.wait_for()
    assert "words for keyboard readers" in preview.inner_text()
    page.keyboard.press("Tab")
    assert page.locator(".anchor-preview").count() == 0


def test_a_preview_near_the_bottom_of_a_phone_screen_stays_on_it(
    page, asgi_server, make_board, make_thread, make_post
):
    thread = make_thread(board=make_board(flood_interval=0), body="line\n" * 12 + "end")
    for n in range(8):
        make_post(thread=thread, body=f"filler {n}\n" * 6)
    make_post(thread=thread, body=">>1 look")
    page.goto(asgi_server + thread.get_absolute_url())
    link = page.locator("#p10 .post-body a.anchor")
    link.scroll_into_view_if_needed()
    page.evaluate(
        "window.scrollBy(0, -(window.innerHeight - document.querySelector('#p10 a.anchor').getBoundingClientRect().bottom) + 20)"
    )
    link.focus()
    preview = page.locator(".anchor-preview")
    preview.wait_for()
    box = preview.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"], box


def test_on_a_partial_page_the_preview_fetches_a_post_that_is_not_shown(
    page, asgi_server, make_thread, make_post, make_board
):
    # A board of its own: threads started in the same second by earlier tests get the same
    # board and key once the database is emptied, and the server process outlives the tests.
    thread = make_thread(board=make_board(slug="partial"))
    make_post(thread=thread, body="post two, off this page")
    make_post(thread=thread, body=">>2 look")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(asgi_server + thread.get_absolute_url() + "3n")
    page.locator("#p3 .post-body a.anchor").hover()
    page.locator(".anchor-preview").wait_for()
    assert "post two, off this page" in page.locator(".anchor-preview").inner_text()


def test_a_first_post_from_the_page_confirms_once_then_appears(page, asgi_server, make_thread):
    thread = make_thread()
    page.goto(asgi_server + thread.get_absolute_url())
    page.fill("#id_body", "hello from a phone at night")
    page.get_by_role("button", name="Post reply").click()
    page.get_by_role("button", name="I understand, post it").click()
    page.locator("#p2").wait_for()
    assert "hello from a phone at night" in page.locator("#p2 .post-body").inner_text()
    # The server runs with the default 10-second interval: a quick second post waits, typed text kept.
    page.fill("#id_body", "and a second time, too soon")
    page.get_by_role("button", name="Post reply").click()
    page.locator("#form-errors").wait_for()
    assert "Please wait" in page.locator("#form-errors").inner_text()
    assert page.input_value("#id_body") == "and a second time, too soon"
    assert page.locator("#p3").count() == 0
    assert page.foreign_requests == []
