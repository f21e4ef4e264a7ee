"""Site search over posts (live and archived) and support articles, for English and Japanese.

PostgreSQL full-text search with the `simple` configuration over documents that
support.search builds in Python: English words as they are, CJK text as character bigrams,
because Japanese has no spaces between words and the embedded server has no pg_trgm.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Count, F, Window

from forum.models import Post
from support.articles import search_articles
from support.search import exact_first, search_query, snippet

PAGE_SIZE = 20
# Ranking every match of a very common word would dominate the cost; rank the newest matches.
RANK_WINDOW = 2000
# Counting stops here ("1000+ posts"): an exact count of a common word costs more than the page.
COUNT_LIMIT = 1000
# Only the ranked window can be paged through; a later page would only ever be empty.
MAX_PAGE = RANK_WINDOW // PAGE_SIZE
assert COUNT_LIMIT < RANK_WINDOW  # the count is taken in the window (search)
# What a hit shows of its thread and board (forum/search.html).
_THREAD_SHOWN = [
    *(f"thread__{name}" for name in ("board", "key", "title", "is_archived")),
    *(f"thread__board__{name}" for name in ("slug", "title_en", "title_ja")),
]


@dataclass
class PostHit:
    post: Post
    snippet: str


@dataclass
class Results:
    query: str
    posts: list[PostHit]
    post_total: int
    more_than_total: bool
    articles: list
    page: int
    has_next: bool
    more_articles: list = field(default_factory=list)  # without the words as written


def page_number(text: str | None) -> int:
    """`?page=` as a page of results: 1 unless it is a number, at most MAX_PAGE."""
    text = (text or "").strip()
    if not (text.isascii() and text.isdigit()):
        return 1
    if len(text) > len(str(MAX_PAGE)):
        return MAX_PAGE  # 99999999999999999999 is "far past the end", not an OFFSET overflow
    return max(1, min(int(text), MAX_PAGE))


def search(q: str, *, page: int = 1, language: str | None = None) -> Results:
    """Posts best-first with highlighted snippets, one page at a time, plus matching articles.

    Two queries: the page of posts with their count, and the articles (first page only).
    """
    raw = search_query(q)
    if not raw:
        return Results(q, [], 0, False, [], 1, False)
    query = SearchQuery(raw, search_type="raw", config="simple")
    exact = exact_first(q)
    matches = Post.objects.visible().filter(search_vector=query).order_by()
    page = max(1, min(page, MAX_PAGE))
    start = (page - 1) * PAGE_SIZE
    recent = matches.order_by("-created_at").values("pk")[:RANK_WINDOW]
    posts = list(
        Post.objects.filter(pk__in=recent)
        .annotate(
            rank=SearchRank(F("search_vector"), query),
            exact=exact,
            # Counted in the window the page is ranked from: counting every match apart made
            # PostgreSQL gather all of a common word's posts (bench/search.py: 55 of 70 ms).
            matches=Window(Count("pk")),
        )
        .select_related("thread__board")
        .only("thread", "number", "body", "created_at", *_THREAD_SHOWN)
        .order_by("-exact", "-rank", "-created_at")[start : start + PAGE_SIZE + 1]
    )
    # No hit on this page: none at all, or a page past the last (counted apart, rarely).
    total = posts[0].matches if posts else 0 if page == 1 else matches[: COUNT_LIMIT + 1].count()
    has_next = len(posts) > PAGE_SIZE
    hits = [
        PostHit(post, snippet(f"{post.thread.title if post.number == 1 else ''} {post.body}", q))
        for post in posts[:PAGE_SIZE]
    ]
    articles = search_articles(q, language=language, limit=5) if page == 1 else []
    # Resources with the words as written come before the posts, the others after them.
    more = [article for article in articles if not article.exact]
    articles = [article for article in articles if article.exact]
    return Results(
        q, hits, min(total, COUNT_LIMIT), total > COUNT_LIMIT, articles, page, has_next, more
    )
