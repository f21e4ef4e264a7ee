"""Boards, threads and posts: the 2channel core.

Invariants live in the database: (board, key) and (thread, number) are unique, numbers start at 1
and never pass the cap, and a trigger (migration 0002) only lets post N in when the thread's post
count has just become N, so the count and the numbers cannot drift apart.
"""

from __future__ import annotations

import functools

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import connections, models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from forum.models.sql import compiled_once, instances_from_sql, plain_columns
from forum.models.surge import SurgeState
from forum.text import excerpt

# The hard ceiling for any board; a board may set a lower cap.
MAX_POSTS_PER_THREAD = 1000

# A board's short name as URLs, sockets and 2channel browsers (bbs=) match it.
BOARD_SLUG = r"[a-z0-9_]{1,16}"

# Board slugs share the top-level URL space with the site's own paths.
RESERVED_SLUGS = {
    "test",
    "admin",
    "accounts",
    "chat",
    "support",
    "search",
    "static",
    "i18n",
    "theme",
    "country",
    "privacy",
    "healthz",
    "ws",
    "watched",
    "post",
    "replies",
    "bbsmenu",
}


def validate_board_slug(value: str) -> None:
    if value.lower() in RESERVED_SLUGS:
        raise ValidationError(_("“%(slug)s” is used by the site itself."), params={"slug": value})


class Bilingual:
    """Fields kept as `<name>_en` / `<name>_ja` are read in the reader's language, English as
    the fallback (boards here, chat rooms in chat.models)."""

    def _localised(self, field: str) -> str:
        language = (get_language() or "en")[:2]
        value = getattr(self, f"{field}_{'ja' if language == 'ja' else 'en'}")
        return value or getattr(self, f"{field}_en")


class Board(Bilingual, SurgeState):
    slug = models.CharField(
        _("short name"),
        max_length=16,
        unique=True,
        validators=[
            RegexValidator(rf"^{BOARD_SLUG}$", _("Lower-case ASCII letters, digits and _ only.")),
            validate_board_slug,
        ],
        help_text=_("Used in URLs and by 2channel browsers (bbs=)."),
    )
    title_en = models.CharField(_("title (English)"), max_length=64)
    title_ja = models.CharField(_("title (Japanese)"), max_length=64)
    description_en = models.CharField(_("description (English)"), max_length=300, blank=True)
    description_ja = models.CharField(_("description (Japanese)"), max_length=300, blank=True)
    rules_en = models.TextField(_("rules (English)"), blank=True)
    rules_ja = models.TextField(_("rules (Japanese)"), blank=True)
    default_name_en = models.CharField(
        _("default name (English)"), max_length=32, default="Anonymous"
    )
    default_name_ja = models.CharField(
        _("default name (Japanese)"), max_length=32, default="名無しさん"
    )
    capacity = models.PositiveIntegerField(
        _("live thread capacity"),
        default=300,
        help_text=_("Past this, the least recently bumped thread moves to the archive."),
    )
    post_limit = models.PositiveIntegerField(
        _("posts per thread"),
        default=MAX_POSTS_PER_THREAD,
        help_text=_("A thread stops taking posts at this number (at most 1000)."),
    )
    flood_interval = models.PositiveIntegerField(
        _("seconds between posts"),
        null=True,
        blank=True,
        help_text=_("Leave empty for the site default."),
    )
    threads_per_hour = models.PositiveIntegerField(_("new threads per poster per hour"), default=3)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("board")
        verbose_name_plural = _("boards")
        permissions = [("switch_surge", _("Can switch surge mode"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(post_limit__gte=1) & Q(post_limit__lte=MAX_POSTS_PER_THREAD),
                name="board_post_limit_in_range",
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="board_capacity_positive"),
        ]

    def __str__(self) -> str:
        return f"/{self.slug}/ {self.title_en}"

    def get_absolute_url(self) -> str:
        return f"/{self.slug}/"

    @property
    def title(self) -> str:
        return self._localised("title")

    @property
    def description(self) -> str:
        return self._localised("description")

    @property
    def rules(self) -> str:
        return self._localised("rules")

    @property
    def default_name(self) -> str:
        return self._localised("default_name")

    def recent_activity(self, since) -> tuple[int, int]:
        """New threads and posts here since then (forum.surge's usual rate), in one query."""
        counts = Post.objects.filter(thread__board=self, created_at__gte=since).aggregate(
            posts=models.Count("id"), threads=models.Count("id", filter=Q(number=1))
        )
        return counts["threads"], counts["posts"]


class ThreadQuerySet(models.QuerySet):
    def live(self):
        """On the board: neither archived nor held for a moderator (forum.surge)."""
        return self.filter(is_archived=False, is_held=False)

    def archived(self):
        return self.filter(is_archived=True)

    def by_bump(self):
        """2channel order: pinned first, then most recently bumped."""
        return self.order_by("-is_pinned", "-bumped_at", "-id")

    def listed_on(self, board: Board) -> list[Thread]:
        """The board's live threads in 2channel order (live(), by_bump()), each with `board`
        attached: a board page's list. Compiled once per process (_listed_on_sql): through the
        ORM each time, three hundred threads cost twice the CPU."""
        sql, params, at = _listed_on_sql()
        params = (*params[:at], board.pk, *params[at + 1 :])
        threads = instances_from_sql(Thread, sql, params, using=self.db)
        for thread in threads:
            thread.board = board
        return threads

    def at(self, board: str, key: int, *, held: bool = True) -> Thread | None:
        """The thread at /<board>/<key>/ with its board attached, or None (with `held` False,
        also None for a thread held for a moderator, forum.surge).

        Every reply and every page drawn anew starts here, so in SQL of its own: built through
        the ORM (select_related, two models' columns) the lookup cost a fifth of a reply's CPU.
        Both models hold plain columns only, which come back from the database as they are."""
        key = int(key)
        if not -(2**63) <= key < 2**63:  # no such key in a bigint column
            return None
        connection = connections[self.db]
        thread_fields, board_fields = plain_columns(Thread), plain_columns(Board)
        q = connection.ops.quote_name
        sql = (
            f"SELECT {', '.join(f't.{q(c)}' for c in thread_fields)},"  # noqa: S608 (our columns)
            f" {', '.join(f'b.{q(c)}' for c in board_fields)}"
            f" FROM {q(Thread._meta.db_table)} t JOIN {q(Board._meta.db_table)} b"
            " ON b.id = t.board_id WHERE b.slug = %s AND t.key = %s"
            + ("" if held else " AND NOT t.is_held")
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [board, key])
            row = cursor.fetchone()
        if row is None:
            return None
        split = len(thread_fields)
        thread = Thread.from_db(self.db, thread_fields, row[:split])
        thread.board = Board.from_db(self.db, board_fields, row[split:])
        return thread


# No board has this id: the board _listed_on_sql is compiled for.
_NO_BOARD = -1


@functools.cache
def _listed_on_sql() -> tuple[str, tuple, int]:
    return compiled_once(Thread.objects.filter(board_id=_NO_BOARD).live().by_bump(), _NO_BOARD)


class Thread(models.Model):
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="threads")
    key = models.BigIntegerField(_("key"), help_text=_("Unix time of creation; the dat file name."))
    title = models.CharField(_("title"), max_length=96)
    post_count = models.PositiveIntegerField(_("posts"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    bumped_at = models.DateTimeField(_("last bump"), default=timezone.now)
    # Changes with every post or deletion; cache keys and ETags are built from it.
    modified_at = models.DateTimeField(_("modified"), default=timezone.now)
    is_pinned = models.BooleanField(_("pinned"), default=False)
    is_locked = models.BooleanField(_("locked"), default=False)
    is_archived = models.BooleanField(_("archived"), default=False)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    # Started in a surge by a browser new to Yoake (forum.surge): held ones wait for a moderator
    # and are on no list; all of them move to the archive before any other thread.
    is_held = models.BooleanField(_("held for a moderator"), default=False)
    archive_first = models.BooleanField(_("archived first"), default=False)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        constraints = [
            models.UniqueConstraint(fields=["board", "key"], name="thread_key_unique_per_board"),
            models.CheckConstraint(
                condition=Q(post_count__lte=MAX_POSTS_PER_THREAD), name="thread_post_count_capped"
            ),
            models.CheckConstraint(
                condition=Q(is_archived=False) | Q(archived_at__isnull=False),
                name="thread_archived_has_time",
            ),
        ]
        indexes = [
            models.Index(
                fields=["board", "is_archived", "-is_pinned", "-bumped_at"],
                name="thread_board_listing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.post_count})"

    def get_absolute_url(self) -> str:
        return f"/test/read.cgi/{self.board.slug}/{self.key}/"

    def is_full(self) -> bool:
        """At the board's cap (at most MAX_POSTS_PER_THREAD, a check constraint keeps it)."""
        return self.post_count >= self.board.post_limit

    def momentum(self, now=None) -> float:
        """2channel's 勢い: posts per day since the thread was created."""
        now = now or timezone.now()
        days = max((now - self.created_at).total_seconds(), 60) / 86400
        return self.post_count / days


class ThreadMove(models.Model):
    """Where a thread used to be: its old address answers with a permanent redirect.

    Written by forum.moderation.move_thread; a thread living at an address always wins over a
    move recorded for it, so moving a thread back needs no clean-up.
    """

    from_board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    from_key = models.BigIntegerField(_("old key"))
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="moves")
    moved_at = models.DateTimeField(_("moved"), default=timezone.now)

    class Meta:
        verbose_name = _("thread move")
        verbose_name_plural = _("thread moves")
        constraints = [
            models.UniqueConstraint(
                fields=["from_board", "from_key"], name="thread_move_one_per_old_address"
            ),
        ]

    def __str__(self) -> str:
        return f"/{self.from_board_id}/{self.from_key}/ → {self.thread_id}"


def is_sage(mail: str) -> bool:
    """A post whose mail field says sage does not bump its thread (2ch.md)."""
    return "sage" in mail.lower()


class PostQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(status=Post.Status.VISIBLE)


class Post(models.Model):
    class Status(models.TextChoices):
        VISIBLE = "visible", _("visible")
        DELETED_BY_POSTER = "deleted_by_poster", _("deleted by the poster")
        DELETED_BY_MODERATOR = "deleted_by_moderator", _("deleted by a moderator")
        HIDDEN_PENDING_REVIEW = "hidden_pending_review", _("hidden until a moderator looks")

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    number = models.PositiveIntegerField(_("number"))
    # What the poster typed as a name, without the tripcode key; empty means the board default.
    name = models.CharField(_("name"), max_length=32, blank=True)
    tripcode = models.CharField(_("tripcode"), max_length=12, blank=True)
    is_capcode = models.BooleanField(_("moderator capcode"), default=False)
    mail = models.CharField(_("mail"), max_length=64, blank=True)
    body = models.TextField(_("body"))
    # Written once, when the post is made, by forum.text.render_body (Discourse calls it
    # "cooking"): a thousand-post page then costs no text processing at all.
    body_html = models.TextField(editable=False, default="")
    # The post numbers this body points at (>>N), for backlinks under those posts.
    reply_to = ArrayField(models.PositiveSmallIntegerField(), default=list, editable=False)
    # Words and CJK character bigrams (support.search.search_document) for site search.
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    daily_id = models.CharField(pgettext_lazy("post header", "ID"), max_length=8)
    # HMACs of the client address and its network ranges; emptied after the retention period.
    address_hash = models.CharField(_("address hash"), max_length=64, blank=True, db_index=True)
    range_hash_narrow = models.CharField(_("network hash (/24, /64)"), max_length=64, blank=True)
    range_hash_wide = models.CharField(_("network hash (/16, /48)"), max_length=64, blank=True)
    delete_key_hash = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.VISIBLE
    )
    status_reason = models.CharField(_("reason"), max_length=200, blank=True)
    is_risk_flagged = models.BooleanField(_("risk language"), default=False, db_index=True)
    is_filter_flagged = models.BooleanField(_("flagged by a word filter"), default=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["thread", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["thread", "number"], name="post_number_unique_in_thread"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(number__lte=MAX_POSTS_PER_THREAD),
                name="post_number_in_range",
            ),
        ]
        indexes = [
            models.Index(fields=["created_at"], name="post_created"),
            GinIndex(fields=["search_vector"], name="post_search"),
            # A cookie's kept posts, for its standing (forum.standing).
            models.Index(
                fields=["delete_key_hash", "created_at"],
                condition=~Q(delete_key_hash=""),
                name="post_by_cookie",
            ),
        ]

    def __str__(self) -> str:
        # What moderators read on confirmation pages (Django's delete page too): the post itself.
        return f"{self.place} ID:{self.daily_id} “{excerpt(self.body, 60)}”"

    def get_absolute_url(self) -> str:
        return f"{self.thread.get_absolute_url()}#p{self.number}"

    @property
    def place(self) -> str:
        """/board/key/number: how the audit log and moderators' messages name a post."""
        return f"/{self.thread.board.slug}/{self.thread.key}/{self.number}"

    @property
    def is_visible(self) -> bool:
        return self.shows(self.status)

    @property
    def is_sage(self) -> bool:
        return is_sage(self.mail)

    @staticmethod
    def shows(status: str) -> bool:
        """Whether a post with this status is shown (for rows fetched without the model)."""
        return status == Post.Status.VISIBLE
