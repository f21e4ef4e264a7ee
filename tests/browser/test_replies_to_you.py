"""A new poster at night on a fresh install: they see the welcome thread, start a thread of
their own, someone answers from another browser, and they learn of it — live in the header with
JavaScript, on the Replies page with it or without."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from forum.models import Board
from forum.welcome import WELCOME_TITLE

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(params=[{}, {"java_script_enabled": False}], ids=["js", "no-js"])
def browser_context_options(request) -> dict:
    return request.param


def post_first_time(page, button: str) -> None:
    """Send the form, then accept the rules a browser's first post is shown once."""
    page.get_by_role("button", name=button).click()
    page.get_by_role("button", name="I understand, post it").click()


def test_a_new_poster_learns_that_someone_replied(
    page, browser, asgi_server, artifacts, browser_context_options
):
    call_command("seed", verbosity=0)
    # Every browser here comes from 127.0.0.1: no flood interval between the two of them.
    Board.objects.filter(slug="night").update(flood_interval=0)
    script = "nojs" if browser_context_options else "js"
    page.set_viewport_size({"width": 375, "height": 800})

    page.goto(asgi_server + "/night/")
    expect(page.get_by_role("link", name=WELCOME_TITLE)).to_be_visible()
    page.fill("#id_title", "Awake at 3 a.m. again")
    page.fill("#id_body", "Does anyone else find the nights the hardest?")
    post_first_time(page, "Start thread")
    expect(page.get_by_role("heading", name="Awake at 3 a.m. again")).to_be_visible()
    thread_url = page.url
    replies_link = page.locator("[data-replies]")
    expect(replies_link).to_have_text("Replies")

    other = browser.new_context(**browser_context_options)
    try:
        someone = other.new_page()
        someone.goto(thread_url)
        someone.fill("#id_body", ">>1 Me too. You're not alone tonight.")
        post_first_time(someone, "Post reply")
        expect(someone.get_by_text("You're not alone tonight.")).to_be_visible()
    finally:
        other.close()

    if not browser_context_options:
        # Live: the first poster's open page says so without being reloaded.
        expect(replies_link).to_have_text("1 reply to you")
        expect(replies_link).to_have_class(re.compile("has-replies"))
        box = replies_link.bounding_box()  # on the phone's screen, not scrolled off its row
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    page.screenshot(path=artifacts / f"replies-header-375-{script}.png")
    replies_link.click()
    expect(page.get_by_role("heading", name="Replies to you")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="1 reply to you")).to_be_visible()
    expect(page.get_by_text("Me too. You're not alone tonight.")).to_be_visible()
    page.screenshot(path=artifacts / f"replies-page-375-{script}.png", full_page=True)

    page.get_by_role("link", name="Awake at 3 a.m. again").click()
    assert page.url.startswith(thread_url)
    expect(page.locator("#p2")).to_contain_text("You're not alone tonight.")
    expect(replies_link).to_have_text("Replies")  # seen now
    assert page.foreign_requests == []
    assert page.console_errors == []
