"""Help-now opens without a network once Yoake has been visited: the service worker keeps that
page and its stylesheets, and nothing else."""

from __future__ import annotations

import pytest
from playwright.sync_api import Error as PlaywrightError

pytestmark = pytest.mark.django_db(transaction=True)

# What the service worker's caches hold, once it is active (an error, not a hang, without one).
KEPT = """async () => {
  const none = new Promise((_, fail) => setTimeout(() => fail(new Error("no worker")), 15000));
  await Promise.race([navigator.serviceWorker.ready, none]);
  const urls = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
  }
  return urls.sort();
}"""


def test_help_now_opens_offline_after_a_visit_to_any_page(
    page, asgi_server, make_thread, make_help_line
):
    make_help_line(name_en="A line that listens at night")
    thread = make_thread()
    page.goto(asgi_server + "/")
    # Installed from the home page: help-now is kept before the reader ever opens it.
    assert page.evaluate(KEPT) == [
        "/static/css/yoake.css",
        "/static/support/support.css",
        "/support/help-now/",
    ]
    page.goto(asgi_server + thread.get_absolute_url())
    assert page.evaluate(KEPT) == [
        "/static/css/yoake.css",
        "/static/support/support.css",
        "/support/help-now/",
    ], "the worker keeps nothing but help-now"

    page.context.set_offline(True)
    try:
        page.goto(asgi_server + "/support/help-now/")
        assert page.locator("h1").inner_text() == "Need help now?"
        assert "A line that listens at night" in page.locator(".help-lines").inner_text()
        # Styled from the kept stylesheet: the night theme's background, not the browser's white.
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(18, 21, 31)"
        # Any other page is not kept: offline, it fails as it would without the worker.
        with pytest.raises(PlaywrightError, match=r"ERR_INTERNET_DISCONNECTED|ERR_FAILED"):
            page.goto(asgi_server + thread.get_absolute_url())
    finally:
        page.context.set_offline(False)
    assert page.console_errors == [] or all("Failed to load" in e for e in page.console_errors)


def test_online_help_now_comes_fresh_from_the_server(page, asgi_server, make_help_line):
    make_help_line(name_en="Old line")
    page.goto(asgi_server + "/support/help-now/")
    page.evaluate(KEPT)  # the worker is in charge from here on
    make_help_line(name_en="New line")
    page.reload()
    assert "New line" in page.locator(".help-lines").inner_text()
    # And the kept copy is renewed: offline, the page last seen opens.
    page.context.set_offline(True)
    try:
        page.reload()
        assert "New line" in page.locator(".help-lines").inner_text()
    finally:
        page.context.set_offline(False)
