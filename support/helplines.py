"""Which help lines to show, in which order, and whether they are open right now.

Long lists overwhelm a person in distress (Samaritans' guidance is two or three signposts), so
pages other than /support/help-now/ show only `help_lines_for()`: the short list for the
reader of a request or of a WebSocket.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from support.models import HelpLine
from support.region import COUNTRIES, INTERNATIONAL, likely_country
from support.seed import CONTENT

# The order of countries after the reader's own (support.region.COUNTRIES). Anything not listed
# follows alphabetically; INTL always comes last.
COUNTRY_ORDER = list(COUNTRIES)
COUNTRY_NAMES = {
    "JP": _("Japan"),
    "KR": _("South Korea"),
    "TW": _("Taiwan"),
    "CN": _("Mainland China"),
    "HK": _("Hong Kong"),
    "US": _("United States"),
    "GB": _("United Kingdom"),
    "IE": _("Ireland"),
    "CA": _("Canada"),
    "AU": _("Australia"),
    INTERNATIONAL: _("Other countries"),
}
LANGUAGE_NAMES = {
    "ja": _("Japanese"),
    "en": _("English"),
    "ko": _("Korean"),
    "zh": _("Chinese"),
    "yue": _("Cantonese"),
    "cmn": _("Mandarin"),
    "es": _("Spanish"),
    "fr": _("French"),
    "pt": _("Portuguese"),
    "tl": _("Tagalog"),
    "th": _("Thai"),
    "vi": _("Vietnamese"),
    "ne": _("Nepali"),
    "cy": _("Welsh"),
}
WEEKDAYS = [
    pgettext_lazy("weekday", "Mon"),
    pgettext_lazy("weekday", "Tue"),
    pgettext_lazy("weekday", "Wed"),
    pgettext_lazy("weekday", "Thu"),
    pgettext_lazy("weekday", "Fri"),
    pgettext_lazy("weekday", "Sat"),
    pgettext_lazy("weekday", "Sun"),
]
# "Not in the UK?": a country's name as it sits in a sentence.
COUNTRY_NAMES_IN_SENTENCE = {
    "JP": pgettext_lazy("in a sentence", "Japan"),
    "KR": pgettext_lazy("in a sentence", "South Korea"),
    "TW": pgettext_lazy("in a sentence", "Taiwan"),
    "CN": pgettext_lazy("in a sentence", "mainland China"),
    "HK": pgettext_lazy("in a sentence", "Hong Kong"),
    "US": pgettext_lazy("in a sentence", "the US"),
    "GB": pgettext_lazy("in a sentence", "the UK"),
    "IE": pgettext_lazy("in a sentence", "Ireland"),
    "CA": pgettext_lazy("in a sentence", "Canada"),
    "AU": pgettext_lazy("in a sentence", "Australia"),
}
# How a dialled number is grouped for reading, by country and leading digits. The tel: link
# always uses the digits as stored.
_PHONE_GROUPS = {
    "JP": [("0120", (4, 3, 3)), ("0570", (4, 3, 3)), ("0800", (4, 3, 4)), ("03", (2, 4, 4))],
    "KR": [("1577", (4, 4))],
    "CN": [("010", (3, 4, 4))],
    "HK": [("", (4, 4))],
    "GB": [("116", (3, 3)), ("0808", (4, 3, 4))],
    "AU": [("13", (2, 2, 2)), ("04", (4, 2, 2, 2))],
    "CA": [("988", (1, 1, 1))],
}
# Where a line's kind puts it within its country, before "open now" and the order field.
_KIND_RANK = {
    HelpLine.Kind.EMERGENCY: 0,
    HelpLine.Kind.CRISIS_LINE: 1,
    HelpLine.Kind.ORGANISATION: 2,
    HelpLine.Kind.DIRECTORY: 3,
}


def country_name(code: str) -> str:
    return str(COUNTRY_NAMES.get(code, code))


def display_phone(line: HelpLine) -> str:
    """The number grouped the way people in its country write it: 0120-279-338, 116 123."""
    digits = line.phone
    separator = " " if line.country in {"GB", "HK", "AU", "IE"} else "-"
    for prefix, groups in _PHONE_GROUPS.get(line.country, []):
        if digits.isdigit() and digits.startswith(prefix) and len(digits) == sum(groups):
            parts, start = [], 0
            for size in groups:
                parts.append(digits[start : start + size])
                start += size
            return separator.join(parts)
    return digits


def describe_hours(line: HelpLine) -> str:
    """Opening hours in words, in the line's own time: "Every day 10:00–22:00"."""
    if line.is_always_open:
        return str(_("24 hours, every day"))
    if not line.hours:
        return str(_("Hours vary"))
    described = []
    for window in line.hours:
        days = sorted(set(window["days"]))
        if days == list(range(7)):
            day_text = str(_("Every day"))
        elif days == list(range(5)):
            day_text = str(_("Monday to Friday"))
        else:
            separator = str(pgettext_lazy("list separator", ", "))
            day_text = separator.join(str(WEEKDAYS[day]) for day in days)
        described.append(
            str(pgettext_lazy("opening hours", "%(days)s %(start)s–%(end)s"))
            % {"days": day_text, "start": window["start"], "end": window["end"]}
        )
    place = COUNTRY_NAMES.get(line.country)
    if place is None or line.country == INTERNATIONAL:
        return "; ".join(described)
    # Readers abroad need to know whose clock the hours are on.
    return str(_("%(hours)s (%(place)s time)")) % {"hours": "; ".join(described), "place": place}


def describe_languages(line: HelpLine) -> str:
    separator = str(pgettext_lazy("list separator", ", "))
    return separator.join(str(LANGUAGE_NAMES.get(code, code)) for code in line.languages)


def _annotate(line: HelpLine, now: datetime) -> HelpLine:
    """Attach what templates show: open now, readable phone, hours and languages."""
    line.open_now = line.is_open_at(now)
    line.phone_display = display_phone(line)
    line.hours_display = describe_hours(line)
    line.languages_display = describe_languages(line)
    line.country_name = country_name(line.country)
    return line


def _line_key(line: HelpLine) -> tuple:
    if line.kind == HelpLine.Kind.CRISIS_LINE:
        # Open lines first, then those whose hours we do not know, then the closed ones.
        availability = 0 if line.open_now else (1 if not line.has_known_hours else 2)
    else:
        availability = 0
    return (_KIND_RANK.get(line.kind, 9), availability, line.order, line.name_en)


def _country_key(code: str, reader_country: str | None) -> tuple:
    if code == reader_country:
        return (0, 0, "")
    if code == INTERNATIONAL:
        return (3, 0, "")
    if code in COUNTRY_ORDER:
        return (1, COUNTRY_ORDER.index(code), "")
    return (2, 0, code)


@dataclass
class CountryLines:
    code: str
    name: str
    lines: list[HelpLine] = field(default_factory=list)
    is_readers: bool = False


def lines_for(
    country: str | None, now: datetime, *, lines: Iterable[HelpLine] | None = None
) -> list[CountryLines]:
    """Every active line grouped by country: the reader's country first, the international
    directories last (first only for readers from a country we list nothing for). Within a
    country: emergency numbers, crisis lines open now, then the rest. One query, or none when
    `lines` is given (see `lines_without_database`)."""
    groups: dict[str, CountryLines] = {}
    if lines is None:
        lines = HelpLine.objects.filter(active=True)
    for line in lines:
        if line.country not in groups:
            readers = line.country == country
            groups[line.country] = CountryLines(
                line.country, country_name(line.country), [], readers
            )
        group = groups[line.country]
        group.lines.append(_annotate(line, now))
    for group in groups.values():
        group.lines.sort(key=_line_key)
    return sorted(groups.values(), key=lambda group: _country_key(group.code, country))


class ShortList(list):
    """The lines of `short_list`, and the country they were chosen for, so that the page can
    say "Not in the UK? Choose your country"."""

    def __init__(self, lines: Iterable[HelpLine], country: str) -> None:
        super().__init__(lines)
        self.country = country
        self.country_name = country_name(country)
        self.country_in_sentence = str(COUNTRY_NAMES_IN_SENTENCE.get(country, ""))


def short_list(
    country: str, now: datetime, limit: int = 3, *, lines: Iterable[HelpLine] | None = None
) -> ShortList:
    """At most `limit` lines for showing inside another page (risk interstitial, chat):
    emergency numbers first, then crisis lines open now. A slot is always kept for an open
    crisis line when there is one. With no line of the reader's country open, the international
    directory fills in. Lines marked unconfirmed are left out. One query, or none when `lines`
    is given."""
    if lines is None:
        lines = HelpLine.objects.filter(
            active=True, unconfirmed=False, country__in=[country, INTERNATIONAL]
        )
    else:
        lines = [
            line
            for line in lines
            if line.active and not line.unconfirmed and line.country in (country, INTERNATIONAL)
        ]
    candidates = [_annotate(line, now) for line in lines]
    candidates.sort(key=_line_key)
    own = [line for line in candidates if line.country == country]
    emergency = [line for line in own if line.kind == HelpLine.Kind.EMERGENCY and line.phone]
    open_lines = [
        line
        for line in own
        if line.kind == HelpLine.Kind.CRISIS_LINE and line.open_now and line.phone
    ]
    if not open_lines:
        open_lines = [
            line
            for line in candidates
            if line.country == INTERNATIONAL and line.kind == HelpLine.Kind.DIRECTORY
        ][:1]
    keep_for_open = 1 if open_lines else 0
    chosen = emergency[: max(limit - keep_for_open, 0)]
    chosen += open_lines[: limit - len(chosen)]
    return ShortList(chosen[:limit], country)


def help_lines_for(
    reader: HttpRequest | dict, *, limit: int = 3, now: datetime | None = None
) -> ShortList:
    """The short list shown inside a page or a chat room, for the reader of an HTTP request
    or of a WebSocket's scope: their likely country first (support.region)."""
    return short_list(likely_country(reader), now or timezone.now(), limit)


@functools.cache
def _built_in_lines() -> tuple[HelpLine, ...]:
    """support/content/helplines.json as unsaved rows, read once per process: the lines as
    released, before any moderator's edit (support.seed loads the same file the same way)."""
    names = {f.name for f in HelpLine._meta.concrete_fields} - {"id", "seed_digest"}
    entries = json.loads((CONTENT / "helplines.json").read_text(encoding="utf-8"))
    lines = []
    for position, entry in enumerate(entries):
        line = HelpLine(**{key: value for key, value in entry.items() if key in names})
        line.timezone = entry.get("timezone") or "UTC"
        line.last_verified = date.fromisoformat(entry["last_verified"])
        line.order = (position + 1) * 10
        lines.append(line)
    return tuple(lines)


def lines_without_database() -> list[HelpLine]:
    """Fresh copies of the built-in lines, for `lines_for` and `short_list` while PostgreSQL
    does not answer (copies, because showing a line annotates it)."""
    return [copy.copy(line) for line in _built_in_lines()]


def help_lines_without_database(country: str, now: datetime, limit: int = 3) -> ShortList:
    """The short list of `short_list`, from the data built into the release: what the
    "resting" page shows while PostgreSQL is down."""
    return short_list(country, now, limit, lines=lines_without_database())


def shareable_numbers() -> frozenset[str]:
    """Digits of every number the site lists for help (built in, or active in the admin):
    these may be shared in posts and chat, where other phone numbers are masked."""
    built_in = json.loads((CONTENT / "helplines.json").read_text(encoding="utf-8"))
    listed = HelpLine.objects.filter(active=True).exclude(phone="").values_list("phone", flat=True)
    numbers = {entry.get("phone", "") for entry in built_in} | set(listed)
    return frozenset(digits for number in numbers if (digits := re.sub(r"\D", "", number)))
