"""The header every page shares: search from anywhere, without JavaScript, and the name once."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(make_thread, make_room):
    thread = make_thread()
    room = make_room()
    return [
        "/",
        thread.board.get_absolute_url(),
        thread.get_absolute_url(),
        room.get_absolute_url(),
        "/support/",
        "/support/help-now/",
        "/search/?q=night",
    ]


def test_every_page_has_a_search_form_that_works_without_javascript(client, pages):
    for url in pages:
        page = client.get(url).content.decode()
        form = re.search(r'<form class="site-search" action="([^"]+)" method="get"', page)
        assert form, url
        assert form.group(1) == "/search/"
        assert 'name="q"' in page and '<label for="site-search-q"' in page


def test_searching_from_the_header_finds_a_post(client, make_thread, make_post):
    thread = make_thread()
    make_post(thread=thread, body="the kettle at dawn")

    page = client.get("/search/", {"q": "kettle"}).content.decode()

    assert "kettle" in page
    assert 'id="site-search-q" name="q" value="kettle"' in page


def test_the_japanese_header_names_the_site_once(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    brand = re.search(r'<a class="brand"[^>]*>(.*?)</a>', page, re.S).group(1)
    assert brand.count("夜明け") == 1

    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    brand = re.search(r'<a class="brand"[^>]*>(.*?)</a>', english, re.S).group(1)
    assert "Yoake" in brand and "夜明け" in brand
