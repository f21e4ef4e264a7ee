"""A moderator on a phone at night: the reports queue, the post list, a post and the ban form fit
375 px without sideways scrolling (and the lists fit 1280 px), in the admin's dark mode."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from forum.models import Post
from forum.reporting import report_post
from tests.browser.conftest import sign_in_to_admin
from tests.factories import poster_from

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 740}
DESK = {"width": 1280, "height": 900}
LONG_BODY = (
    "I have not left my room since spring and tonight it feels heavier than usual. "
    "My parents knock but I cannot answer them. "
    * 6
    + "https://example.com/"
    + "a-very-long-unbroken-address-" * 6
)


@pytest.fixture
def night_moderator(browser, asgi_server, make_moderator):
    """The moderator's own browser in the night theme, signed in with password and TOTP code."""
    context = browser.new_context(viewport=PHONE, color_scheme="light")
    host = urlsplit(asgi_server).hostname
    context.add_cookies([{"name": "yoake_theme", "value": "night", "domain": host, "path": "/"}])
    page = context.new_page()
    page.console_errors = []
    page.on(
        "console",
        lambda m: m.type == "error" and page.console_errors.append(f"{m.text} {m.location}"),
    )
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    moderator = make_moderator(username="phone-moderator")
    sign_in_to_admin(page, asgi_server, moderator)
    yield page
    context.close()


def overflow(page) -> dict:
    """How far the page, and any list inside its own scroll box, is wider than the screen."""
    return page.evaluate(
        """() => {
          const results = document.querySelector("#changelist .results");
          return {
            page: document.documentElement.scrollWidth - window.innerWidth,
            list: results ? results.scrollWidth - results.clientWidth : 0,
          };
        }"""
    )


def is_dark(page) -> bool:
    rgb = page.evaluate("getComputedStyle(document.body).backgroundColor")
    red, green, blue = (int(n) for n in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3])
    return red + green + blue < 3 * 80


def check(page, name: str, artifacts, viewport) -> None:
    page.set_viewport_size(viewport)
    page.screenshot(path=artifacts / f"admin-{name}-{viewport['width']}.png", full_page=True)
    assert overflow(page) == {"page": 0, "list": 0}, f"{name} at {viewport['width']} px"
    assert is_dark(page), f"{name} is not in the night theme"


def test_the_admin_fits_a_375px_phone_and_a_1280px_screen_at_night(
    night_moderator, asgi_server, make_board, make_thread, make_post, artifacts
):
    board = make_board(slug="nightowls")
    thread = make_thread(board=board, title="Still awake at 3am, " * 4)
    posts = [make_post(thread=thread, body=LONG_BODY) for _ in range(3)]
    for post in posts:
        report_post(post, reporter=poster_from("198.51.100.31").hashes, reason="risk_of_harm")
    mod = night_moderator

    mod.goto(asgi_server + "/admin/forum/reportedpost/")
    assert "I have not left my room" in mod.locator("#result_list").inner_text()
    # On the phone each cell says which column it is.
    assert mod.locator("#result_list tbody td[data-label='board']").count() == 3
    for viewport in (PHONE, DESK):
        check(mod, "reports-queue", artifacts, viewport)

    mod.goto(asgi_server + "/admin/forum/post/")
    for viewport in (PHONE, DESK):
        check(mod, "post-list", artifacts, viewport)

    mod.goto(asgi_server + f"/admin/forum/post/{posts[0].pk}/change/")
    for viewport in (PHONE, DESK):
        check(mod, "post-detail", artifacts, viewport)

    mod.set_viewport_size(PHONE)
    mod.get_by_role("button", name="Ban the poster").click()
    mod.locator("#id_reason").wait_for()
    # The ban form names the post itself: its place, daily ID and words.
    listing = mod.locator(".moderation-objects").inner_text()
    first = Post.objects.select_related("thread__board").get(pk=posts[0].pk)
    assert first.place in listing and f"ID:{first.daily_id}" in listing
    assert "I have not left my room" in listing
    for viewport in (PHONE, DESK):
        check(mod, "ban-form", artifacts, viewport)

    # In the day theme the admin is light again.
    host = urlsplit(asgi_server).hostname
    mod.context.add_cookies([{"name": "yoake_theme", "value": "day", "domain": host, "path": "/"}])
    mod.goto(asgi_server + "/admin/forum/reportedpost/")
    assert not is_dark(mod)

    assert mod.console_errors == []
