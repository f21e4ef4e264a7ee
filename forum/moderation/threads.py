"""Locking, pinning, archiving, moving and retitling threads."""

from __future__ import annotations

import copy
from datetime import datetime
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum import events
from forum.composing import TITLE_MAX
from forum.models import AuditLog, Board, Thread, ThreadMove
from forum.moderation.audit import ModerationError, audit, clean_reason, thread_label
from forum.posting import archive_overflow
from forum.text import clean_line, disarm_marks


def _locked_thread(thread: Thread) -> Thread:
    return Thread.objects.select_related("board").select_for_update(of=("self",)).get(pk=thread.pk)


def _update_thread(thread: Thread, now: datetime, **fields) -> None:
    Thread.objects.filter(pk=thread.pk).update(modified_at=now, **fields)
    for name, value in fields.items():
        setattr(thread, name, value)
    thread.modified_at = now
    transaction.on_commit(partial(events.thread_changed, thread))


def _toggle(thread: Thread, *, by, field: str, value: bool, actions, reason: str) -> Thread:
    reason = clean_reason(reason, required=False)
    with transaction.atomic():
        current = _locked_thread(thread)
        if getattr(current, field) == value:
            return current  # already so: nothing to do and nothing to log
        _update_thread(current, timezone.now(), **{field: value})
        audit(
            by,
            actions[value],
            current,
            reason=reason,
            object_repr=thread_label(current),
        )
    setattr(thread, field, value)
    return current


def lock_thread(thread: Thread, *, by, locked: bool = True, reason: str = "") -> Thread:
    """A locked thread stays readable and takes no more posts; `locked=False` opens it again."""
    return _toggle(
        thread,
        by=by,
        field="is_locked",
        value=locked,
        actions={True: AuditLog.Action.LOCK_THREAD, False: AuditLog.Action.UNLOCK_THREAD},
        reason=reason,
    )


def pin_thread(thread: Thread, *, by, pinned: bool = True, reason: str = "") -> Thread:
    """A pinned thread stays at the top of its board and is never archived for capacity."""
    return _toggle(
        thread,
        by=by,
        field="is_pinned",
        value=pinned,
        actions={True: AuditLog.Action.PIN_THREAD, False: AuditLog.Action.UNPIN_THREAD},
        reason=reason,
    )


def archive_thread(thread: Thread, *, by, reason: str = "") -> Thread:
    """Move the thread to its board's archive (過去ログ) now: readable, no more posts."""
    reason = clean_reason(reason, required=False)
    now = timezone.now()
    with transaction.atomic():
        current = _locked_thread(thread)
        if current.is_archived:
            raise ModerationError(
                _("“%(title)s” is already in the archive.") % {"title": current.title}
            )
        _update_thread(current, now, is_archived=True, archived_at=now, is_pinned=False)
        audit(
            by,
            AuditLog.Action.ARCHIVE_THREAD,
            current,
            reason=reason,
            object_repr=thread_label(current),
        )
    thread.is_archived, thread.archived_at = True, now
    return current


def release_held_thread(post, *, by, now: datetime | None = None) -> bool:
    """Let a thread held in a surge (forum.surge) onto its board, as new, once a moderator has
    found its first post fine. Inside the caller's transaction; False if nothing was held."""
    if post.number != 1:
        return False
    now = now or timezone.now()
    current = _locked_thread(post.thread)
    if not current.is_held:
        return False
    Thread.objects.filter(pk=current.pk).update(is_held=False, bumped_at=now, modified_at=now)
    current.is_held, current.bumped_at, current.modified_at = False, now, now
    archived = archive_overflow(current.board, now=now)
    audit(by, AuditLog.Action.RELEASE_THREAD, current, object_repr=thread_label(current))
    transaction.on_commit(partial(events.thread_created, current, post, archived))
    post.thread.is_held = False
    return True


def move_thread(thread: Thread, *, to_board: Board, by, reason: str = "") -> Thread:
    """Move a thread with all its posts to another board.

    The key (its creation time) stays unless the new board already has a thread with that key;
    then it takes the next free one, as a thread created in the same second would.
    """
    reason = clean_reason(reason, required=False)
    now = timezone.now()
    with transaction.atomic():
        # The target board row is the lock thread creation takes, so keys stay unique.
        Board.objects.select_for_update().only("pk").get(pk=to_board.pk)
        current = _locked_thread(thread)
        if current.board_id == to_board.pk:
            raise ModerationError(
                _("“%(title)s” is already on /%(board)s/.")
                % {"title": current.title, "board": to_board.slug}
            )
        before = copy.copy(current)  # its old pages must be dropped too
        key = current.key
        taken = set(
            Thread.objects.filter(board=to_board, key__gte=key).values_list("key", flat=True)
        )
        while key in taken:
            key += 1
        _update_thread(current, now, board=to_board, key=key)
        # Links and bookmarks to the old address keep working (a permanent redirect).
        ThreadMove.objects.update_or_create(
            from_board=before.board,
            from_key=before.key,
            defaults={"thread": current, "moved_at": now},
        )
        transaction.on_commit(partial(events.thread_changed, before))
        audit(
            by,
            AuditLog.Action.MOVE_THREAD,
            current,
            reason=reason,
            object_repr=thread_label(current),
            from_board=before.board.slug,
            to_board=to_board.slug,
            old_key=before.key,
            new_key=key,
        )
    thread.board, thread.key = to_board, key
    return current


def retitle_thread(thread: Thread, *, title: str, by, reason: str = "") -> Thread:
    """Give a thread a new title (cleaned as a poster's title is)."""
    reason = clean_reason(reason, required=False)
    title = disarm_marks(clean_line(title or ""))
    if not title:
        raise ModerationError(_("Please give the thread a title."))
    if len(title) > TITLE_MAX:
        raise ModerationError(
            _("The title can be at most %(max)d characters (it has %(count)d).")
            % {"max": TITLE_MAX, "count": len(title)}
        )
    with transaction.atomic():
        current = _locked_thread(thread)
        old = current.title
        if old == title:
            return current
        _update_thread(current, timezone.now(), title=title)
        audit(
            by,
            AuditLog.Action.RETITLE_THREAD,
            current,
            reason=reason,
            object_repr=thread_label(current),
            old_title=old,
            new_title=title,
        )
    thread.title = title
    return current
