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

CACHE_KEY = "support:risk-phrases:v1"
# Edits made with queryset.update() send no signal; the list is re-read at least this often.
CACHE_SECONDS = 600

# Apostrophe look-alikes people type on phones: "don’t" must match "don't".
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\uff07": "'"})
_SPACES = re.compile(r"\s+")
# Spaces between kana or kanji carry no meaning in Japanese: "死 に た い" is "死にたい".
_CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
_SPACES_IN_JAPANESE = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")


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


def _load_phrases() -> list[tuple[str, str]]:
    """(normalised, as written) for every active phrase of both languages."""
    phrases = cache.get(CACHE_KEY)
    if phrases is None:
        rows = RiskPhrase.objects.filter(active=True).order_by("pk")
        rows = rows.values_list("phrase", flat=True)
        phrases = [(folded, phrase) for phrase in rows if (folded := normalise(phrase))]
        # The cache quietly does nothing while Redis is down; the database answers instead.
        cache.set(CACHE_KEY, phrases, CACHE_SECONDS)
    return [tuple(pair) for pair in phrases]


def find_risk_phrases(text: str) -> list[str]:
    """The active risk phrases (English and Japanese alike) that occur in `text`, as written in
    the list, in list order. Empty when nothing matches."""
    if not text:
        return []
    folded = normalise(text)
    matched: list[str] = []
    for needle, phrase in _load_phrases():
        if needle in folded and phrase not in matched:
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
