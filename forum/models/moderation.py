"""What moderators work with: reports, bans, word filters and the append-only audit log."""

from __future__ import annotations

from datetime import datetime

from django.db import connections, models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum.models.boards import Board, Post
from forum.models.sql import instances_from_sql, plain_columns


class Report(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", _("spam")
        HARASSMENT = "harassment", _("harassment")
        PERSONAL_INFORMATION = "personal_information", _("personal information")
        RISK_OF_HARM = "risk_of_harm", _("risk of harm")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        RESOLVED = "resolved", _("resolved")
        DISMISSED = "dismissed", _("dismissed")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(_("reason"), max_length=24, choices=Reason.choices)
    detail = models.CharField(_("details"), max_length=500, blank=True)
    reporter_hash = models.CharField(max_length=64, blank=True)
    # The reporter's poster cookie (keyed hash, as Post.delete_key_hash): one reader however
    # many addresses they report from.
    reporter_cookie_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("reported"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    moderator_note = models.CharField(_("moderator note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            # One report per address per post: repeated clicks do not count twice.
            models.UniqueConstraint(
                fields=["post", "reporter_hash"],
                condition=~Q(reporter_hash="") & Q(status="open"),
                name="report_once_per_address",
            ),
            models.UniqueConstraint(
                fields=["post", "reporter_cookie_hash"],
                condition=~Q(reporter_cookie_hash="") & Q(status="open"),
                name="report_once_per_cookie",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="report_queue")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} on {self.post}"


class BanQuerySet(models.QuerySet):
    def active(self, now: datetime | None = None):
        """Bans in force at `now`: without an expiry, or expiring after it (as Ban.is_active)."""
        return self.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now or timezone.now()))

    def newest_in_force(self, target_hashes: list[str], *, board_id: int | None, chat: bool):
        """The newest ban in force now (the rule of active()) on any of `target_hashes`:
        site-wide, on board `board_id`, or (with `chat`) on chat; None if there is none.

        Asked on every post and chat message, so in SQL of its own: built through the ORM this
        one indexed query cost about 1.3 ms of CPU, twenty times PostgreSQL's answer (and
        through raw(), which maps columns to fields, still twice what a cursor costs)."""
        scope = Ban.Scope
        quote = connections[self.db].ops.quote_name
        found = instances_from_sql(
            Ban,
            f"SELECT {', '.join(map(quote, plain_columns(Ban)))}"  # noqa: S608
            f" FROM {Ban._meta.db_table}"  # (the table's own name and columns)
            " WHERE target_hash = ANY(%s) AND (expires_at IS NULL OR expires_at > %s)"
            " AND (scope = %s OR (scope = %s AND board_id = %s) OR (scope = %s AND %s))"
            " ORDER BY created_at DESC LIMIT 1",
            [
                list(target_hashes),
                timezone.now(),
                scope.SITE.value,
                scope.BOARD.value,
                board_id,
                scope.CHAT.value,
                chat,
            ],
            using=self.db,
        )
        return found[0] if found else None


class Ban(models.Model):
    """A ban by hashed address or hashed network range; nobody ever sees the address itself."""

    class Kind(models.TextChoices):
        ADDRESS = "address", _("this address")
        NARROW = "narrow", _("this network (/24 or /64)")
        WIDE = "wide", _("this wider network (/16 or /48)")

    class Scope(models.TextChoices):
        SITE = "site", _("the whole site")
        BOARD = "board", _("one board")
        CHAT = "chat", _("chat only")

    kind = models.CharField(_("what is banned"), max_length=8, choices=Kind.choices)
    target_hash = models.CharField(_("hash"), max_length=64, db_index=True)
    scope = models.CharField(_("where"), max_length=8, choices=Scope.choices, default=Scope.SITE)
    board = models.ForeignKey(
        Board, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("board")
    )
    reason = models.CharField(_("reason shown to the poster"), max_length=200)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    created_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, editable=False
    )

    objects = BanQuerySet.as_manager()

    class Meta:
        verbose_name = _("ban")
        verbose_name_plural = _("bans")
        constraints = [
            models.CheckConstraint(
                condition=Q(scope="board", board__isnull=False) | ~Q(scope="board"),
                name="ban_board_scope_names_a_board",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_scope_display()} · {self.reason}"

    def is_active(self, now: datetime | None = None) -> bool:
        """Whether this ban is in force at `now`: the rule of BanQuerySet.active, for one row."""
        return self.expires_at is None or self.expires_at > (now or timezone.now())


class WordFilter(models.Model):
    """An NG word: block the post, flag it for moderators, or replace the words."""

    class Action(models.TextChoices):
        BLOCK = "block", _("block the post")
        FLAG = "flag", _("flag for moderators")
        REPLACE = "replace", _("replace the words")

    pattern = models.CharField(_("pattern"), max_length=200)
    is_regex = models.BooleanField(_("regular expression"), default=False)
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    replacement = models.CharField(_("replacement"), max_length=100, blank=True, default="***")
    applies_to_names = models.BooleanField(_("names"), default=True)
    applies_to_titles = models.BooleanField(_("titles"), default=True)
    applies_to_bodies = models.BooleanField(_("bodies"), default=True)
    applies_to_chat = models.BooleanField(_("chat"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note for moderators"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("word filter")
        verbose_name_plural = _("word filters")

    def __str__(self) -> str:
        return f"{self.pattern} → {self.get_action_display()}"


class ReportedPost(Post):
    """The reports queue: one row per reported post, its open reports grouped (admin only)."""

    class Meta:
        proxy = True
        verbose_name = _("reported post")
        verbose_name_plural = _("reports queue")


class AuditLog(models.Model):
    """One row per moderator action, written in the same transaction as the action itself.

    Rows are never changed or deleted: triggers (migrations 0004 and 0006) refuse UPDATE, DELETE
    and TRUNCATE, whoever asks, except that deleting a moderator's account empties `actor` (the
    name stays). The application's own database role cannot disable them (README, "The audit
    log's database roles").
    """

    class Action(models.TextChoices):
        DELETE_POST = "delete_post", _("deleted a post")
        RESTORE_POST = "restore_post", _("restored a post")
        BAN = "ban", _("banned a poster")
        CHANGE_BAN = "change_ban", _("changed a ban")
        LIFT_BAN = "lift_ban", _("lifted a ban")
        LOCK_THREAD = "lock_thread", _("locked a thread")
        UNLOCK_THREAD = "unlock_thread", _("unlocked a thread")
        PIN_THREAD = "pin_thread", _("pinned a thread")
        UNPIN_THREAD = "unpin_thread", _("unpinned a thread")
        ARCHIVE_THREAD = "archive_thread", _("archived a thread")
        MOVE_THREAD = "move_thread", _("moved a thread")
        RETITLE_THREAD = "retitle_thread", _("retitled a thread")
        RESOLVE_REPORT = "resolve_report", _("resolved reports")
        DISMISS_REPORT = "dismiss_report", _("dismissed reports")
        ADD_WORD_FILTER = "add_word_filter", _("added a word filter")
        CHANGE_WORD_FILTER = "change_word_filter", _("changed a word filter")
        DELETE_WORD_FILTER = "delete_word_filter", _("deleted a word filter")
        DELETE_CHAT_MESSAGE = "delete_chat_message", _("deleted a chat message")
        RESTORE_CHAT_MESSAGE = "restore_chat_message", _("restored a chat message")
        CLAIM_REVIEW = "claim_review", _("claimed a review item")
        REVIEW_LOOKS_FINE = "review_looks_fine", _("found a reviewed post fine")
        HIDE_POST = "hide_post", _("hid a post pending a second look")
        UNSEAL_ADDRESS = "unseal_address", _("unsealed an address")

        SURGE_STARTED = "surge_started", _("a surge began")
        SWITCH_SURGE = "switch_surge", _("switched surge mode")
        RELEASE_THREAD = "release_thread", _("let a held thread onto the board")
        CAPCODE_POST = "capcode_post", _("posted as Moderator ★")
        ADD_HELP_LINE = "add_help_line", _("added a help line")
        CHANGE_HELP_LINE = "change_help_line", _("changed a help line")
        DELETE_HELP_LINE = "delete_help_line", _("deleted a help line")
        ADD_RISK_PHRASE = "add_risk_phrase", _("added a risk phrase")
        CHANGE_RISK_PHRASE = "change_risk_phrase", _("changed a risk phrase")
        DELETE_RISK_PHRASE = "delete_risk_phrase", _("deleted a risk phrase")

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        "auth.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderator"),
    )
    # Kept as typed at the time, so the log still says who after an account is deleted.
    actor_name = models.CharField(_("moderator name"), max_length=150)
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=32)
    object_id = models.BigIntegerField(_("object id"), null=True, blank=True)
    object_repr = models.CharField(_("object"), max_length=200)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="auditlog_object")]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.get_action_display()} {self.object_repr}"
