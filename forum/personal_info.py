"""Phone numbers and e-mail addresses in what people write are masked before anything is stored.

The rules forbid personal information (support-facts §1, item 13), and a number posted in a
moment of trust cannot be taken back once it has been copied. So a post or chat message goes up
with the number or address masked ("090-****-****", "***@***"), and the writer is told why.
The help lines the site itself lists are meant to be shared, so their numbers stay as written.
Everything is matched on a copy with full-width digits, ＠ and dash look-alikes (ー − －) turned
into ASCII one character for one, so the positions found are positions in the original text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _

PHONE = "phone"
EMAIL = "email"
EMAIL_MASK = "***@***"

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\uff0d\uff70\u2043\ufe63"
_SEP = r"[ -]?"
# Not right after a word, an anchor (>>), a path, a query, a decimal point or a tripcode mark,
# and not running on into more digits: dates, times, thread keys and prices never start a match.
_BEFORE = r"(?<![0-9A-Za-z_#>/=&?.+\-◆◇*])"
_AFTER = r"(?![0-9A-Za-z_]|-[0-9])"
_PHONE = re.compile(
    _BEFORE
    + r"(?:"
    # International: +81 90 1234 5678, +44 20 7946 0958, +1 (415) 555-0100.
    + r"\+\d{1,3}"
    + _SEP
    + r"(?:\(\d{1,4}\)"
    + _SEP
    + r")?\d{1,4}(?:"
    + _SEP
    + r"\d{1,4}){1,4}"
    # Domestic, with a leading 0: 090-1234-5678, 03-1234-5678, (03) 1234 5678, 09012345678.
    + r"|\(?0\d{1,4}\)?"
    + _SEP
    + r"\d{1,4}"
    + _SEP
    + r"\d{3,4}"
    # North American without the country code, only with its separators: (415) 555-0100.
    + r"|\(\d{3}\)"
    + _SEP
    + r"\d{3}-\d{4}|\d{3}-\d{3}-\d{4}"
    + r")"
    + _AFTER
)
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
_URL = re.compile(r"https?://[^\s<>\"]+")


def _ascii_twin(text: str) -> str:
    """The text with look-alike characters made ASCII, one character for one."""
    out = []
    for character in text:
        if character in _DASHES:
            out.append("-")
            continue
        folded = unicodedata.normalize("NFKC", character)
        out.append(folded if len(folded) == 1 and folded.isascii() else character)
    return "".join(out)


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _is_phone_length(match: str, digits: str) -> bool:
    if match.startswith("+"):
        return 8 <= len(digits) <= 15
    if digits.startswith("0"):
        return len(digits) in (10, 11)
    return len(digits) == 10


def _domestic(digits: str) -> str:
    """+81 90… is 090… when comparing against the help lines, which are stored as dialled."""
    return "0" + digits[2:] if digits.startswith("81") else digits


def _mask_phone(original: str, twin: str) -> str:
    """Keep the first group (the area or mobile prefix, or +81), hide every other digit."""
    grouped = re.match(r"\+?\(?\d{1,4}\)?[ -]", twin)
    keep = grouped.end() if grouped else 3
    return original[:keep] + "".join("*" if c.isdigit() else c for c in original[keep:])


def _shareable_numbers() -> frozenset[str]:
    # Imported here: the help lines are looked up only when something looks like a phone number.
    from support.helplines import shareable_numbers

    return shareable_numbers()


def mask_personal_info(
    text: str, *, shareable: Callable[[], Iterable[str]] = _shareable_numbers
) -> tuple[str, list[str]]:
    """(text with phone numbers and e-mail addresses masked, the kinds found: "phone", "email").

    Numbers of the help lines the site lists are left alone; `shareable` gives their digits.
    """
    twin = _ascii_twin(text)
    urls = [m.span() for m in _URL.finditer(twin)]
    spans: list[tuple[int, int, str]] = []
    for match in _EMAIL.finditer(twin):
        spans.append((match.start(), match.end(), EMAIL))
    allowed: frozenset[str] | None = None
    for match in _PHONE.finditer(twin):
        start, end = match.span()
        if any(a <= start < b for a, b in urls) or any(a < end and start < b for a, b, _ in spans):
            continue  # an address of a page, or part of an e-mail address
        digits = _digits(match.group())
        if not _is_phone_length(match.group(), digits):
            continue
        if allowed is None:
            allowed = frozenset(shareable())
        if digits in allowed or _domestic(digits) in allowed:
            continue
        spans.append((start, end, PHONE))
    if not spans:
        return text, []
    pieces, position, kinds = [], 0, []
    for start, end, kind in sorted(spans):
        pieces.append(text[position:start])
        if kind == EMAIL:
            pieces.append(EMAIL_MASK)
        else:
            pieces.append(_mask_phone(text[start:end], twin[start:end]))
        position = end
        if kind not in kinds:
            kinds.append(kind)
    pieces.append(text[position:])
    return "".join(pieces), kinds


def masked_notice() -> str:
    """What the writer reads after a post or message went up with something masked."""
    return _(
        "Posted, with what looked like a phone number or an e-mail address masked "
        "(****). Personal information such as phone numbers and e-mail addresses is against the "
        "rules here, to keep everyone safe."
    )
