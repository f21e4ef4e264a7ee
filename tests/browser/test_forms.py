"""Forms protected against cross-site requests still work from a real browser without JavaScript.

Browsers send "Origin: null" with a form POST when the page says Referrer-Policy: no-referrer, and
Django's CSRF check refuses that; Yoake sends "same-origin", which tells other sites nothing.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("browser_context_options", [{"java_script_enabled": False}])
def test_signing_in_without_javascript_reaches_the_form_check_not_a_csrf_refusal(page, asgi_server):
    page.goto(asgi_server + "/accounts/login/")
    page.fill("input[name=login]", "nobody-by-this-name")
    page.fill("input[name=password]", "not the password")

    with page.expect_navigation() as navigation:
        page.locator("form[method=post] [type=submit]").last.click()

    assert navigation.value.status == 200  # the form again, with its error; never a 403
    assert page.locator("input[name=login]").input_value() == "nobody-by-this-name"
