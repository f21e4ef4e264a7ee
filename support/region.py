"""Where is the reader likely to be? Only to put the right help lines first; never stored.

In order: the country the reader chose ("Not in the UK? Choose your country", kept in the
`yoake_country` cookie); the browser's time zone (sent by static/js/helpnow.js as ?tz= or the
`yoake_tz` cookie); the browser's Accept-Language (en-GB is the UK, ko Korea, plain en says
nothing of a place, so the international directories come first); failing all of them, Japan,
where most of Yoake's readers live. Every page that shows help asks `likely_country`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.http import HttpRequest

from realtime.scope import query_params, scope_cookies, scope_header
from support.models import reader_language

TZ_COOKIE = "yoake_tz"
COUNTRY_COOKIE = "yoake_country"
DEFAULT_COUNTRY = "JP"
INTERNATIONAL = "INTL"
# The countries Yoake lists lines for, in the order help-now shows them after the reader's own:
# Japan first, then the places where similar withdrawal is reported.
COUNTRIES = ("JP", "KR", "TW", "CN", "HK", "US", "GB", "IE", "CA", "AU")

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


# Accept-Language tags: a language, maybe a script (zh-Hant), maybe a region (en-GB, es-419).
_LANGUAGE_TAG = re.compile(r"^([a-z]{2,3})(?:-([a-z]{4}))?(?:-([a-z]{2}|\d{3}))?(?:-|$)")
_LANGUAGE_COUNTRY = {"ja": "JP", "ko": "KR"}
_SCRIPT_COUNTRY = {("zh", "hant"): "TW", ("zh", "hans"): "CN"}
_REGION_ALIASES = {"uk": "GB"}


def _country_for_tag(language: str, script: str, region: str) -> str | None:
    """The country one language tag points to; None when it names no place (plain en, fr)."""
    if region:
        region = _REGION_ALIASES.get(region, region.upper())
        return region if region in COUNTRIES else INTERNATIONAL
    if (language, script) in _SCRIPT_COUNTRY:
        return _SCRIPT_COUNTRY[(language, script)]
    return _LANGUAGE_COUNTRY.get(language)


def country_for_languages(accept_language: str) -> str | None:
    """The country an Accept-Language header points to, from the reader's first language:
    en-GB → GB, en-US → US, ko → KR, zh-TW → TW, zh-HK → HK, ja → JP, fr-FR → INTL. A first
    language without a place (plain en) borrows the region of the next tag of the same language
    (Firefox sends "en,en-GB;q=0.5"), else INTL: the international directories come first.
    None for an empty or unreadable header."""
    tags = []
    for position, part in enumerate(accept_language[:500].split(",")[:20]):
        tag, _semicolon, params = part.strip().lower().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        match = _LANGUAGE_TAG.match(tag.strip().replace("_", "-"))
        if match and quality > 0:
            tags.append((-quality, position, match.groups("")))
    if not tags:
        return None
    tags.sort()
    first_language = tags[0][2][0]
    for _quality, _position, (language, script, region) in tags:
        if language != first_language:
            break
        country = _country_for_tag(language, script, region)
        if country:
            return country
    return INTERNATIONAL


def chosen_country(cookies: Mapping[str, str]) -> str:
    """The country the reader chose on the country page, or ""."""
    value = cookies.get(COUNTRY_COOKIE, "").upper()
    return value if value in COUNTRIES or value == INTERNATIONAL else ""


def likely_country(reader: HttpRequest | dict) -> str:
    """The reader's likely country code for an HTTP request or a WebSocket's scope (see
    `country_from`)."""
    if isinstance(reader, dict):
        return country_from(
            query_params(reader), scope_cookies(reader), scope_header(reader, "accept-language")
        )
    return country_from(reader.GET, reader.COOKIES, reader.headers.get("Accept-Language", ""))


def country_from(
    query: Mapping[str, str], cookies: Mapping[str, str], accept_language: str = ""
) -> str:
    """The reader's likely country code (JP, KR, …, or INTL for a country we list no lines
    for): the one they chose, else the browser's time zone's, else their languages', else
    Japan."""
    chosen = chosen_country(cookies)
    if chosen:
        return chosen
    tz = reported_timezone(query, cookies)
    if tz and (country := country_for_timezone(tz)):
        return country
    country = country_for_languages(accept_language)
    if country:
        return country
    if reader_language() == "ja":
        return "JP"
    return DEFAULT_COUNTRY
