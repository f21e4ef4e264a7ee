"""A parent, late at night, finds the family board, the family guide and help now."""

from __future__ import annotations

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [375, 1280]


@pytest.mark.parametrize("width", WIDTHS)
def test_a_parent_walks_from_home_to_the_family_board_the_guide_and_help_now(
    page, asgi_server, artifacts, width
):
    call_command("seed", verbosity=0)
    page.set_viewport_size({"width": width, "height": 900})

    page.goto(asgi_server + "/")
    assert page.locator("html").get_attribute("data-theme") == "night"
    page.screenshot(path=artifacts / f"parent-1-home-{width}.png", full_page=True)

    page.get_by_role("link", name="Parents & family").click()
    page.wait_for_url(asgi_server + "/family/")
    assert page.get_by_role("heading", name="Parents & family").is_visible()
    resources = page.locator("aside.board-resources")
    assert resources.is_visible()
    page.screenshot(path=artifacts / f"parent-2-family-board-{width}.png", full_page=True)

    resources.locator("a").first.click()
    page.wait_for_url(asgi_server + "/support/family-guide/")
    assert "Strange Peace" in page.content()
    page.screenshot(path=artifacts / f"parent-3-family-guide-{width}.png", full_page=True)

    page.get_by_role("link", name="Need help now?").first.click()
    page.wait_for_url(asgi_server + "/support/help-now/**")
    assert page.locator('a[href^="tel:"]').count() > 0
    page.screenshot(path=artifacts / f"parent-4-help-now-{width}.png", full_page=True)

    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.foreign_requests == []
    assert page.console_errors == []
