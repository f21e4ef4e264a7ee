"""Risk language: does a post or chat message contain words about suicide or self-harm?

A match never blocks anything. The boards and chat show the writer help before the text goes
out and flag it for moderators; this module only answers which phrases matched.
"""

from __future__ import annotations

import logging
import re
import unicodedata

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from support.models import RiskPhrase

logger = logging.getLogger(__name__)

CACHE_KEY = "support:risk-phrases:v2"
# Edits made with queryset.update() send no signal; the list is re-read at least this often.
CACHE_SECONDS = 600

# Apostrophe look-alikes people type on phones: "don’t" must match "don't".
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\uff07": "'"})
_SPACES = re.compile(r"\s+")
# Spaces between kana or kanji carry no meaning in Japanese: "死 に た い" is "死にたい".
_CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
_SPACES_IN_JAPANESE = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
# Invisible letters that pad text without showing anything (Hangul fillers, the braille blank),
# and the tilde people stretch words with (死にた～い, which NFKC makes "~").
_FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u2800~")


def normalise(text: str) -> str:
    """Fold the differences that do not change meaning: width and compatibility forms (NFKC:
    "Ｋｉｌｌ" → "kill", half-width ｼﾆ → シニ), case, apostrophe look-alikes, invisible format
    characters (zero-width spaces used to dodge filters), spaces between Japanese characters
    ("死 に た い"), and runs of whitespace.
    Hiragana and katakana stay distinct: the phrase lists spell out the variants they need."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_APOSTROPHES)
    text = "".join(char for char in text if unicodedata.category(char) != "Cf")
    text = _SPACES_IN_JAPANESE.sub("", text)
    return _SPACES.sub(" ", text).strip()


def _separates(char: str) -> bool:
    category = unicodedata.category(char)
    # Spaces, punctuation, controls and format characters, combining marks (strike-through,
    # "zalgo"): none of them is a letter of a word.
    return category[0] in "ZPC" or category in ("Mn", "Me") or char in _FILLERS


def letters(text: str) -> tuple[str, list[bool]]:
    """`normalise(text)` without its spaces, punctuation and invisible characters, and for each
    letter left whether any of those stood before it (the first letter counts as after one).
    "k.i.l.l my self" and "死、に、た、い" become "killmyself" and "死にたい"; symbols stay
    letters ("○にたい" is a phrase of its own)."""
    kept: list[str] = []
    after_gap: list[bool] = []
    gap = True
    for char in normalise(text):
        if _separates(char):
            gap = True
            continue
        kept.append(char)
        after_gap.append(gap)
        gap = False
    return "".join(kept), after_gap


def _needle(phrase: str) -> tuple[str, list[int], bool] | None:
    """How a phrase is looked for: its letters; the positions where its words begin, which
    need a gap in the text too ("want todie" is not "want to die", "want to d i e" is); and
    whether it must begin a word, as phrases in Latin letters do ("fun alive" holds no
    "unalive"). Japanese has no spaces: its phrases match wherever their letters stand."""
    needle, after_gap = letters(phrase)
    if not needle:
        return None
    word_starts = [position for position in range(1, len(needle)) if after_gap[position]]
    return needle, word_starts, _latin(needle[0])


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _load_phrases() -> list[tuple[tuple[str, list[int], bool], str]]:
    """(needle, as written) for every active phrase of both languages (see `_needle`)."""
    phrases = cache.get(CACHE_KEY)
    if phrases is None:
        rows = RiskPhrase.objects.filter(active=True).order_by("pk")
        rows = rows.values_list("phrase", flat=True)
        phrases = [(needle, phrase) for phrase in rows if (needle := _needle(phrase))]
        # The cache quietly does nothing while Redis is down; the database answers instead.
        cache.set(CACHE_KEY, phrases, CACHE_SECONDS)
    return [(tuple(needle), phrase) for needle, phrase in phrases]


def _occurs(needle: tuple[str, list[int], bool], text: str, after_gap: list[bool]) -> bool:
    found, word_starts, begins_a_word = needle
    at = text.find(found)
    while at != -1:
        starts_well = not begins_a_word or after_gap[at] or not _latin(text[at - 1])
        if starts_well and all(after_gap[at + offset] for offset in word_starts):
            return True
        at = text.find(found, at + 1)
    return False


def find_risk_phrases(text: str) -> list[str]:
    """The active risk phrases (English and Japanese alike) that occur in `text`, as written in
    the list, in list order, whatever spaces, punctuation or invisible characters were put
    between their letters (see `letters`). Empty when nothing matches."""
    if not text:
        return []
    folded, after_gap = letters(text)
    matched: list[str] = []
    for needle, phrase in _load_phrases():
        if phrase not in matched and _occurs(needle, folded, after_gap):
            matched.append(phrase)
    return matched


def forget_cached_phrases() -> None:
    cache.delete(CACHE_KEY)


@receiver(post_save, sender=RiskPhrase)
@receiver(post_delete, sender=RiskPhrase)
def _phrases_changed(sender, **kwargs) -> None:
    # Now, so this process sees the edit at once, and again after commit, so that no request
    # that read the old rows in between leaves them cached.
    forget_cached_phrases()
    transaction.on_commit(forget_cached_phrases)
