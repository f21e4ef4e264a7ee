"""Support articles shown beside a board's threads: families get the family guide first."""

from __future__ import annotations

from support.models import Article

# Which articles a board shows: explicit slugs first, then any for the given audience.
BOARD_RESOURCES = {
    "family": {"slugs": ["family-guide", "craft-and-family-training"], "audience": "families"},
    "recovery": {"slugs": ["recovery-approaches"], "audience": None},
}


def resources_for(board_slug: str, language: str, limit: int = 5) -> list[Article]:
    """Published articles for this board in the reader's language (one query, or none)."""
    wanted = BOARD_RESOURCES.get(board_slug)
    if not wanted:
        return []
    articles = Article.objects.published().filter(language=language)
    if wanted["audience"]:
        articles = articles.filter(audience=wanted["audience"]) | articles.filter(
            slug__in=wanted["slugs"]
        )
    else:
        articles = articles.filter(slug__in=wanted["slugs"])
    found = list(articles.only("slug", "title", "summary", "language").order_by("order", "pk"))
    first = {slug: index for index, slug in enumerate(wanted["slugs"])}
    found.sort(key=lambda article: first.get(article.slug, len(first)))
    return found[:limit]
