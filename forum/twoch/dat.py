"""The 2channel file formats: dat lines, subject.txt, SETTING.TXT, head.txt and bbsmenu.html.

Pure functions from board data to text and bytes, exactly as 2channel browsers (JDim, ChMate)
read them (../shared/2ch.md §4). Everything goes out as cp932 (Shift_JIS as Windows writes it),
because JDim 0.9.0 reads nothing else; characters outside cp932 (emoji) become numeric
character references, which the browsers decode.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from forum.dates import post_date
from forum.models import MAX_POSTS_PER_THREAD, Post

ENCODING = "cp932"
CONTENT_TYPE_TEXT = "text/plain; charset=Shift_JIS"
CONTENT_TYPE_HTML = "text/html; charset=Shift_JIS"
# 2channel dates are Japan time whatever the server's zone, and so are the browsers' 勢い numbers.
JST = ZoneInfo("Asia/Tokyo")
ABONE = "あぼーん"
FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")

# A numeric character reference a poster typed (or JDim sent for an emoji) stays a reference.
_REFERENCE = re.compile(r"&#(?:([0-9]{1,7})|[xX]([0-9A-Fa-f]{1,6}));")
_AMPERSAND = re.compile(r"&(#(?:[0-9]{1,7}|[xX][0-9A-Fa-f]{1,6});)?")
# Controls, bidirectional overrides and the BOM: a reference to one would smuggle in what
# forum.text removes from typed text, so such a reference is escaped like any other `&`.
_UNSAFE_POINTS = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)


def encode(text: str) -> bytes:
    """cp932 bytes; anything cp932 lacks becomes `&#NNNN;` (JDim decodes those)."""
    return text.encode(ENCODING, "xmlcharrefreplace")


def referenced_character(match: re.Match) -> str | None:
    """The character a `&#NNN;` / `&#xHH;` match stands for, or None when there is none."""
    decimal, hexadecimal = match.group(1), match.group(2)
    point = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if point > 0x10FFFF or 0xD800 <= point <= 0xDFFF:
        return None
    return chr(point)


def _keep_or_escape(match: re.Match) -> str:
    if match.group(1):
        character = referenced_character(_REFERENCE.match(match.group(0)))
        if character is not None and not _UNSAFE_POINTS.match(character):
            return match.group(0)
    return "&amp;" + (match.group(1) or "")


def escape(text: str) -> str:
    """Escape `& < > "` for a dat field, keeping well-formed numeric references (2ch.md §4.2)."""
    text = _AMPERSAND.sub(_keep_or_escape, text)
    return text.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def unescape_references(text: str) -> str:
    """Turn numeric references back into characters (what JDim sends for emoji). Controls and
    the like come through too: posting cleans typed text, whichever way it was typed."""
    return _REFERENCE.sub(lambda m: referenced_character(m) or m.group(0), text)


def format_date(moment: datetime) -> str:
    """`2026/11/26(木) 03:12:45.67` in Japan time, as every 2channel server writes it."""
    return post_date(moment.astimezone(JST))


def full_width(number: int | str) -> str:
    """Digits in their full-width forms (`１００１`), as 2channel writes numbers in prose."""
    return str(number).translate(FULL_WIDTH_DIGITS)


@dataclass(frozen=True)
class BoardText:
    """What a board says about itself in the 2channel files (Japanese: the browsers' language)."""

    slug: str
    title: str
    default_name: str
    capcode_name: str
    rules: str
    post_limit: int = MAX_POSTS_PER_THREAD


def name_field(post: Post, board: BoardText) -> str:
    """NAME as browsers expect it: `name </b>◆TRIP <b>` for a tripcode, the same trick for ★."""
    if post.is_capcode:
        return f"{escape(board.capcode_name)} </b>★<b>"
    name = escape(post.name or board.default_name)
    if post.tripcode:
        return f"{name} </b>◆{escape(post.tripcode)} <b>"
    return name


def body_field(body: str) -> str:
    """One space either side and ` <br> ` between lines; runs of spaces stay for ASCII art."""
    return " " + " <br> ".join(escape(line) for line in body.split("\n")) + " "


def dat_line(post: Post, board: BoardText, *, title: str | None = None) -> str:
    """One post as `NAME<>MAIL<>DATE ID:x<>BODY<>TITLE\\n`; deleted or hidden ones as あぼーん."""
    tail = escape(title) if title is not None else ""
    if post.status != Post.Status.VISIBLE:
        # In place, so every later line keeps its number (2ch.md §4.2).
        return f"{ABONE}<>{ABONE}<>{ABONE}<>{ABONE}<>{tail}\n"
    return (
        f"{name_field(post, board)}<>{escape(post.mail)}<>"
        f"{format_date(post.created_at)} ID:{post.daily_id}<>{body_field(post.body)}<>{tail}\n"
    )


def over_limit_line(limit: int) -> str:
    """The line after the last post of a full thread (ぜろちゃんねるプラス's 1001 line)."""
    return (
        f"{full_width(limit + 1)}<><>Over {limit} Thread<>"
        f"このスレッドは{full_width(limit)}を超えました。<br>"
        "もう書けないので、新しいスレッドを立ててくださいです。。。<>\n"
    )


def dat_text(title: str, posts: Iterable[Post], board: BoardText, *, is_full: bool) -> str:
    """The whole dat of a thread: posts in number order, then the over-limit line if full."""
    lines = [
        dat_line(post, board, title=title if index == 0 else None)
        for index, post in enumerate(posts)
    ]
    if is_full:
        lines.append(over_limit_line(board.post_limit))
    return "".join(lines)


def dat_line_count(post_count: int, *, is_full: bool) -> int:
    """What subject.txt counts: the dat's lines, the over-limit line included."""
    return post_count + (1 if is_full else 0)


def subject_line(key: int, title: str, count: int) -> str:
    return f"{key}.dat<>{escape(title)} ({count})\n"


def subject_text(threads: Iterable[tuple[int, str, int]]) -> str:
    """subject.txt from (key, title, dat line count), already in bump order."""
    return "".join(subject_line(key, title, count) for key, title, count in threads)


def setting_text(
    board: BoardText,
    *,
    title_max: int,
    name_max: int,
    mail_max: int,
    body_max: int,
    body_max_lines: int,
    samba_interval: int,
) -> str:
    """SETTING.TXT. Our limits count characters; the browsers count cp932 bytes, so each byte
    limit is twice ours: whatever the server accepts fits (it still says no to the rest)."""
    lines = [
        ("BBS_TITLE", board.title),
        ("BBS_NONAME_NAME", board.default_name),
        ("BBS_DELETE_NAME", ABONE),
        ("BBS_SUBJECT_COUNT", title_max * 2),
        ("BBS_NAME_COUNT", name_max * 2),
        ("BBS_MAIL_COUNT", mail_max * 2),
        ("BBS_MESSAGE_COUNT", body_max * 2),
        # Browsers allow twice this many lines.
        ("BBS_LINE_NUMBER", (body_max_lines + 1) // 2),
        ("BBS_UNICODE", "pass"),
        ("BBS_FORCE_ID", "checked"),
        ("BBS_NO_ID", ""),
        # Seconds between posts; the Samba error names the same number (forum.twoch.bbscgi).
        ("BBS_SAMBA24", samba_interval),
    ]
    if board.post_limit != MAX_POSTS_PER_THREAD:
        lines.append(("BBS_THREAD_STOP", board.post_limit))
    return "".join(f"{key}={_one_line(str(value))}\n" for key, value in lines)


def _one_line(value: str) -> str:
    return " ".join(value.split())


def head_text(rules: str) -> str:
    """head.txt: the board's rules as a small HTML fragment (JDim shows it as ローカルルール)."""
    lines = [line.strip() for line in rules.strip().splitlines()]
    return "".join(f"{html.escape(line)}<br>\n" for line in lines)


def bbsmenu_text(site_name: str, boards: Iterable[tuple[str, str]]) -> str:
    """bbsmenu.html in 2channel's own shape: one category, `<A HREF=URL>title</A>` per board.

    `boards` holds (absolute board URL, title) pairs.
    """
    links = "".join(f"<A HREF={url}>{html.escape(title)}</A><br>\n" for url, title in boards)
    return (
        "<HTML>\n<HEAD>\n"
        '<META http-equiv="Content-Type" content="text/html; charset=Shift_JIS">\n'
        f"<TITLE>BBSMENU - {html.escape(site_name)}</TITLE>\n</HEAD>\n<BODY>\n"
        f"<BR><BR><B>{html.escape(site_name)}</B><BR>\n{links}</BODY>\n</HTML>\n"
    )
