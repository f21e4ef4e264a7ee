"""What posters type, made safe: input cleaning, and the one function that turns a body into HTML.

Bodies are plain text, never HTML. `render_body` escapes everything first and only then adds the
markup Yoake itself produces (anchors, quotes, links), so nothing a user typed is ever live.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

from forum.tripcode import split_name, tripcode

# C0/C1 controls except tab and newline, plus bidirectional overrides/isolates and the BOM.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")
# Surrogates never stand alone in Unicode text, yet `\ud800` in JSON or a broken client makes
# one; no database, socket or page could encode it.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

# Anchors are matched on escaped text: `>>12`, `>>12-15`, `>>12,14`, also full-width.
ANCHOR = re.compile(
    r"(?:&gt;|＞){2}((?:[0-9０-９]{1,4})(?:[-ー－][0-9０-９]{1,4})?"
    r"(?:[,、][0-9０-９]{1,4}(?:[-ー－][0-9０-９]{1,4})?)*)"
)
# URLs are matched on escaped text too, so they stop at an escaped quote or bracket. What this
# links is also what forum.links counts: http(s):// and 2channel's ttp(s)://.
URL = re.compile(r"\bh?ttps?://(?:(?!&(?:lt|gt|quot|#x27);)[^\s<>\"'`])+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}、。」』）"
# The most numbers one range anchor may point at for backlinks (>>1-1000 is not 1000 replies).
MAX_RANGE_TARGETS = 50


def drop_lone_surrogates(value: str) -> str:
    """Text without lone surrogates (U+D800–U+DFFF), the one rule for every way text enters."""
    return _LONE_SURROGATE.sub("", value or "")


def clean_line(value: str) -> str:
    """A single-line field: NFC, no lone surrogates, controls, bidi overrides or line breaks,
    trimmed."""
    value = unicodedata.normalize("NFC", drop_lone_surrogates(value))
    value = _LINE_BREAKS.sub(" ", value).replace("\n", " ").replace("\t", " ")
    return _UNSAFE.sub("", value).strip()


def clean_body(value: str) -> str:
    """A body: NFC, `\\n` line breaks, no lone surrogates, controls or bidi overrides, trailing
    blank lines dropped.

    Leading spaces and runs of spaces stay: ASCII art depends on them.
    """
    value = unicodedata.normalize("NFC", drop_lone_surrogates(value))
    value = _LINE_BREAKS.sub("\n", value)
    value = _UNSAFE.sub("", value)
    return "\n".join(line.rstrip() for line in value.split("\n")).strip("\n")


def excerpt(text: str, length: int = 80) -> str:
    """The start of a text on one line, for lists and labels: at most `length` characters."""
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def disarm_marks(value: str) -> str:
    """◆ and ★ belong to tripcodes and the moderator capcode; posters get ◇ and ☆."""
    return value.replace("◆", "◇").replace("★", "☆")


@dataclass(frozen=True)
class Signature:
    """A typed name or chat handle as shown: the name, and the tripcode its `#key` makes."""

    name: str
    tripcode: str


def sign(typed: str) -> Signature:
    """`name#key` (already cleaned by `clean_line`) → what everyone sees. The key itself is
    never kept; ◆ and ★ typed in the name are disarmed."""
    name, key = split_name(typed)
    return Signature(disarm_marks(name.strip()), tripcode(key) if key else "")


def body_problem(body: str, *, max_chars: int, max_lines: int) -> str | None:
    """What is wrong with a cleaned body, if anything: "empty", "too_long" or "too_many_lines".
    Posts and chat messages word their messages differently; the rule is the same."""
    if not body.strip():
        return "empty"
    if len(body) > max_chars:
        return "too_long"
    if line_count(body) > max_lines:
        return "too_many_lines"
    return None


def line_count(body: str) -> int:
    return body.count("\n") + 1


def _to_int(text: str) -> int:
    return int(unicodedata.normalize("NFKC", text))


def anchor_numbers(spec: str, limit: int = MAX_RANGE_TARGETS) -> list[int]:
    """`12-15,20` → [12, 13, 14, 15, 20] (bounded, in order, without repeats)."""
    numbers: list[int] = []
    for part in re.split("[,、]", spec):
        bounds = re.split("[-ー－]", part)
        start = _to_int(bounds[0])
        end = _to_int(bounds[1]) if len(bounds) > 1 else start
        if end < start:
            start, end = end, start
        for n in range(start, min(end, start + limit - 1) + 1):
            if n >= 1 and n not in numbers:
                numbers.append(n)
    return numbers[:limit]


def reply_targets(body: str) -> list[int]:
    """The post numbers a body points at, for backlinks."""
    targets: list[int] = []
    for match in ANCHOR.finditer(escape(body)):
        for n in anchor_numbers(match.group(1)):
            if n not in targets:
                targets.append(n)
    return targets


_FIRST_NUMBER = re.compile(r"[0-9０-９]+")


def _link_anchor(match: re.Match) -> str:
    spec = match.group(1)
    first = _to_int(_FIRST_NUMBER.match(spec).group(0))
    normal = unicodedata.normalize("NFKC", spec).replace("ー", "-").replace("、", ",")
    return f'<a class="anchor" href="#p{first}" data-anchor="{normal}">{match.group(0)}</a>'


def _link_url(match: re.Match) -> str:
    url = match.group(0)
    tail = ""
    while url and url[-1] in _TRAILING:
        tail = url[-1] + tail
        url = url[:-1]
    href = url if url.lower().startswith("http") else "h" + url
    return f'<a href="{href}" rel="nofollow ugc noopener noreferrer">{url}</a>{tail}'


def _render_line(line: str) -> str:
    escaped = escape(line)
    if "&gt;" not in escaped and "＞" not in escaped and "ttp" not in escaped:
        return escaped  # most lines: plain text
    # Links first, then anchors outside of them.
    parts = []
    position = 0
    for match in URL.finditer(escaped):
        parts.append(ANCHOR.sub(_link_anchor, escaped[position : match.start()]))
        parts.append(_link_url(match))
        position = match.end()
    parts.append(ANCHOR.sub(_link_anchor, escaped[position:]))
    html = "".join(parts)
    stripped = line.lstrip(" ")
    is_quote = (stripped.startswith(">") or stripped.startswith("＞")) and not ANCHOR.match(
        escape(stripped)
    )
    if is_quote:
        return f'<span class="quote">{html}</span>'
    return html


def render_body(body: str) -> SafeString:
    """The HTML of a post body: escaped text with anchors, quotes and links; breaks kept.

    Line breaks and runs of spaces stay as they are; the post template shows the body with
    `white-space: pre-wrap`, so ASCII art survives.
    """
    return mark_safe("\n".join(_render_line(line) for line in body.split("\n")))  # noqa: S308
