"""A reader without JavaScript switches the whole site to Japanese with one button."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("browser_context_options", [{"java_script_enabled": False}])
def test_the_japanese_button_works_without_javascript_and_is_remembered(page, asgi_server):
    page.goto(asgi_server + "/privacy/")

    page.get_by_role("button", name="日本語").click()

    page.get_by_role("heading", name="プライバシー：夜明けが保存するもののすべて").wait_for()
    assert page.url == asgi_server + "/privacy/"
    assert page.locator("html").get_attribute("lang") == "ja"
    page.goto(asgi_server + "/")
    assert page.locator("html").get_attribute("lang") == "ja"
    assert page.get_by_role("link", name="いま助けが必要ですか？").first.is_visible()
