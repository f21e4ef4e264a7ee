"""Every page is sent with a strict CSP and the secure headers; nothing runs inline."""

from __future__ import annotations

import pytest

PAGES = ["/", "/privacy/", "/support/", "/support/help-now/", "/chat/", "/accounts/login/"]


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_pages_forbid_inline_scripts_and_styles_and_other_origins(client, path):
    response = client.get(path)

    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_pages_send_no_referrer_to_other_sites_no_sniffing_and_no_framing(client, path):
    response = client.get(path)

    assert response["Referrer-Policy"] in ("no-referrer", "same-origin")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_the_health_probe_is_sent_with_the_same_headers(client):
    response = client.get("/healthz")

    assert response["X-Content-Type-Options"] == "nosniff"
    assert "unsafe-inline" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_theme_cookie_is_secure_when_debug_is_off(client, settings):
    settings.DEBUG = False

    response = client.post("/theme/", {"theme": "day", "next": "/"}, secure=True)

    assert response.cookies["yoake_theme"]["secure"]
    assert response.cookies["yoake_theme"]["samesite"] == "Lax"


@pytest.mark.django_db
def test_board_pages_send_no_referrer_at_all(client, make_thread):
    thread = make_thread()
    for path in ("/", f"/{thread.board.slug}/", thread.get_absolute_url(), "/support/help-now/"):
        assert client.get(path)["Referrer-Policy"] == "no-referrer"
    # The second answer of a page comes from the page cache, with the same header.
    assert client.get(thread.get_absolute_url())["Referrer-Policy"] == "no-referrer"


@pytest.mark.django_db
def test_pages_with_a_csrf_protected_form_send_same_origin_so_the_form_works(client):
    # With no-referrer a browser posts such a form with "Origin: null", which Django refuses.
    response = client.get("/accounts/login/")
    assert "csrfmiddlewaretoken" in response.content.decode()
    assert response["Referrer-Policy"] == "same-origin"
