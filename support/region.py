"""Where is the reader likely to be? Only to put the right help lines first; never stored.

The browser's time zone (sent by static/js/helpnow.js as ?tz= or the `yoake_tz` cookie) is the
best hint we have without asking; failing that, the language; failing that, Japan, where most
of Yoake's readers live.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from support.models import reader_language

TZ_COOKIE = "yoake_tz"
DEFAULT_COUNTRY = "JP"
INTERNATIONAL = "INTL"

_TZ_SHAPE = re.compile(r"^[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+){0,2}$")

_ZONES = {
    "Asia/Tokyo": "JP",
    "Japan": "JP",
    "Asia/Seoul": "KR",
    "ROK": "KR",
    "Asia/Taipei": "TW",
    "ROC": "TW",
    "Asia/Hong_Kong": "HK",
    "Hongkong": "HK",
    "Asia/Shanghai": "CN",
    "Asia/Chongqing": "CN",
    "Asia/Chungking": "CN",
    "Asia/Harbin": "CN",
    "Asia/Urumqi": "CN",
    "PRC": "CN",
    "Europe/London": "GB",
    "Europe/Belfast": "GB",
    "GB": "GB",
    "GB-Eire": "GB",
    "Europe/Dublin": "IE",
    "Eire": "IE",
    "Pacific/Honolulu": "US",
}
# Canada's zones; the rest of North America's America/* zones are the United States'.
_CANADA = {
    "Atikokan",
    "Blanc-Sablon",
    "Cambridge_Bay",
    "Coral_Harbour",
    "Creston",
    "Dawson",
    "Dawson_Creek",
    "Edmonton",
    "Fort_Nelson",
    "Glace_Bay",
    "Goose_Bay",
    "Halifax",
    "Inuvik",
    "Iqaluit",
    "Moncton",
    "Montreal",
    "Nipigon",
    "Pangnirtung",
    "Rainy_River",
    "Rankin_Inlet",
    "Regina",
    "Resolute",
    "St_Johns",
    "Swift_Current",
    "Thunder_Bay",
    "Toronto",
    "Vancouver",
    "Whitehorse",
    "Winnipeg",
    "Yellowknife",
}
_UNITED_STATES = {
    "Adak",
    "Anchorage",
    "Boise",
    "Chicago",
    "Denver",
    "Detroit",
    "Fort_Wayne",
    "Indianapolis",
    "Juneau",
    "Knoxville",
    "Los_Angeles",
    "Louisville",
    "Menominee",
    "Metlakatla",
    "New_York",
    "Nome",
    "Phoenix",
    "Shiprock",
    "Sitka",
    "Yakutat",
}
# America/* zones of Latin America and the Caribbean are neither: 988 does not work there.
_US_PREFIXES = ("America/Indiana/", "America/Kentucky/", "America/North_Dakota/", "US/")


def country_for_timezone(tz: str) -> str | None:
    """The country a time zone name belongs to, for the countries Yoake lists lines for;
    INTL for any other real-looking zone; None when the zone says nothing (UTC, junk)."""
    tz = tz.strip()
    if not tz or len(tz) > 64 or not _TZ_SHAPE.match(tz):
        return None
    if tz in _ZONES:
        return _ZONES[tz]
    area, _slash, city = tz.partition("/")
    if area == "Australia":
        return "AU"
    if area == "Canada":
        return "CA"
    if tz.startswith(_US_PREFIXES):
        return "US"
    if area == "America":
        if city in _CANADA:
            return "CA"
        if city in _UNITED_STATES:
            return "US"
    if area in {"UTC", "GMT", "Etc", "Universal", "Zulu", "UCT"} or not city:
        return None
    return INTERNATIONAL


def reader_timezone(request) -> str:
    """The time zone the reader's browser reported, if any (?tz= wins over the cookie)."""
    return reported_timezone(request.GET, request.COOKIES)


def reported_timezone(query: Mapping[str, str], cookies: Mapping[str, str]) -> str:
    for value in (query.get("tz"), cookies.get(TZ_COOKIE)):
        if value and country_for_timezone(value) is not None:
            return value.strip()
    return ""


def likely_country(request) -> str:
    """The reader's likely country code for a request (see `country_from`)."""
    return country_from(request.GET, request.COOKIES)


def country_from(query: Mapping[str, str], cookies: Mapping[str, str]) -> str:
    """The reader's likely country code (JP, KR, …, or INTL for a country we list no lines
    for): from the browser's time zone, else from the language, else Japan."""
    tz = reported_timezone(query, cookies)
    if tz:
        return country_for_timezone(tz) or DEFAULT_COUNTRY
    if reader_language() == "ja":
        return "JP"
    return DEFAULT_COUNTRY
