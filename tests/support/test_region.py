"""The reader's likely country, from the browser's time zone or the language."""

import pytest
from django.test import RequestFactory
from django.utils import translation

from support.region import country_for_timezone, likely_country


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
