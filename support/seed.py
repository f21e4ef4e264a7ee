"""Load articles, help lines and risk phrases from support/content/. Safe to run again.

Rows are created when missing and refreshed from the files when the files change, unless a
moderator has edited the row in the admin since the last seed: their edit wins, always.
Risk phrases are only ever added, so a phrase a moderator switched off stays off.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from support.models import Article, HelpLine, RiskPhrase

CONTENT = Path(__file__).resolve().parent / "content"
ARTICLE_FIELDS = ["title", "summary", "body", "category", "audience", "sources", "order"]
HELPLINE_FIELDS = [
    "kind",
    "name_ja",
    "phone",
    "text_only",
    "url",
    "timezone",
    "hours",
    "hours_note_en",
    "hours_note_ja",
    "languages",
    "description_en",
    "description_ja",
    "source",
    "last_verified",
    "unconfirmed",
    "order",
]


class ContentError(ValueError):
    """A file in support/content/ is not in the expected shape."""


def parse_article(path: Path) -> dict:
    """A Markdown file with a front matter block between two `---` lines:
    title, summary, category, audience, order, and `sources:` followed by `- ...` lines."""
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise ContentError(f"{path.name}: no front matter")
    try:
        end = lines.index("---", 1)
    except ValueError:
        raise ContentError(f"{path.name}: front matter is not closed with ---") from None
    meta: dict[str, object] = {}
    sources: list[str] = []
    in_sources = False
    for line in lines[1:end]:
        if in_sources and line.lstrip().startswith("- "):
            sources.append(line.lstrip()[2:].strip())
            continue
        key, colon, value = line.partition(":")
        if not colon:
            if line.strip():
                raise ContentError(f"{path.name}: cannot read front matter line {line!r}")
            continue
        key = key.strip()
        in_sources = key == "sources"
        if not in_sources:
            meta[key] = value.strip()
    missing = {"title", "summary", "category", "audience"} - set(meta)
    if missing:
        raise ContentError(f"{path.name}: front matter lacks {', '.join(sorted(missing))}")
    slug, _dot, language = path.name.removesuffix(".md").rpartition(".")
    return {
        "slug": slug,
        "language": language,
        "title": meta["title"],
        "summary": meta["summary"],
        "category": meta["category"],
        "audience": meta["audience"],
        "order": int(meta.get("order") or 100),
        "sources": "\n".join(sources),
        "body": "\n".join(lines[end + 1 :]).strip(),
    }


def _digest(obj, fields: list[str]) -> str:
    values = [getattr(obj, name) for name in fields]
    encoded = json.dumps(values, default=str, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(encoded.encode()).hexdigest()


def _validate(obj, lookup: dict) -> None:
    try:
        obj.full_clean()
    except ValidationError as error:
        raise ContentError(f"{type(obj).__name__} {lookup}: {error}") from error


def _upsert(model, lookup: dict, data: dict, fields: list[str]) -> str:
    """Create, refresh or keep one row; returns "created", "updated", "kept" or "edited"."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **data)
        _validate(obj, lookup)
        obj.seed_digest = _digest(obj, fields)
        obj.save()
        return "created"
    if obj.seed_digest != _digest(obj, fields):
        return "edited"  # changed in the admin (or made there): leave it as the moderator wants
    for name, value in data.items():
        setattr(obj, name, value)
    _validate(obj, lookup)
    new_digest = _digest(obj, fields)
    if new_digest == obj.seed_digest:
        return "kept"
    obj.seed_digest = new_digest
    obj.save()
    return "updated"


def seed_articles() -> dict[str, int]:
    counts: dict[str, int] = {}
    for path in sorted((CONTENT / "articles").glob("*.md")):
        data = parse_article(path)
        lookup = {"slug": data.pop("slug"), "language": data.pop("language")}
        outcome = _upsert(Article, lookup, data, ARTICLE_FIELDS)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def seed_help_lines() -> dict[str, int]:
    counts: dict[str, int] = {}
    path = CONTENT / "helplines.json"
    if not path.exists():
        return counts
    entries = json.loads(path.read_text(encoding="utf-8"))
    for position, entry in enumerate(entries):
        lookup = {"country": entry["country"], "name_en": entry["name_en"]}
        data = {
            "kind": entry["kind"],
            "name_ja": entry.get("name_ja", ""),
            "phone": entry.get("phone", ""),
            "text_only": bool(entry.get("text_only", False)),
            "url": entry.get("url", ""),
            "timezone": entry.get("timezone") or "UTC",
            "hours": entry.get("hours", []),
            "hours_note_en": entry.get("hours_note_en", ""),
            "hours_note_ja": entry.get("hours_note_ja", ""),
            "languages": list(entry.get("languages", [])),
            "description_en": entry.get("description_en", ""),
            "description_ja": entry.get("description_ja", ""),
            "source": entry.get("source", ""),
            "last_verified": date.fromisoformat(entry["last_verified"]),
            "unconfirmed": bool(entry.get("unconfirmed", False)),
            # The file lists lines in the order the authors want them read.
            "order": (position + 1) * 10,
        }
        outcome = _upsert(HelpLine, lookup, data, HELPLINE_FIELDS)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def seed_risk_phrases() -> int:
    path = CONTENT / "risk_phrases.json"
    if not path.exists():
        return 0
    created = 0
    for language, phrases in json.loads(path.read_text(encoding="utf-8")).items():
        for phrase in phrases:
            _obj, was_created = RiskPhrase.objects.get_or_create(
                phrase=phrase.strip(), language=language
            )
            created += was_created
    return created


def _summary(counts: dict[str, int]) -> str:
    return ", ".join(f"{count} {outcome}" for outcome, count in sorted(counts.items())) or "none"


@transaction.atomic
def run() -> str:
    articles = seed_articles()
    lines = seed_help_lines()
    phrases = seed_risk_phrases()
    return (
        f"articles: {_summary(articles)}; help lines: {_summary(lines)}; "
        f"risk phrases: {phrases} created"
    )
