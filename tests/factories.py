"""Factory fixtures. Data is made through the same domain functions the site uses."""

from __future__ import annotations

import pytest


@pytest.fixture
def make_board(db):
    from forum.models import Board

    counter = iter(range(1, 10_000))

    def make(*, slug: str | None = None, **fields):
        n = next(counter)
        fields.setdefault("title_en", f"Board {n}")
        fields.setdefault("title_ja", f"板{n}")
        return Board.objects.create(slug=slug or f"b{n}", **fields)

    return make


def poster_from(address: str = "203.0.113.7", *, delete_key: str = "test-delete-key"):
    """A Poster as the site builds one for a request from `address`."""
    from forum.addresses import hash_address
    from forum.posting import Poster

    return Poster(hashes=hash_address(address), delete_key=delete_key)


@pytest.fixture
def make_thread(db, make_board):
    """Threads are started through forum.posting.create_thread, as the site does."""
    from forum.posting import create_thread

    counter = iter(range(1, 100_000))

    def make(*, board=None, title: str | None = None, body: str | None = None, address: str | None = None, **kwargs):
        n = next(counter)
        return create_thread(
            board or make_board(),
            poster=poster_from(address or f"198.51.100.{n % 250 + 1}"),
            title=title or f"Thread {n}",
            body=body or f"Opening post {n}",
            **kwargs,
        )

    return make


@pytest.fixture
def make_post(db):
    """Replies go through forum.posting.create_post, with a fresh address each unless given."""
    from forum.posting import create_post

    counter = iter(range(1, 1_000_000))

    def make(*, thread, body: str | None = None, address: str | None = None, **kwargs):
        n = next(counter)
        return create_post(
            thread,
            poster=kwargs.pop("poster", None) or poster_from(address or f"192.0.2.{n % 250 + 1}"),
            body=body or f"Reply {n}",
            **kwargs,
        )

    return make


# --- support ------------------------------------------------------------------------------------


@pytest.fixture
def make_article(db):
    from support.models import Article

    counter = iter(range(1, 10_000))

    def make(
        *,
        slug: str | None = None,
        language: str = "en",
        title: str | None = None,
        summary: str = "A short summary.",
        body: str = "Some words.",
        category: str = "understanding",
        audience: str = "both",
        **fields,
    ):
        n = next(counter)
        return Article.objects.create(
            slug=slug or f"article-{n}",
            language=language,
            title=title or f"Article {n}",
            summary=summary,
            body=body,
            category=category,
            audience=audience,
            **fields,
        )

    return make


@pytest.fixture
def make_help_line(db):
    from datetime import date

    from support.models import HelpLine

    counter = iter(range(1, 10_000))

    def make(
        *,
        country: str = "JP",
        kind: str = "crisis_line",
        name_en: str | None = None,
        phone: str = "0120000000",
        hours: object = "24/7",
        timezone: str = "Asia/Tokyo",
        **fields,
    ):
        n = next(counter)
        fields.setdefault("last_verified", date(2026, 1, 1))
        fields.setdefault("order", n)
        return HelpLine.objects.create(
            country=country,
            kind=kind,
            name_en=name_en or f"Line {n}",
            phone=phone,
            hours=hours,
            timezone=timezone,
            **fields,
        )

    return make


@pytest.fixture
def make_risk_phrase(db):
    from support.models import RiskPhrase

    def make(*, phrase: str, language: str = "en", active: bool = True):
        return RiskPhrase.objects.create(phrase=phrase, language=language, active=active)

    return make
