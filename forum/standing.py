"""A poster cookie's standing: how far the site trusts a browser it has seen behave.

There are no accounts to trust, so trust is earned by the poster cookie (forum.poster): by its
age and by its posts that moderators kept, meaning still visible a day after they were posted.
A moderator's deletion of one of its posts, or a ban, starts both counts again from zero.

    0 new          until the cookie has been seen for a day
    1 known        seen for a day or more
    2 trusted      3 days or more, and 3 kept posts
    3 established  14 days or more, and 10 kept posts

Standing weighs a cookie's reports (forum.reporting): 0.25, 1, 1.5 and 2 readers. It lives in
PostgreSQL (forum.models.Standing), keyed by the keyed hash of the cookie's key (the one a post
keeps as `delete_key_hash`), never by an address, so it survives losing Redis. A row unused for
ADDRESS_HASH_RETENTION_DAYS is deleted by purge_address_hashes (`purge_unused`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from forum.addresses import keyed_digest
from forum.models import Post, Standing
from forum.poster import Poster

# A post still visible this long after it was posted was kept by the moderators.
KEPT_AFTER = timedelta(days=1)
# A cookie is new (level 0, a newcomer to forum.surge) until it has been seen this long.
NEWCOMER_FOR = timedelta(days=1)


@dataclass(frozen=True)
class Step:
    level: int
    name: str
    age: timedelta  # how long the cookie must have been seen
    kept_posts: int  # how many of its posts moderators must have kept
    report_weight: float  # how many readers one report from it counts as
    allows: str


STEPS = (
    Step(
        0,
        pgettext_lazy("standing", "new"),
        timedelta(0),
        0,
        0.25,
        _(
            "Your reports reach the moderators, but count for little towards hiding a post "
            "until this browser has been here a day."
        ),
    ),
    Step(
        1,
        pgettext_lazy("standing", "known"),
        NEWCOMER_FOR,
        0,
        1.0,
        _(
            "Each of your reports counts as one reader's towards hiding a post until a "
            "moderator looks."
        ),
    ),
    Step(
        2,
        pgettext_lazy("standing", "trusted"),
        timedelta(days=3),
        3,
        1.5,
        _("Each of your reports counts as one and a half readers' towards hiding a post."),
    ),
    Step(
        3,
        pgettext_lazy("standing", "established"),
        timedelta(days=14),
        10,
        2.0,
        _("Each of your reports counts as two readers' towards hiding a post."),
    ),
)


@dataclass(frozen=True)
class StandingLevel:
    """What the settings page shows: the level, what it allows, and what the next step needs."""

    step: Step
    seen_since: datetime | None  # None: the cookie has not posted or reported yet
    kept_posts: int
    next_step: Step | None
    next_at: datetime | None  # when the cookie is old enough for the next step
    posts_needed: int  # kept posts still missing for the next step

    @property
    def level(self) -> int:
        return self.step.level

    @property
    def report_weight(self) -> float:
        return self.step.report_weight


def cookie_hash(poster: Poster) -> str:
    """The standing key: the same keyed hash a post keeps as `delete_key_hash`."""
    return key_hash(poster.delete_key)


def key_hash(delete_key: str) -> str:
    """The keyed hash of a poster cookie's key ("" without one)."""
    return keyed_digest("delete", delete_key) if delete_key else ""


def note_seen(key: str, now: datetime) -> bool:
    """The cookie posted or reported: its age starts now if it is new, and it stays in use.
    Returns whether it is still a newcomer (level 0)."""
    if not key:
        return True
    # One upsert that also says where the age counts from: posting stays within its budget.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO forum_standing (cookie_hash, first_seen, last_seen)
                 VALUES (%s, %s, %s)
            ON CONFLICT (cookie_hash) DO UPDATE SET last_seen = EXCLUDED.last_seen
              RETURNING GREATEST(forum_standing.first_seen,
                                 COALESCE(forum_standing.reset_at, forum_standing.first_seen))
            """,
            [key, now, now],
        )
        counts_from = cursor.fetchone()[0]
    return now - counts_from < NEWCOMER_FOR


def note_post(poster: Poster, now: datetime) -> bool:
    """Called inside the posting transaction, so a refused post leaves no trace. Returns
    whether the poster is a newcomer (forum.surge counts their posts)."""
    return note_seen(cookie_hash(poster), now)


def is_newcomer(key: str, now: datetime) -> bool:
    """Level 0: never seen, or seen (since a reset) for less than NEWCOMER_FOR. One query."""
    if not key:
        return True
    row = Standing.objects.filter(cookie_hash=key).only("first_seen", "reset_at").first()
    return row is None or now - row.counts_from < NEWCOMER_FOR


def level_of(key: str, now: datetime) -> StandingLevel:
    standing = Standing.objects.filter(cookie_hash=key).first() if key else None
    if standing is None:
        return StandingLevel(STEPS[0], None, 0, STEPS[1], None, STEPS[1].kept_posts)
    since = standing.counts_from
    kept = (
        Post.objects.visible()
        .filter(delete_key_hash=key, created_at__gte=since, created_at__lte=now - KEPT_AFTER)
        .count()
    )
    age = now - since
    reached = STEPS[0]
    for step in STEPS[1:]:
        if age >= step.age and kept >= step.kept_posts:
            reached = step
        else:
            break
    following = STEPS[reached.level + 1] if reached.level + 1 < len(STEPS) else None
    if following is None:
        return StandingLevel(reached, since, kept, None, None, 0)
    next_at = since + following.age
    return StandingLevel(
        reached,
        since,
        kept,
        following,
        next_at if next_at > now else None,
        max(0, following.kept_posts - kept),
    )


def standing_for(poster: Poster, now: datetime) -> StandingLevel:
    return level_of(cookie_hash(poster), now)


def has_been_seen(key: str) -> bool:
    """Whether this cookie hash has posted (or reported) before: it has a standing row. An empty
    hash, a browser that keeps no cookie, never has."""
    return bool(key) and Standing.objects.filter(cookie_hash=key).exists()


def reset_standing(source, now: datetime | None = None) -> None:
    """A moderator deleted `source` (a post) or banned its writer: standing starts again.

    Anything without a cookie hash (a chat message, a post from a dedicated 2channel browser
    that keeps no cookie) has no standing to reset. Call inside the moderator's transaction.
    """
    reset_cookies([getattr(source, "delete_key_hash", "")], now)


def reset_cookies(keys, now: datetime | None = None) -> None:
    """Reset the standing of these cookie hashes (a ban by daily ID reaches all its posts)."""
    keys = [key for key in keys if key]
    # No row yet: a row made later starts from zero anyway.
    if keys:
        Standing.objects.filter(cookie_hash__in=keys).update(reset_at=now or timezone.now())


def purge_unused(unused_since: datetime) -> int:
    """Forget cookies unused since then (purge_address_hashes: the retention period)."""
    return Standing.objects.filter(last_seen__lt=unused_since).delete()[0]
