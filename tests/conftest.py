"""Shared fixtures: factories with keyword-only arguments, and the people who use Yoake."""

from __future__ import annotations

import pytest

pytest_plugins = ["tests.factories"]


@pytest.fixture(autouse=True)
def _clean_cache():
    """Each test starts with an empty Redis (cache, flood control, presence)."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _no_post_interval(settings):
    """Flood control has its own tests; elsewhere people may post back to back."""
    settings.YOAKE_POST_INTERVAL = 0
