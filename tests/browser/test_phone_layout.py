"""A phone at 375 px: a compact header, a board table whose numbers do not wrap, help-now open
on the reader's own country; and screenshots of the main pages, and of the calm page that a post
with risk language meets before it is posted, in both themes and widths."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.browser.conftest import reach_the_risk_page

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def seeded_thread(make_thread, make_post):
    call_command("seed", verbosity=0)
    from forum.models import Board

    board = Board.objects.order_by("position", "pk").first()
    thread = make_thread(board=board, title="Awake again at three", body="Anyone else up?")
    make_post(thread=thread, body=">>1 me too, the kettle is on")
    return thread


def _open(browser, asgi_server, *, viewport, language="en-GB", theme="night", zone="Europe/London"):
    context = browser.new_context(viewport=viewport, locale=language, timezone_id=zone)
    context.add_cookies([{"name": "yoake_theme", "value": theme, "url": asgi_server}])
    return context, context.new_page()


@pytest.mark.parametrize("language", ["en-GB", "ja"])
def test_the_header_on_a_phone_is_under_100_px_and_nothing_scrolls_sideways(
    browser, asgi_server, seeded_thread, language
):
    context, page = _open(browser, asgi_server, viewport=PHONE, language=language)
    for path in ("/", seeded_thread.board.get_absolute_url(), seeded_thread.get_absolute_url()):
        page.goto(asgi_server + path)
        height = page.locator(".site-header").bounding_box()["height"]
        assert height < 100, (path, height)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
        # Help is still one tap away, and search too (its page has the form).
        assert page.locator(".site-header .help-now").is_visible()
        assert page.locator(".site-nav .search-link").is_visible()
    context.close()


def test_the_header_at_1280_px_keeps_the_search_form(browser, asgi_server, seeded_thread):
    context, page = _open(browser, asgi_server, viewport=DESKTOP)
    page.goto(asgi_server + "/")
    assert page.locator(".site-header #site-search-q").is_visible()
    assert not page.locator(".site-nav .search-link").is_visible()
    context.close()


def test_the_posts_column_of_a_board_does_not_wrap_on_a_phone(
    browser, asgi_server, seeded_thread, make_thread
):
    make_thread(
        board=seeded_thread.board,
        title="Another long night where sleep will not come and the house is very quiet again",
    )
    context, page = _open(browser, asgi_server, viewport=PHONE)
    page.goto(asgi_server + seeded_thread.board.get_absolute_url())
    heading = page.locator(".threads th.num").first
    line = page.evaluate(
        "(el) => parseFloat(getComputedStyle(el).lineHeight)", heading.element_handle()
    )
    assert heading.bounding_box()["height"] < 1.5 * line + 12  # one line, with its padding
    context.close()


def test_help_now_on_a_phone_opens_on_the_uk_with_its_first_line_in_view(
    browser, asgi_server, seeded_thread
):
    context, page = _open(browser, asgi_server, viewport=PHONE)
    page.goto(asgi_server + "/support/help-now/")
    open_groups = page.locator("details.country-group[open]")
    assert open_groups.count() == 1
    assert open_groups.first.get_attribute("id") == "country-GB"
    # The number to call is on the first screen; the other countries are folded below.
    emergency = page.locator(".emergency-first a[href='tel:999']")
    assert emergency.bounding_box()["y"] + emergency.bounding_box()["height"] <= PHONE["height"]
    assert page.evaluate("document.documentElement.scrollHeight") < 6000
    context.close()


def test_screenshots_of_the_main_pages_in_both_themes_and_widths(
    browser, asgi_server, seeded_thread, artifacts
):
    from chat.models import Room

    room = Room.objects.first()  # the seed's
    pages = {
        "home": "/",
        "board": seeded_thread.board.get_absolute_url(),
        "thread": seeded_thread.get_absolute_url(),
        "chat": room.get_absolute_url(),
        "help-now-en-GB": "/support/help-now/",
        "sign-up": "/accounts/signup/",
    }
    for theme in ("night", "day"):
        for width, viewport in (("375", PHONE), ("1280", DESKTOP)):
            context, page = _open(browser, asgi_server, viewport=viewport, theme=theme)
            for name, path in pages.items():
                page.goto(asgi_server + path)
                page.screenshot(path=artifacts / f"{name}-{theme}-{width}.png", full_page=True)
            context.close()


# A reader in the UK writing in English, and one in Japan writing in Japanese: what they write,
# their time zone, and the emergency number their help lines start with.
RISKY = {
    "en-GB": ("I want to die tonight", "Europe/London", "999"),
    "ja": ("今夜はもう死にたい", "Asia/Tokyo", "119"),
}


@pytest.mark.parametrize("language", list(RISKY))
def test_screenshots_of_the_risk_page_in_both_themes_and_widths(
    browser, asgi_server, seeded_thread, artifacts, language
):
    """The calm page a writer meets before a post with risk language goes out, with the help
    lines of their own country: the UK's for en-GB, Japan's for ja."""
    text, zone, emergency = RISKY[language]
    for theme in ("night", "day"):
        for width, viewport in (("375", PHONE), ("1280", DESKTOP)):
            context, page = _open(
                browser, asgi_server, viewport=viewport, language=language, theme=theme, zone=zone
            )
            reach_the_risk_page(page, asgi_server, seeded_thread, text)
            assert page.locator(f"main a[href='tel:{emergency}']").count() >= 1
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            page.screenshot(path=artifacts / f"risk-{language}-{theme}-{width}.png", full_page=True)
            context.close()
