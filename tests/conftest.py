"""Shared fixtures: factories with keyword-only arguments, and the people who use Yoake."""

from __future__ import annotations

import pytest

pytest_plugins = ["tests.factories"]


@pytest.fixture(autouse=True, scope="session")
def _flush_lifts_the_audit_logs_truncate_guard():
    """pytest-django empties the database after each transactional test with TRUNCATE, which the
    audit log refuses (forum migration 0006). The tests own the database, so the flush lifts that
    one trigger inside its own transaction; the application's role owns no table and cannot."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, **kwargs):
        statements = original(self, style, tables, **kwargs)
        if statements and "forum_auditlog" in tables:
            trigger = "TRIGGER forum_auditlog_refuse_truncate"
            return [
                f"ALTER TABLE forum_auditlog DISABLE {trigger};",
                *statements,
                f"ALTER TABLE forum_auditlog ENABLE {trigger};",
            ]
        return statements

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = original


@pytest.fixture(autouse=True)
def _clean_cache():
    """Each test starts with an empty Redis (cache, flood control, presence)."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _redis_breakers_closed_after():
    """A test that stops or pauses a Redis leaves no breaker open for the next one."""
    from config.breaker import every_breaker

    yield
    for breaker in every_breaker():
        breaker.reset()


@pytest.fixture(autouse=True)
def _no_post_interval(settings):
    """Flood control and surge detection have their own tests; elsewhere people may post back
    to back, and a test's burst of new threads is not a raid (tests/forum/test_surge.py)."""
    settings.YOAKE_POST_INTERVAL = 0
    settings.YOAKE_SURGE = False


@pytest.fixture(autouse=True)
def _english_until_asked():
    """Each test starts in English: a request in Japanese leaves Japanese active in its thread."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _english_unless_asked():
    """A test that switches language (directly or through a request) must not leak it."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")
