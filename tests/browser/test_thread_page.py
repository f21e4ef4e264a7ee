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


def test_on_a_partial_page_the_preview_fetches_a_post_that_is_not_shown(
    page, asgi_server, make_thread, make_post
):
    thread = make_thread()
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
