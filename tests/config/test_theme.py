"""Night is the default; the day/night switch works without JavaScript and is remembered."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.config.markup import html_attribute, parse, submit


@pytest.fixture
def browser_client():
    """A client that, like a browser, must send the CSRF token the page gave it."""
    return Client(enforce_csrf_checks=True)


def theme_of(response) -> str:
    return html_attribute(response.content, "html", "data-theme")


def theme_switch(content: bytes) -> tuple[dict, dict]:
    form = parse(content).form(**{"data-theme-switch": ""})
    return form, form["buttons"][0]


@pytest.mark.django_db
def test_night_is_the_default_theme(client):
    response = client.get("/")

    assert theme_of(response) == "night"
    assert html_attribute(response.content, "meta", "charset") == "utf-8"
    assert 'name="color-scheme" content="dark"' in response.content.decode()


@pytest.mark.django_db
def test_the_theme_switch_works_without_javascript_and_is_remembered(browser_client):
    page = browser_client.get("/privacy/")
    form, button = theme_switch(page.content)
    assert button["value"] == "day"

    response = submit(browser_client, page.content, form, button=button)

    assert response.status_code == 302
    assert response["Location"] == "/privacy/"
    after = browser_client.get(response["Location"])
    assert theme_of(after) == "day"
    assert theme_of(browser_client.get("/")) == "day"  # and on the next page too
    assert theme_switch(after.content)[1]["value"] == "night"  # the switch now offers night


@pytest.mark.django_db
def test_switching_back_to_night_is_remembered(client):
    client.post("/theme/", {"theme": "day", "next": "/"})
    client.post("/theme/", {"theme": "night", "next": "/"})

    assert theme_of(client.get("/")) == "night"


@pytest.mark.django_db
def test_an_unknown_theme_is_ignored(client):
    response = client.post("/theme/", {"theme": "neon", "next": "/"})

    assert response.status_code == 302
    assert "yoake_theme" not in response.cookies
    assert theme_of(client.get("/")) == "night"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "next_url", ["https://elsewhere.example/", "//elsewhere.example/", "javascript:alert(1)"]
)
def test_the_theme_switch_never_sends_the_reader_to_another_site(client, next_url):
    response = client.post("/theme/", {"theme": "day", "next": next_url})

    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_the_theme_cookie_is_respected_on_every_page(client):
    client.cookies["yoake_theme"] = "day"

    for path in ["/", "/privacy/", "/support/", "/chat/"]:
        assert theme_of(client.get(path)) == "day", path


@pytest.mark.django_db
def test_a_tampered_theme_cookie_falls_back_to_night(client):
    client.cookies["yoake_theme"] = '"><script>'

    response = client.get("/")

    assert theme_of(response) == "night"
