"""Moderator actions: one function per action, each in one transaction with its audit entry.

The admin calls these, and so may anything else (management commands, chat). Each function checks
that the action makes sense, changes the rows under a row lock, writes who did what to which
object and why into the audit log in the same transaction, and tells readers only once the change
has committed (forum.events drops cached pages and updates open thread pages).

One module per kind of object; everything a caller needs is importable from here.
"""

from forum.moderation.audit import (
    NOTE_MAX,
    REASON_MAX,
    ModerationError,
    audit,
    post_label,
    thread_label,
)
from forum.moderation.bans import (
    BAN_MEMORY,
    BanSuggestion,
    ban_daily_id,
    ban_label,
    ban_poster,
    ban_sender,
    ban_suggestion,
    change_ban,
    lift_ban,
    poster_hash,
    suggest_ban_length,
)
from forum.moderation.posts import (
    delete_post_as_moderator,
    dismiss_report,
    resolve_report,
    restore_post,
)
from forum.moderation.support_lists import (
    delete_help_line,
    delete_risk_phrase,
    save_help_line,
    save_risk_phrase,
)
from forum.moderation.threads import (
    archive_thread,
    lock_thread,
    move_thread,
    pin_thread,
    release_held_thread,
    retitle_thread,
)
from forum.moderation.unsealing import find_sealed, unseal_address
from forum.moderation.word_filters import check_pattern, delete_word_filter, save_word_filter

__all__ = [
    "BAN_MEMORY",
    "NOTE_MAX",
    "REASON_MAX",
    "BanSuggestion",
    "ModerationError",
    "archive_thread",
    "audit",
    "ban_daily_id",
    "ban_label",
    "ban_poster",
    "ban_sender",
    "ban_suggestion",
    "change_ban",
    "check_pattern",
    "delete_help_line",
    "delete_post_as_moderator",
    "delete_risk_phrase",
    "delete_word_filter",
    "dismiss_report",
    "find_sealed",
    "lift_ban",
    "lock_thread",
    "move_thread",
    "pin_thread",
    "post_label",
    "poster_hash",
    "release_held_thread",
    "resolve_report",
    "restore_post",
    "retitle_thread",
    "save_help_line",
    "save_risk_phrase",
    "save_word_filter",
    "suggest_ban_length",
    "thread_label",
    "unseal_address",
]
