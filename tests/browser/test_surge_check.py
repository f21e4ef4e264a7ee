"""In a surge, a browser new to Yoake does the proof of work by itself and its thread goes
straight onto the board: a real round trip through the vendored ALTCHA widget, with no request
to any other site. Without JavaScript, the page says how long to wait and keeps the text."""

from __future__ import annotations

import pytest

from forum import surge
from forum.models import SurgeState, Thread

pytestmark = pytest.mark.django_db(transaction=True)


def _busy_board(make_board):
    board = make_board(slug="busy")
    surge.switch(board, SurgeState.Switch.ON, by=None)
    return board


def _start_a_thread(page, url: str) -> None:
    page.goto(url)
    page.fill("#id_title", "眠れない夜に")
    page.fill("#id_body", "はじめて書きます。誰か起きていますか。")
    page.locator("#post-form button[type=submit].primary").click()
    # The first post from this browser: the rules once, then the post goes on.
    page.get_by_role("button", name="I understand, post it").click()


def test_a_newcomers_browser_solves_the_check_and_the_thread_appears(page, asgi_server, make_board):
    board = _busy_board(make_board)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.context.on("request", lambda request: requests.append(request.url))

    _start_a_thread(page, asgi_server + board.get_absolute_url())
    page.wait_for_url(
        f"{asgi_server}/test/read.cgi/busy/**", wait_until="domcontentloaded", timeout=20_000
    )

    thread = Thread.objects.get(board=board)
    assert not thread.is_held and thread.archive_first
    assert thread.posts.get(number=1).is_visible
    assert "眠れない夜に" in page.content()
    assert any("vendor/altcha/sha.js" in url for url in requests), "the proof ran in a worker"
    strangers = [url for url in requests if not url.startswith(asgi_server)]
    assert not strangers, f"requests to other sites: {strangers}"


@pytest.mark.parametrize("browser_context_options", [{"java_script_enabled": False}])
def test_without_javascript_the_page_says_how_long_and_keeps_the_text(
    page, asgi_server, make_board
):
    board = _busy_board(make_board)
    _start_a_thread(page, asgi_server + board.get_absolute_url())

    page.wait_for_selector(".surge-check")
    assert f"send it again in {surge.HOLD_SECONDS} seconds" in page.content()
    assert page.locator("#id_title").input_value() == "眠れない夜に"
    assert page.locator("#id_body").input_value() == "はじめて書きます。誰か起きていますか。"
    assert not Thread.objects.filter(board=board).exists()
