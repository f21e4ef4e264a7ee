"""At 3 a.m. on a phone: night by default, readable at 320 px, and day stays day after a reload."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def background(page) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_night_by_default_then_day_survives_a_reload_on_a_320px_phone(page, asgi_server, artifacts):
    call_command("seed", verbosity=0)

    page.goto(asgi_server + "/")
    html = page.locator("html")
    assert html.get_attribute("data-theme") == "night"
    night = background(page)
    assert fits_the_screen(page)
    page.screenshot(path=artifacts / "home-night-320.png", full_page=True)

    page.get_by_role("button", name="Day theme").click()
    expect(html).to_have_attribute("data-theme", "day")  # in place, without a reload
    page.get_by_role("button", name="Night theme").wait_for()  # the switch now offers night

    page.reload()
    assert html.get_attribute("data-theme") == "day"
    assert background(page) != night
    assert fits_the_screen(page)
    page.screenshot(path=artifacts / "home-day-320.png", full_page=True)

    assert page.foreign_requests == []
    assert page.console_errors == []


@pytest.mark.parametrize("browser_context_options", [{"java_script_enabled": False}])
def test_without_javascript_the_theme_switch_still_works(page, asgi_server):
    page.goto(asgi_server + "/privacy/")

    page.get_by_role("button", name="Day theme").click()

    page.wait_for_url(asgi_server + "/privacy/")
    assert page.locator("html").get_attribute("data-theme") == "day"
    page.reload()
    assert page.locator("html").get_attribute("data-theme") == "day"
