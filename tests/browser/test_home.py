"""A fresh install at night: the home page shows the team's welcome threads as the latest ones,
and a first post left alone for ten minutes asks kindly for a reply, on a phone and a desk."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from forum.models import Board
from forum.welcome import WELCOME_TITLE
from tests.factories import poster_from

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(params=[{}, {"java_script_enabled": False}], ids=["js", "no-js"])
def browser_context_options(request) -> dict:
    return request.param


@pytest.mark.parametrize("width", [375, 1280])
def test_a_fresh_install_greets_and_points_at_a_post_waiting_for_its_first_reply(
    page, asgi_server, artifacts, width, browser_context_options
):
    from forum.posting import create_thread

    call_command("seed", verbosity=0)
    create_thread(
        Board.objects.get(slug="night"),
        poster=poster_from("198.51.100.40"),
        title="Can't sleep again",
        body="Is anyone else up?",
        now=timezone.now() - timedelta(minutes=12),
    )
    page.set_viewport_size({"width": width, "height": 900})

    page.goto(asgi_server + "/")
    waiting = page.locator("section.waiting")
    assert waiting.get_by_role("link", name="Can't sleep again").is_visible()
    assert "a few words help" in waiting.inner_text()
    latest = page.locator("section.latest")
    assert latest.get_by_role("link", name=WELCOME_TITLE).count() == 7
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    script = "nojs" if browser_context_options else "js"
    page.screenshot(path=artifacts / f"home-fresh-install-{width}-{script}.png", full_page=True)

    latest.get_by_role("link", name=WELCOME_TITLE).first.click()
    assert page.locator(".post-name.capcode").first.inner_text() == "Moderator ★"
    assert "/support/help-now/" in page.locator(".post-body").first.inner_text()
    page.screenshot(path=artifacts / f"welcome-thread-{width}-{script}.png", full_page=True)
    assert page.foreign_requests == []
    assert page.console_errors == []
