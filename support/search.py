"""Full-text search that also works for Japanese, on any PostgreSQL.

Japanese has no spaces between words and the embedded PostgreSQL ships no contrib extensions,
so the words are made in Python: runs of CJK characters become overlapping bigrams
("死にたい" → "死に にた たい"), everything else lower-cased words. PostgreSQL only stores and
matches them with the `simple` configuration (no stemming, no stop words). Posts in the forum
use the same two functions, so both indexes split text the same way.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Han, Hiragana, Katakana (incl. ー and half-width forms), Hangul, CJK symbols that act as
# letters (々〆〇), and the full-width forms block.
_CJK_CLASS = (
    "\u1100-\u11ff\u3005-\u3007\u3021-\u3029\u3031-\u3035\u3041-\u309f\u30a0-\u30ff"
    "\u3131-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff"
    "\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f"
)
_TOKEN = re.compile(rf"(?P<cjk>[{_CJK_CLASS}]+)|(?P<word>(?:(?![{_CJK_CLASS}])[^\W_])+)")
_CJK_CHAR = re.compile(rf"[{_CJK_CLASS}]")
# A query longer than this many terms is cut: the rest would not change the results much and
# would only cost time.
MAX_QUERY_TERMS = 32
MAX_QUERY_LENGTH = 200
# Longer "words" are base64, hashes or keyboard mashing; PostgreSQL would refuse the very long
# ones (2 KB per lexeme) anyway.
MAX_WORD_LENGTH = 64
SNIPPET_LENGTH = 120


def _fold(text: str) -> str:
    # NFKC makes full-width Latin half-width and half-width katakana full-width.
    return unicodedata.normalize("NFKC", text).casefold()


@dataclass(frozen=True)
class Term:
    text: str
    is_cjk: bool
    # A lone CJK character: in documents it only occurs as the first half of bigrams (or alone),
    # so queries match it as a prefix.
    is_prefix: bool = False


def _terms(text: str) -> list[Term]:
    terms = []
    for match in _TOKEN.finditer(_fold(text)):
        run = match["cjk"]
        if run is None:
            if len(match["word"]) <= MAX_WORD_LENGTH:
                terms.append(Term(match["word"], is_cjk=False))
        elif len(run) == 1:
            terms.append(Term(run, is_cjk=True, is_prefix=True))
        else:
            terms.extend(Term(run[i : i + 2], is_cjk=True) for i in range(len(run) - 1))
    return terms


def search_document(*texts: str) -> str:
    """The text to give `to_tsvector('simple', ...)`: words and CJK bigrams, space-separated."""
    return " ".join(term.text for text in texts if text for term in _terms(text))


def _quote(lexeme: str) -> str:
    # Inside single quotes only ' and \ are special in tsquery syntax.
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def search_query(q: str) -> str:
    """The text to give `to_tsquery('simple', ...)`: every term required (joined with &), each
    one quoted, so no user input can break the query syntax. Empty when q has no words."""
    seen: dict[str, Term] = {}
    for term in _terms(q[:MAX_QUERY_LENGTH]):
        seen.setdefault(term.text, term)
    parts = [
        _quote(term.text) + (":*" if term.is_prefix else "")
        for term in list(seen.values())[:MAX_QUERY_TERMS]
    ]
    return " & ".join(parts)


def phrase_query(q: str) -> str:
    """Like search_query, but each run of Japanese text must stand as written: its bigrams next
    to each other, in order (`<->`), not anywhere in the document. Empty when q has no run of
    three characters or more, where it would say nothing more than search_query."""
    parts, phrased = [], False
    for match in _TOKEN.finditer(_fold(q[:MAX_QUERY_LENGTH])):
        run = match["cjk"]
        if run is not None and len(run) > 2:
            parts.append(" <-> ".join(_quote(run[i : i + 2]) for i in range(len(run) - 1)))
            phrased = True
        else:
            parts.extend(
                _quote(term.text) + (":*" if term.is_prefix else "")
                for term in _terms(match.group(0))
            )
    return " & ".join(f"({part})" for part in parts[:MAX_QUERY_TERMS]) if phrased else ""


def snippet(text: str, q: str, length: int = SNIPPET_LENGTH) -> SafeString:
    """About `length` characters of `text` around the first query term, HTML-escaped, with
    every term in the window wrapped in <mark>."""
    terms = {term.text: term for term in _terms(q[:MAX_QUERY_LENGTH])}
    # Fold character by character so positions in the folded text map back to the original.
    folded_chars, origin = [], []
    for index, char in enumerate(text):
        folded = _fold(char)
        folded_chars.append(folded)
        origin.extend([index] * len(folded))
    folded = "".join(folded_chars)

    found = []
    for needle, term in terms.items():
        start = folded.find(needle)
        while start != -1:
            end = start + len(needle)
            # "art" inside "start" is not a hit; CJK has no word boundaries to check.
            if term.is_cjk or not (_is_word_char(folded, start - 1) or _is_word_char(folded, end)):
                found.append((origin[start], origin[end - 1] + 1))
            start = folded.find(needle, start + 1)
    # Overlapping bigrams ("死に" + "にた" + "たい") become one highlighted "死にたい".
    spans: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((start, end))

    first = spans[0][0] if spans else 0
    window_start = max(0, first - length // 3)
    window_end = min(len(text), window_start + length)
    window_start = max(0, min(window_start, window_end - length))

    pieces = ["…" if window_start > 0 else ""]
    cursor = window_start
    for start, end in spans:
        if start < cursor or end > window_end:
            continue
        pieces.append(escape(text[cursor:start]))
        pieces.append(f"<mark>{escape(text[start:end])}</mark>")
        cursor = end
    pieces.append(escape(text[cursor:window_end]))
    pieces.append("…" if window_end < len(text) else "")
    return mark_safe("".join(pieces))  # noqa: S308 (every piece of text is escaped above)


def _is_word_char(text: str, index: int) -> bool:
    if index < 0 or index >= len(text):
        return False
    char = text[index]
    return (char.isalnum() or char == "_") and not _CJK_CHAR.match(char)


def exact_first(q: str):
    """An annotation, 1 for a document holding q's Japanese as written (phrase_query), else 0;
    always 1 when q has no such phrase. Ordering by it first puts exact matches above matches
    of scattered bigrams (眠れない above a text with 眠れ, れな and ない far apart)."""
    from django.contrib.postgres.search import SearchQuery
    from django.db.models import Case, IntegerField, Value, When

    phrase = phrase_query(q)
    if not phrase:
        return Value(1, output_field=IntegerField())
    query = SearchQuery(phrase, search_type="raw", config="simple")
    return Case(
        When(search_vector=query, then=Value(1)), default=Value(0), output_field=IntegerField()
    )
