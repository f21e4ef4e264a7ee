"""Moderator actions: one function per action, each in one transaction with its audit entry.

The admin calls these, and so may anything else (management commands, chat). Each function checks
that the action makes sense, changes the rows under a row lock, writes who did what to which
object and why into the audit log in the same transaction, and tells readers only once the change
has committed (forum.events drops cached pages and updates open thread pages).
"""

from __future__ import annotations

import copy
import re
from datetime import date, datetime, time, timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum import events, safety
from forum.models import AuditLog, Ban, Board, Post, Report, Thread, WordFilter
from forum.posting import TITLE_MAX
from forum.text import clean_line, disarm_marks

REASON_MAX = 200
NOTE_MAX = 500


class ModerationError(Exception):
    """An action that cannot be done as asked; `message` is meant for the moderator."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- Audit log ----------------------------------------------------------------------------------


def audit(
    by,
    action: str,
    obj,
    *,
    reason: str = "",
    object_type: str | None = None,
    object_repr: str | None = None,
    **details,
) -> AuditLog:
    """Record a moderator action. Call it inside the transaction that makes the change.

    Public so that other apps' moderator actions (chat) land in the same log.
    """
    return AuditLog.objects.create(
        actor=by if getattr(by, "pk", None) else None,
        actor_name=getattr(by, "get_username", lambda: "")() or _("system"),
        action=action,
        object_type=object_type or obj._meta.model_name,
        object_id=obj.pk,
        object_repr=(object_repr or str(obj))[:200],
        reason=reason[:NOTE_MAX],
        details=details,
    )


def post_label(post: Post) -> str:
    """How a post is named in the log and in messages: /board/key/number."""
    return f"/{post.thread.board.slug}/{post.thread.key}/{post.number}"


def thread_label(thread: Thread) -> str:
    return f"/{thread.board.slug}/{thread.key}/ {thread.title}"


def _reason(text: str, *, required: bool, limit: int = REASON_MAX) -> str:
    text = clean_line(text or "")
    if required and not text:
        raise ModerationError(_("Please give a reason."))
    if len(text) > limit:
        raise ModerationError(
            _("The reason can be at most %(max)d characters (it has %(count)d).")
            % {"max": limit, "count": len(text)}
        )
    return text


# --- Posts --------------------------------------------------------------------------------------


def _locked_post(post: Post) -> Post:
    return (
        Post.objects.select_related("thread__board").select_for_update(of=("self",)).get(pk=post.pk)
    )


def _set_post_status(post: Post, status: str, reason: str, now: datetime) -> None:
    Post.objects.filter(pk=post.pk).update(status=status, status_reason=reason)
    Thread.objects.filter(pk=post.thread_id).update(modified_at=now)
    post.status = status
    post.status_reason = reason
    transaction.on_commit(partial(events.post_changed, post))


def _close_reports(post: Post, status: str, note: str) -> int:
    return Report.objects.filter(post=post, status=Report.Status.OPEN).update(
        status=status, moderator_note=note[:NOTE_MAX]
    )


def delete_post_as_moderator(post: Post, *, by, reason: str) -> Post:
    """Replace the post by the moderator placeholder (あぼーん); its number stays.

    Its open reports are resolved with the same reason: the moderator has acted on them.
    """
    reason = _reason(reason, required=True)
    now = timezone.now()
    with transaction.atomic():
        current = _locked_post(post)
        if current.status in (Post.Status.DELETED_BY_MODERATOR, Post.Status.DELETED_BY_POSTER):
            raise ModerationError(_("%(post)s is already deleted.") % {"post": post_label(current)})
        previous = current.status
        _set_post_status(current, Post.Status.DELETED_BY_MODERATOR, reason, now)
        resolved = _close_reports(current, Report.Status.RESOLVED, reason)
        audit(
            by,
            AuditLog.Action.DELETE_POST,
            current,
            reason=reason,
            object_repr=post_label(current),
            previous_status=previous,
            reports_resolved=resolved,
        )
    post.status, post.status_reason = current.status, current.status_reason
    return current


def restore_post(post: Post, *, by, reason: str = "") -> Post:
    """Show a post deleted by a moderator or hidden by reports again.

    Its open reports are dismissed: otherwise the next report would hide it at once again.
    A poster's own deletion is theirs and is not undone.
    """
    reason = _reason(reason, required=False)
    now = timezone.now()
    with transaction.atomic():
        current = _locked_post(post)
        if current.status not in (
            Post.Status.DELETED_BY_MODERATOR,
            Post.Status.HIDDEN_PENDING_REVIEW,
        ):
            raise ModerationError(
                _(
                    "%(post)s is not deleted by a moderator or hidden, so there is nothing to restore."
                )
                % {"post": post_label(current)}
            )
        previous = current.status
        _set_post_status(current, Post.Status.VISIBLE, "", now)
        dismissed = _close_reports(current, Report.Status.DISMISSED, reason or _("post restored"))
        audit(
            by,
            AuditLog.Action.RESTORE_POST,
            current,
            reason=reason,
            object_repr=post_label(current),
            previous_status=previous,
            reports_dismissed=dismissed,
        )
    post.status, post.status_reason = current.status, current.status_reason
    return current


# --- Reports ------------------------------------------------------------------------------------


def resolve_report(post: Post, *, by, note: str = "") -> int:
    """Close every open report on `post` as resolved (reports are handled per post).

    "Resolved" says the reports were right. A post still hidden by those reports therefore stays
    out of sight: it becomes a moderator deletion. Returns how many reports were closed.
    """
    note = _reason(note, required=False, limit=NOTE_MAX)
    now = timezone.now()
    with transaction.atomic():
        current = _locked_post(post)
        closed = _close_reports(current, Report.Status.RESOLVED, note)
        if not closed:
            raise ModerationError(
                _("%(post)s has no open reports.") % {"post": post_label(current)}
            )
        if current.status == Post.Status.HIDDEN_PENDING_REVIEW:
            reason = note[:REASON_MAX] or _("removed after reports")
            _set_post_status(current, Post.Status.DELETED_BY_MODERATOR, reason, now)
            audit(
                by,
                AuditLog.Action.DELETE_POST,
                current,
                reason=reason,
                object_repr=post_label(current),
                previous_status=Post.Status.HIDDEN_PENDING_REVIEW,
            )
        audit(
            by,
            AuditLog.Action.RESOLVE_REPORT,
            current,
            reason=note,
            object_repr=post_label(current),
            reports=closed,
        )
    post.status = current.status
    return closed


def dismiss_report(post: Post, *, by, note: str = "") -> int:
    """Close every open report on `post` as dismissed; a post hidden by them shows again."""
    note = _reason(note, required=False, limit=NOTE_MAX)
    now = timezone.now()
    with transaction.atomic():
        current = _locked_post(post)
        closed = _close_reports(current, Report.Status.DISMISSED, note)
        if not closed:
            raise ModerationError(
                _("%(post)s has no open reports.") % {"post": post_label(current)}
            )
        restored = current.status == Post.Status.HIDDEN_PENDING_REVIEW
        if restored:
            _set_post_status(current, Post.Status.VISIBLE, "", now)
        audit(
            by,
            AuditLog.Action.DISMISS_REPORT,
            current,
            reason=note,
            object_repr=post_label(current),
            reports=closed,
            post_restored=restored,
        )
    post.status = current.status
    return closed


# --- Bans ---------------------------------------------------------------------------------------


def _check_ban_fields(kind: str, scope: str, board: Board | None, expires_at) -> None:
    if kind not in Ban.Kind.values:
        raise ModerationError(_("Please choose what to ban."))
    if scope not in Ban.Scope.values:
        raise ModerationError(_("Please choose where the ban applies."))
    if scope == Ban.Scope.BOARD and board is None:
        raise ModerationError(_("A ban on one board needs that board."))
    if expires_at is not None and expires_at <= timezone.now():
        raise ModerationError(_("The expiry must be in the future."))


def _create_ban(
    *,
    by,
    target_hash: str,
    kind: str,
    scope: str,
    board: Board | None,
    expires_at,
    reason: str,
    **details,
) -> Ban:
    ban = Ban.objects.create(
        kind=kind,
        target_hash=target_hash,
        scope=scope,
        board=board if scope == Ban.Scope.BOARD else None,
        expires_at=expires_at,
        reason=reason,
        created_by=by if getattr(by, "pk", None) else None,
    )
    audit(
        by,
        AuditLog.Action.BAN,
        ban,
        reason=reason,
        object_repr=ban_label(ban),
        kind=kind,
        scope=scope,
        board=board.slug if board is not None and scope == Ban.Scope.BOARD else None,
        expires_at=expires_at.isoformat() if expires_at else None,
        **details,
    )
    return ban


def ban_label(ban: Ban) -> str:
    where = f"/{ban.board.slug}/" if ban.board_id else ban.get_scope_display()
    return f"#{ban.pk} {ban.get_kind_display()} · {where}"


def poster_hash(post: Post, kind: str) -> str:
    """The hash a ban of this `kind` on the post's poster would keep (empty once purged)."""
    return {
        Ban.Kind.ADDRESS: post.address_hash,
        Ban.Kind.NARROW: post.range_hash_narrow,
        Ban.Kind.WIDE: post.range_hash_wide,
    }.get(kind, "")


def ban_poster(
    post: Post,
    *,
    by,
    kind: str = Ban.Kind.ADDRESS,
    scope: str = Ban.Scope.SITE,
    board: Board | None = None,
    expires_at: datetime | None = None,
    reason: str,
) -> Ban:
    """Ban whoever wrote `post`: their address, or everyone in its /24 (/64) or /16 (/48).

    With scope "board" and no board given, the ban covers the post's own board. Nobody learns
    an address: the ban keeps the post's hash. The reason is shown to the banned poster.
    """
    reason = _reason(reason, required=True)
    if scope == Ban.Scope.BOARD and board is None:
        board = post.thread.board
    _check_ban_fields(kind, scope, board, expires_at)
    target = poster_hash(post, kind)
    if not target:
        raise ModerationError(
            _("The address hashes of %(post)s have been purged, so its poster cannot be banned.")
            % {"post": post_label(post)}
        )
    with transaction.atomic():
        return _create_ban(
            by=by,
            target_hash=target,
            kind=kind,
            scope=scope,
            board=board,
            expires_at=expires_at,
            reason=reason,
            post=post_label(post),
            daily_id=post.daily_id,
        )


def _local_day_bounds(day: date) -> tuple[datetime, datetime]:
    """Daily IDs change at local midnight (forum.daily_id), so a day is a local day."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def ban_daily_id(
    *,
    board: Board,
    daily_id: str,
    day: date,
    by,
    kind: str = Ban.Kind.ADDRESS,
    scope: str = Ban.Scope.SITE,
    expires_at: datetime | None = None,
    reason: str,
) -> Ban:
    """Ban the poster who had `daily_id` on `board` on `day`, found through their posts.

    The ID itself cannot be turned back into anything; the posts made under it carry the hash.
    """
    reason = _reason(reason, required=True)
    daily_id = (daily_id or "").strip().removeprefix("ID:")
    _check_ban_fields(kind, scope, board, expires_at)
    start, end = _local_day_bounds(day)
    field = {
        Ban.Kind.ADDRESS: "address_hash",
        Ban.Kind.NARROW: "range_hash_narrow",
        Ban.Kind.WIDE: "range_hash_wide",
    }[kind]
    hashes = set(
        Post.objects.filter(
            thread__board=board, daily_id=daily_id, created_at__gte=start, created_at__lt=end
        )
        .exclude(**{field: ""})
        .values_list(field, flat=True)
        .distinct()[:2]
    )
    if not hashes:
        raise ModerationError(
            _(
                "No post on /%(board)s/ on %(day)s has the ID %(id)s with its address hash "
                "still kept."
            )
            % {"board": board.slug, "day": day.isoformat(), "id": daily_id}
        )
    if len(hashes) > 1:  # two posters sharing an 8-character ID on one board and day
        raise ModerationError(
            _("The ID %(id)s belongs to more than one poster that day; ban from a post instead.")
            % {"id": daily_id}
        )
    with transaction.atomic():
        return _create_ban(
            by=by,
            target_hash=hashes.pop(),
            kind=kind,
            scope=scope,
            board=board,
            expires_at=expires_at,
            reason=reason,
            daily_id=daily_id,
            daily_id_board=board.slug,
            day=day.isoformat(),
        )


def change_ban(
    ban: Ban,
    *,
    by,
    scope: str,
    board: Board | None,
    expires_at: datetime | None,
    reason: str,
) -> Ban:
    """Change where a ban applies, until when, or the reason the poster sees."""
    reason = _reason(reason, required=True)
    if scope not in Ban.Scope.values:
        raise ModerationError(_("Please choose where the ban applies."))
    if scope == Ban.Scope.BOARD and board is None:
        raise ModerationError(_("A ban on one board needs that board."))
    with transaction.atomic():
        current = Ban.objects.select_for_update().get(pk=ban.pk)
        before = {
            "scope": current.scope,
            "board": current.board.slug if current.board_id else None,
            "expires_at": current.expires_at.isoformat() if current.expires_at else None,
            "reason": current.reason,
        }
        current.scope = scope
        current.board = board if scope == Ban.Scope.BOARD else None
        current.expires_at = expires_at
        current.reason = reason
        current.save(update_fields=["scope", "board", "expires_at", "reason"])
        after = {
            "scope": current.scope,
            "board": current.board.slug if current.board_id else None,
            "expires_at": current.expires_at.isoformat() if current.expires_at else None,
            "reason": current.reason,
        }
        changed = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
        audit(
            by,
            AuditLog.Action.CHANGE_BAN,
            current,
            reason=reason,
            object_repr=ban_label(current),
            changed=changed,
        )
    return current


def lift_ban(ban: Ban, *, by, reason: str = "") -> Ban:
    """End a ban now. The row stays, so the history of bans stays readable."""
    reason = _reason(reason, required=False)
    now = timezone.now()
    with transaction.atomic():
        current = Ban.objects.select_for_update().get(pk=ban.pk)
        if not current.is_active(now):
            raise ModerationError(_("Ban %(ban)s has already ended.") % {"ban": f"#{ban.pk}"})
        current.expires_at = now
        current.save(update_fields=["expires_at"])
        audit(by, AuditLog.Action.LIFT_BAN, current, reason=reason, object_repr=ban_label(current))
    return current


# --- Threads ------------------------------------------------------------------------------------


def _locked_thread(thread: Thread) -> Thread:
    return Thread.objects.select_related("board").select_for_update(of=("self",)).get(pk=thread.pk)


def _update_thread(thread: Thread, now: datetime, **fields) -> None:
    Thread.objects.filter(pk=thread.pk).update(modified_at=now, **fields)
    for name, value in fields.items():
        setattr(thread, name, value)
    thread.modified_at = now
    transaction.on_commit(partial(events.thread_changed, thread))


def _toggle(thread: Thread, *, by, field: str, value: bool, actions, reason: str) -> Thread:
    reason = _reason(reason, required=False)
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
    reason = _reason(reason, required=False)
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


def move_thread(thread: Thread, *, to_board: Board, by, reason: str = "") -> Thread:
    """Move a thread with all its posts to another board.

    The key (its creation time) stays unless the new board already has a thread with that key;
    then it takes the next free one, as a thread created in the same second would.
    """
    reason = _reason(reason, required=False)
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
    reason = _reason(reason, required=False)
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


# --- Word filters -------------------------------------------------------------------------------


def check_pattern(pattern: str, is_regex: bool) -> None:
    """Raise ModerationError, with the reason, if the pattern is not a valid expression."""
    if not pattern:
        raise ModerationError(_("Please give a word or pattern."))
    try:
        safety.compile_pattern(pattern, is_regex)
    except re.error as error:
        raise ModerationError(
            _("This is not a valid regular expression: %(error)s") % {"error": error}
        ) from None


def save_word_filter(
    word_filter: WordFilter, *, by, changed: list[str] | None = None
) -> WordFilter:
    """Add or change a word filter; it applies to the next post (forum.safety drops its cache)."""
    check_pattern(word_filter.pattern, word_filter.is_regex)
    adding = word_filter.pk is None
    with transaction.atomic():
        word_filter.save()
        audit(
            by,
            AuditLog.Action.ADD_WORD_FILTER if adding else AuditLog.Action.CHANGE_WORD_FILTER,
            word_filter,
            object_repr=word_filter.pattern,
            action_taken=word_filter.action,
            is_regex=word_filter.is_regex,
            changed=changed or [],
        )
    return word_filter


def delete_word_filter(word_filter: WordFilter, *, by) -> None:
    with transaction.atomic():
        audit(
            by,
            AuditLog.Action.DELETE_WORD_FILTER,
            word_filter,
            object_repr=word_filter.pattern,
            action_taken=word_filter.action,
        )
        word_filter.delete()
