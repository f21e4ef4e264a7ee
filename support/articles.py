"""Reading articles and the rules page: listing, rendered bodies and their caches."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache
from django.db.models import F
from django.utils.safestring import SafeString, mark_safe

from support.markdown import plain_text, render_markdown
from support.models import Article
from support.search import exact_first, search_query, snippet

CONTENT = Path(__file__).resolve().parent / "content"
# Bump when render_markdown's output changes, so no page keeps serving the old HTML.
RENDER_VERSION = 1
RENDER_CACHE_SECONDS = 7 * 24 * 3600


# Getting help comes first on the page, whatever order the categories were declared in.
SECTION_ORDER = [
    Article.Category.HELP_NOW,
    Article.Category.UNDERSTANDING,
    Article.Category.APPROACHES,
    Article.Category.FAMILY,
    Article.Category.WORK_STUDY,
]


@dataclass
class Section:
    category: str
    label: str
    articles: list[Article] = field(default_factory=list)


def listing(language: str, *, category: str = "", audience: str = "") -> list[Section]:
    """Published articles in `language`, grouped by category in the categories' own order.
    An audience filter keeps the articles written for everyone. One query."""
    articles = Article.objects.published().in_language(language).defer("body", "search_vector")
    if category:
        articles = articles.filter(category=category)
    if audience in (Article.Audience.INDIVIDUALS, Article.Audience.FAMILIES):
        articles = articles.filter(audience__in=[audience, Article.Audience.BOTH])
    elif audience:
        articles = articles.filter(audience=audience)
    sections = {category: Section(category, str(category.label)) for category in SECTION_ORDER}
    for article in articles:
        sections[article.category].articles.append(article)
    return [section for section in sections.values() if section.articles]


def article_html(article: Article) -> SafeString:
    """The article's body as safe HTML, cached until the article next changes."""
    key = f"support:article-html:{RENDER_VERSION}:{article.pk}:{article.updated.timestamp()}"
    cached = cache.get(key)
    if cached is None:
        cached = str(render_markdown(article.body))
        cache.set(key, cached, RENDER_CACHE_SECONDS)
    return mark_safe(cached)  # noqa: S308 (stored only after render_markdown sanitised it)


def other_language_version(article: Article, versions: dict[str, Article]) -> Article | None:
    return next((other for lang, other in versions.items() if lang != article.language), None)


def rules_html(language: str) -> SafeString:
    """The community rules in `language` (English when that file is missing)."""
    path = CONTENT / f"rules.{language}.md"
    if not path.exists():
        path = CONTENT / "rules.en.md"
    if not path.exists():
        return mark_safe("")
    return _render_file(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _render_file(path: Path, mtime_ns: int) -> SafeString:
    # Keyed on the modification time, so an edited file is rendered afresh without a restart.
    return render_markdown(path.read_text(encoding="utf-8"))


def search_articles(q: str, language: str | None = None, limit: int = 20) -> list:
    """Published articles matching every term of q, best first, each with `.rank` and a
    highlighted `.snippet`. One query."""
    raw = search_query(q)
    if not raw:
        return []
    query = SearchQuery(raw, search_type="raw", config="simple")
    articles = Article.objects.published().filter(search_vector=query)
    if language:
        articles = articles.filter(language=language)
    articles = articles.annotate(
        rank=SearchRank(F("search_vector"), query), exact=exact_first(q)
    ).order_by("-exact", "-rank", "order", "pk")[:limit]
    results = list(articles)
    for article in results:
        article.snippet = snippet(f"{article.summary} {plain_text(article.body)}", q)
    return results
