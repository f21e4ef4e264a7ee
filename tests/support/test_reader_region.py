"""Every page that shows help shows the lines of where the reader is, without JavaScript: from
the browser's languages, the time zone help-now's script reports, or the country they chose."""

import re

import pytest

from tests.chat.factories import make_room  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

UK = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}


def _tel(page):
    return re.findall(r'href="tel:([^"]+)"', page)


def _open_groups(page):
    return re.findall(r'<details class="country-group" id="country-(\w+)" open>', page)


def test_help_now_without_javascript_opens_on_the_uk_for_an_en_gb_browser(client, seeded):
    page = client.get("/support/help-now/", **UK).content.decode()
    assert _open_groups(page) == ["GB"]
    groups = re.findall(r'<details class="country-group" id="country-(\w+)"', page)
    assert groups[0] == "GB" and len(groups) > 5  # the others are there, folded
    notice = re.search(r'<p class="notice emergency-first">(.*?)</p>', page, re.S).group(1)
    assert "tel:999" in notice and "tel:119" not in notice


@pytest.mark.parametrize(
    ("accept_language", "country"),
    [("en-US", "US"), ("ko-KR,ko;q=0.9", "KR"), ("zh-TW", "TW"), ("ja", "JP"), ("en", "INTL")],
)
def test_help_now_opens_on_the_readers_country(client, seeded, accept_language, country):
    page = client.get("/support/help-now/", HTTP_ACCEPT_LANGUAGE=accept_language).content.decode()
    assert _open_groups(page) == [country]


def test_choosing_a_country_is_kept_and_every_help_page_follows_it(client, seeded):
    chooser = client.get("/support/country/?next=/support/family-guide/", **UK).content.decode()
    assert 'value="GB" checked' in chooser
    response = client.post("/country/", {"country": "AU", "next": "/support/family-guide/"}, **UK)
    assert response.status_code == 302
    assert response["Location"] == "/support/family-guide/"
    cookie = response.cookies["yoake_country"]
    assert cookie.value == "AU" and cookie["max-age"] >= 300 * 24 * 3600
    assert _open_groups(client.get("/support/help-now/", **UK).content.decode()) == ["AU"]
    guide = client.get("/support/family-guide/", **UK).content.decode()
    assert "000" in _tel(guide) and "999" not in _tel(guide)
    assert "Not in Australia?" in guide


def test_letting_yoake_guess_again_forgets_the_choice(client, seeded):
    client.cookies["yoake_country"] = "AU"
    response = client.post("/country/", {"country": ""}, **UK)
    assert response.cookies["yoake_country"].value == ""
    del client.cookies["yoake_country"]
    assert _open_groups(client.get("/support/help-now/", **UK).content.decode()) == ["GB"]


def test_the_chooser_goes_back_only_to_this_site(client, seeded):
    response = client.post("/country/", {"country": "GB", "next": "https://evil.test/"})
    assert response["Location"] == "/support/help-now/"


def test_the_chooser_page_posts_to_the_switch_and_lists_every_country(client, seeded):
    page = client.get("/support/country/", **UK).content.decode()
    assert '<form method="post" action="/country/"' in page
    assert page.count('type="radio" name="country"') == 11


def test_help_nows_country_form_keeps_the_choice(client, seeded):
    page = client.get("/support/help-now/", **UK).content.decode()
    form = re.search(r'<form class="country-choice"[^>]*>', page).group(0)
    assert 'method="post"' in form and 'action="/country/"' in form


def test_the_family_guides_help_is_the_uks_for_an_en_gb_reader(client, seeded):
    guide = client.get("/support/family-guide/", **UK).content.decode()
    aside = re.search(r'<aside class="card more-help">(.*?)</aside>', guide, re.S).group(1)
    assert "999" in _tel(aside) and "119" not in _tel(aside)
    assert "Not in the UK?" in aside
    assert 'href="/support/country/?next=/support/family-guide/"' in aside


def test_the_family_guide_in_japanese_keeps_japans_lines(client, seeded):
    guide = client.get("/support/family-guide/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    aside = re.search(r'<aside class="card more-help">(.*?)</aside>', guide, re.S).group(1)
    assert "119" in _tel(aside)


def test_the_risk_page_shows_an_en_gb_writer_the_uks_lines(client, seeded, make_thread):
    thread = make_thread()
    client.cookies["yoake_poster"] = "k"
    page = client.post(thread.get_absolute_url(), {"body": "I want to die"}, **UK).content.decode()
    assert "It sounds like things are really hard right now" in page
    assert "999" in _tel(page) and "119" not in _tel(page)
    # Choosing a country opens beside the page, so the held text is not lost.
    chooser = re.search(r'<a href="/support/country/[^"]*"[^>]*>', page).group(0)
    assert 'target="_blank"' in chooser


def test_the_risk_page_for_plain_english_points_to_the_international_directory(
    client, seeded, make_thread
):
    thread = make_thread()
    client.cookies["yoake_poster"] = "k"
    page = client.post(
        thread.get_absolute_url(), {"body": "I want to die"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Find A Helpline" in page and "119" not in _tel(page)
    assert "These lines work from any country." in page


def test_the_chat_rooms_help_is_the_uks_for_an_en_gb_reader(
    client,
    seeded,
    make_room,  # noqa: F811 (fixture)
):
    make_room(slug="lounge")
    page = client.get("/chat/lounge/?help=1", **UK).content.decode()
    assert "999" in _tel(page) and "119" not in _tel(page)


def test_cached_pages_carry_no_region(client, seeded, make_thread):
    thread = make_thread()
    first = client.get(thread.get_absolute_url(), **UK).content
    other = client.get(thread.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en-US").content
    assert first == other
    assert b"Not in the UK" not in first and b"/support/country/" not in first


def test_another_site_cannot_choose_the_readers_country(client, seeded):
    response = client.post("/country/", {"country": "US"}, HTTP_SEC_FETCH_SITE="cross-site", **UK)
    assert response.status_code == 403 and "yoake_country" not in response.cookies
    other_origin = client.post("/country/", {"country": "US"}, HTTP_ORIGIN="https://evil.test")
    assert other_origin.status_code == 403


def test_help_now_keeps_sending_no_referrer_with_its_country_form(client, seeded):
    assert client.get("/support/help-now/")["Referrer-Policy"] == "no-referrer"
