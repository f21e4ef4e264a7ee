"""English and Japanese: chosen by the switch (no JavaScript needed), the cookie, or the browser."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.config.markup import html_attribute, parse, submit

JAPANESE_NAV = "掲示板"  # "Boards" in the header
ENGLISH_NAV = ">Boards<"


@pytest.fixture
def browser_client():
    """A client that, like a browser, must send the CSRF token the page gave it."""
    return Client(enforce_csrf_checks=True)


@pytest.mark.django_db
def test_english_is_the_default(client):
    response = client.get("/")

    assert html_attribute(response.content, "html", "lang") == "en"
    assert ENGLISH_NAV in response.content.decode()


@pytest.mark.django_db
def test_pressing_the_japanese_button_switches_the_site_to_japanese(browser_client):
    page = browser_client.get("/privacy/")
    form = parse(page.content).form(action="/i18n/setlang/")
    japanese = next(button for button in form["buttons"] if button.get("value") == "ja")

    response = submit(browser_client, page.content, form, button=japanese)

    assert response.status_code == 302
    assert response["Location"] == "/privacy/"
    assert response.cookies["yoake_language"].value == "ja"
    after = browser_client.get(response["Location"])
    assert html_attribute(after.content, "html", "lang") == "ja"
    assert JAPANESE_NAV in after.content.decode()
    assert "保存するもの" in after.content.decode()  # the privacy page's own text


@pytest.mark.django_db
def test_the_language_switch_marks_the_current_language(client):
    client.cookies["yoake_language"] = "ja"
    form = parse(client.get("/").content).form(action="/i18n/setlang/")

    current = [button["value"] for button in form["buttons"] if "aria-current" in button]

    assert current == ["ja"]


@pytest.mark.django_db
def test_a_browser_asking_for_japanese_gets_japanese(client):
    response = client.get("/", headers={"accept-language": "ja,en;q=0.5"})

    assert html_attribute(response.content, "html", "lang") == "ja"
    assert JAPANESE_NAV in response.content.decode()


@pytest.mark.django_db
def test_the_chosen_language_wins_over_the_browsers_preference(client):
    client.cookies["yoake_language"] = "en"

    response = client.get("/", headers={"accept-language": "ja"})

    assert html_attribute(response.content, "html", "lang") == "en"
    assert ENGLISH_NAV in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_language_falls_back_to_english(client):
    response = client.get("/", headers={"accept-language": "xx"})

    assert html_attribute(response.content, "html", "lang") == "en"
