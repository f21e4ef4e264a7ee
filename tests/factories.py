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
