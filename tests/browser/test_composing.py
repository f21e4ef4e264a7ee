"""Writing a post in a real browser: the live character counter, and the preview without
JavaScript."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def counter(page, field: str):
    return page.locator(f"#id_{field}-counter")


def test_the_counter_counts_as_the_server_does_and_warns_near_and_over_the_limit(
    page, asgi_server, make_thread, artifacts
):
    thread = make_thread()
    page.goto(asgi_server + thread.get_absolute_url())
    body = counter(page, "body")
    assert body.inner_text() == "0 / 4000"
    assert "id_body-counter" in page.locator("#id_body").get_attribute("aria-describedby")

    page.fill("#id_body", "眠れない😀")  # an emoji is one character, as the server counts it
    assert body.inner_text() == "5 / 4000"
    assert body.get_attribute("data-state") == "ok"

    page.fill("#id_body", "a" * 3700)
    assert body.inner_text() == "3700 / 4000 · 300 left"
    assert body.get_attribute("data-state") == "near"

    page.fill("#id_body", "a" * 4010)
    assert body.inner_text() == "4010 / 4000 · 10 over the limit"
    body.scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "counter-over-320-night.png")
    assert body.get_attribute("data-state") == "over"
    # Screen readers hear it once, from a polite live region beside the counter.
    live = page.locator("#id_body-counter + [aria-live=polite]")
    assert live.inner_text() == "10 over the limit"
    # The night theme's --danger (#ff9a8f), and words too: colour is never the only sign.
    assert body.evaluate("e => getComputedStyle(e).color") == "rgb(255, 154, 143)"

    page.fill("#id_body", "line\n" * 59 + "last\n\n\n")  # trailing blank lines do not count
    assert "Lines: 60 / 60" in body.inner_text()
    page.fill("#id_body", "line\n" * 61)
    assert body.get_attribute("data-state") == "over"
    assert page.console_errors == []


def test_a_short_fields_counter_shows_only_near_its_limit(page, asgi_server, make_thread):
    thread = make_thread()
    page.goto(asgi_server + thread.get_absolute_url())
    name = counter(page, "name")
    assert name.is_hidden()
    page.fill("#id_name", "tea#key")
    assert name.is_hidden()
    page.fill("#id_name", "n" * 30)
    assert name.is_visible()
    assert name.inner_text() == "30 / 32 · 2 left"


@pytest.mark.parametrize("browser_context_options", [{"locale": "ja-JP"}])
def test_the_counter_speaks_japanese_to_a_japanese_reader(page, asgi_server, make_thread):
    thread = make_thread()
    page.goto(asgi_server + thread.get_absolute_url())
    page.fill("#id_body", "あ" * 3990)
    assert counter(page, "body").inner_text() == "3990 / 4000 · あと10文字"
    page.fill("#id_body", "あ" * 4002)
    assert counter(page, "body").inner_text() == "4002 / 4000 · 上限を2文字超えています"


@pytest.mark.parametrize("browser_context_options", [{"java_script_enabled": False}])
def test_without_javascript_a_preview_shows_the_post_then_it_can_be_posted(
    page, asgi_server, make_thread, artifacts
):
    thread = make_thread()
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(asgi_server + thread.get_absolute_url())
    assert counter(page, "body").count() == 0  # no counter, and nothing missing without it
    page.fill("#id_name", "tea#tea")
    page.fill("#id_body", ">>1 a first reply, <b>looked at</b> before sending")
    page.get_by_role("button", name="Preview").click()

    drawn = page.locator(".post-preview")
    assert "<b>looked at</b>" in drawn.locator(".post-body").inner_text()
    assert drawn.locator(".trip").inner_text() == "◆WokonZwxw2"
    assert page.locator("#id_body").input_value().startswith(">>1 a first reply")
    page.screenshot(path=artifacts / "preview-375-night.png", full_page=True)
    thread.refresh_from_db()
    assert thread.post_count == 1

    page.get_by_role("button", name="Post reply").click()
    page.get_by_role("button", name="I understand, post it").click()
    page.locator("#p2").wait_for()
    assert "a first reply" in page.locator("#p2 .post-body").inner_text()
