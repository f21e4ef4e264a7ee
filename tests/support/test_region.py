"""The reader's likely country, from the browser's time zone or the language."""

import pytest
from django.test import RequestFactory
from django.utils import translation

from support.region import country_for_languages, country_for_timezone, likely_country


def _request(query="", cookies=None):
    request = RequestFactory().get(f"/support/help-now/{query}")
    request.COOKIES.update(cookies or {})
    return request


@pytest.mark.parametrize(
    ("tz", "country"),
    [
        ("Asia/Tokyo", "JP"),
        ("Asia/Seoul", "KR"),
        ("Asia/Taipei", "TW"),
        ("Asia/Hong_Kong", "HK"),
        ("Asia/Shanghai", "CN"),
        ("America/New_York", "US"),
        ("America/Los_Angeles", "US"),
        ("America/Indiana/Indianapolis", "US"),
        ("Pacific/Honolulu", "US"),
        ("America/Toronto", "CA"),
        ("America/Vancouver", "CA"),
        ("Europe/London", "GB"),
        ("Europe/Dublin", "IE"),
        ("Australia/Sydney", "AU"),
        ("Australia/Perth", "AU"),
        ("Europe/Paris", "INTL"),
        ("America/Sao_Paulo", "INTL"),
        ("America/Mexico_City", "INTL"),
        ("UTC", None),
        ("Etc/GMT+9", None),
        ("../../etc/passwd", None),
        ("<script>", None),
        ("", None),
    ],
)
def test_time_zones_map_to_countries(tz, country):
    assert country_for_timezone(tz) == country


def test_a_japanese_reader_without_a_time_zone_is_likely_in_japan():
    with translation.override("ja"):
        assert likely_country(_request()) == "JP"


def test_the_time_zone_cookie_wins_over_the_language():
    with translation.override("ja"):
        assert likely_country(_request(cookies={"yoake_tz": "Europe/London"})) == "GB"


def test_the_tz_parameter_wins_over_the_cookie():
    request = _request("?tz=Australia/Melbourne", cookies={"yoake_tz": "Asia/Seoul"})
    assert likely_country(request) == "AU"


def test_a_nonsense_time_zone_is_ignored():
    with translation.override("en"):
        assert likely_country(_request("?tz=Mars/Olympus_Mons_Base!")) == "JP"


def test_an_english_reader_with_nothing_else_to_go_on_gets_japan_first():
    with translation.override("en"):
        assert likely_country(_request()) == "JP"


@pytest.mark.parametrize(
    ("accept_language", "country"),
    [
        ("en-GB,en;q=0.9", "GB"),
        ("en-US,en;q=0.9", "US"),
        ("en-AU", "AU"),
        ("en-CA,fr-CA;q=0.8", "CA"),
        ("ko-KR,ko;q=0.9,en-US;q=0.8", "KR"),
        ("ko", "KR"),
        ("zh-TW,zh;q=0.9", "TW"),
        ("zh-HK", "HK"),
        ("zh-CN,zh;q=0.9", "CN"),
        ("zh-Hant", "TW"),
        ("ja,en-US;q=0.7", "JP"),
        ("ja-JP", "JP"),
        ("en", "INTL"),
        ("en,en-GB;q=0.5", "GB"),  # Firefox: the region comes second
        ("fr-FR,fr;q=0.9", "INTL"),
        ("en-IE", "IE"),
        ("en-US;q=0.2,ja;q=0.9", "JP"),  # quality, not position, decides
        ("en-GB;q=0,ko", "KR"),  # q=0 means "not this one"
    ],
)
def test_the_browsers_languages_say_where_the_reader_likely_is(accept_language, country):
    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE=accept_language)
    assert likely_country(request) == country


@pytest.mark.parametrize("header", ["", "*", ";;;,,,", "x" * 600, "en-GB;q=abc"])
def test_an_empty_or_odd_header_says_nothing_of_a_place(header):
    assert country_for_languages(header) in (None, "INTL")
    with translation.override("en"):
        request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE=header)
        assert likely_country(request) in ("JP", "INTL")


def test_the_time_zone_wins_over_the_languages():
    request = RequestFactory().get("/?tz=Asia/Seoul", HTTP_ACCEPT_LANGUAGE="en-GB")
    assert likely_country(request) == "KR"


def test_the_country_the_reader_chose_wins_over_everything_else():
    request = RequestFactory().get("/?tz=Asia/Seoul", HTTP_ACCEPT_LANGUAGE="en-GB")
    request.COOKIES["yoake_country"] = "au"
    assert likely_country(request) == "AU"


def test_a_chosen_country_we_do_not_know_is_ignored():
    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE="en-GB")
    request.COOKIES["yoake_country"] = "<script>"
    assert likely_country(request) == "GB"


def test_a_sockets_handshake_is_read_like_a_request():
    scope = {
        "query_string": b"",
        "headers": [(b"accept-language", b"en-US,en;q=0.9"), (b"cookie", b"a=b")],
    }
    assert likely_country(scope) == "US"
    scope["headers"] = [(b"cookie", b"yoake_country=CA"), (b"accept-language", b"en-US")]
    assert likely_country(scope) == "CA"
