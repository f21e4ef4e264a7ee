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
    from forum.poster import Poster

    return Poster(hashes=hash_address(address), delete_key=delete_key)


@pytest.fixture
def make_thread(db, make_board):
    """Threads are started through forum.posting.create_thread, as the site does."""
    from forum.posting import create_thread

    counter = iter(range(1, 100_000))

    def make(
        *,
        board=None,
        title: str | None = None,
        body: str | None = None,
        address: str | None = None,
        **kwargs,
    ):
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


# --- accounts and moderation --------------------------------------------------------------------

TEST_PASSWORD = "quiet-night-walk-4812"


def totp_code(secret: str, *, at: float | None = None) -> str:
    """The code an authenticator app shows now for `secret` (RFC 6238: 30 s steps, 6 digits)."""
    import base64
    import hashlib
    import hmac
    import struct
    import time

    counter = int((time.time() if at is None else at) // 30)
    key = base64.b32decode(secret, casefold=True)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def group_named(name: str):
    """A group made by a data migration; made again the same way if a transactional test's
    flush has emptied the table since (flushing keeps permissions, not migrations' rows)."""
    from importlib import import_module

    from django.apps import apps
    from django.contrib.auth.models import Group

    group = Group.objects.filter(name=name).first()
    if group is None and name == "Moderators":
        for migration in (
            "forum.migrations.0004_moderators_group_and_append_only_audit_log",
            "accounts.migrations.0002_moderators_may_moderate_chat",
            "review.migrations.0002_moderators_review",
            "accounts.migrations.0003_moderators_may_keep_help_lines_and_risk_phrases",
            "accounts.migrations.0004_moderators_may_switch_surge",
        ):
            module = import_module(migration)
            (getattr(module, "create_moderators", None) or module.grant)(apps, None)
        group = Group.objects.get(name=name)
    return group


@pytest.fixture
def make_user(db):
    """An account; `totp_secret` gives it an authenticator as allauth's setup would."""
    from django.contrib.auth.models import User

    counter = iter(range(1, 10_000))

    def make(
        *,
        username: str | None = None,
        password: str = TEST_PASSWORD,
        is_staff: bool = False,
        is_superuser: bool = False,
        groups: tuple[str, ...] = (),
        totp_secret: str | None = None,
    ):
        user = User.objects.create_user(
            username=username or f"user{next(counter)}",
            password=password,
            is_staff=is_staff,
            is_superuser=is_superuser,
        )
        for name in groups:
            user.groups.add(group_named(name))
        if totp_secret:
            from allauth.mfa.totp.internal.auth import TOTP

            TOTP.activate(user, totp_secret)
        user.totp_secret = totp_secret
        return user

    return make


@pytest.fixture
def make_moderator(make_user):
    """A staff member in the Moderators group (made by migration) with TOTP set up."""
    from allauth.mfa.totp.internal.auth import generate_totp_secret

    def make(*, username: str | None = None, mfa: bool = True, superuser: bool = False):
        return make_user(
            username=username,
            is_staff=True,
            is_superuser=superuser,
            groups=() if superuser else ("Moderators",),
            totp_secret=generate_totp_secret() if mfa else None,
        )

    return make


@pytest.fixture
def moderator_client(client, make_moderator):
    """The test client signed in as a moderator who has MFA; the moderator is `.moderator`."""
    moderator = make_moderator(username="mod")
    client.force_login(moderator)
    client.moderator = moderator
    return client


@pytest.fixture
def admin_action(db, django_capture_on_commit_callbacks):
    """Run an admin action through the changelist view, confirming its form page if it has one.

    `admin_action(client, "forum_post", "delete_posts", posts, reason="spam")` posts the action
    as the list does (the form page must answer 200), then confirms it with the fields given.
    What the action schedules for after its commit (cache drops, live events) runs too.
    """

    def run(client, model: str, action: str, objects, **fields):
        from django.urls import reverse

        url = reverse(f"admin:{model}_changelist")
        selected = [str(obj.pk) for obj in objects]
        with django_capture_on_commit_callbacks(execute=True):
            first = client.post(url, {"action": action, "_selected_action": selected, "index": "0"})
            if not fields:
                assert first.status_code == 302, first.content.decode()[:2000]
                return first
            assert first.status_code == 200, first.status_code
            return client.post(
                url, {"action": action, "_selected_action": selected, "confirm": "yes", **fields}
            )

    return run


@pytest.fixture
def admin_user(db):
    """pytest-django's superuser (so also `admin_client`), with the TOTP authenticator that the
    admin asks of all staff (accounts.staff)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth.models import User

    user = User.objects.filter(username="admin").first() or User.objects.create_superuser(
        "admin", "admin@example.com", "password"
    )
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())
    return user
