"""What a moderator does with a review item, each in one transaction with its audit row.

Every outcome also resolves the item, so nothing acted on stays in the queue. Deleting and
banning go through forum.moderation (and chat.rooms for chat), whose own audit rows say what was
done; outcomes that change nothing else write a row of their own. The admin's item page and its
bulk actions call these, and so may anything else.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chat import rooms
from forum import moderation
from forum.models import AuditLog, Ban, Post, Report
from forum.moderation import ModerationError, audit
from forum.moderation.audit import NOTE_MAX, clean_reason
from forum.moderation.threads import release_held_thread
from forum.posting import create_post, set_post_status
from review.models import ReviewItem, StaffNote
from review.notify import queue_changed


def _locked(item: ReviewItem) -> ReviewItem:
    current = (
        ReviewItem.objects.select_for_update(of=("self",))
        .select_related("post__thread__board", "message__room", "resolved_by")
        .get(pk=item.pk)
    )
    if current.is_resolved:
        raise ModerationError(
            _("%(item)s was already resolved by %(who)s.")
            % {"item": current.target_label, "who": _who(current.resolved_by)}
        )
    return current


def _who(user) -> str:
    return user.get_username() if user is not None else _("system")


def _resolve(item: ReviewItem, outcome: str, *, by, now: datetime) -> ReviewItem:
    item.state = ReviewItem.State.RESOLVED
    item.outcome = outcome
    item.resolved_by = by if getattr(by, "pk", None) else None
    item.resolved_at = now
    item.save(update_fields=["state", "outcome", "resolved_by", "resolved_at"])
    transaction.on_commit(queue_changed)
    return item


def claim(item: ReviewItem, *, by, now: datetime | None = None) -> ReviewItem:
    """Say "I have this one", so two moderators awake at 3 a.m. do not both answer it."""
    now = now or timezone.now()
    with transaction.atomic():
        current = _locked(item)
        if current.state == ReviewItem.State.CLAIMED and current.claimed_by_id == by.pk:
            return current
        current.state = ReviewItem.State.CLAIMED
        current.claimed_by, current.claimed_at = by, now
        current.save(update_fields=["state", "claimed_by", "claimed_at"])
        audit(by, AuditLog.Action.CLAIM_REVIEW, current, object_repr=current.target_label)
        transaction.on_commit(queue_changed)
    return current


def add_note(item: ReviewItem, *, by, text: str) -> StaffNote:
    text = clean_reason(text, required=True, limit=NOTE_MAX)
    return StaffNote.objects.create(item=item, author=by, author_name=by.get_username(), text=text)


def looks_fine(item: ReviewItem, *, by, note: str = "", now: datetime | None = None):
    """Nothing wrong: open reports are dismissed and a post hidden by them shows again."""
    note = clean_reason(note, required=False, limit=NOTE_MAX)
    now = now or timezone.now()
    with transaction.atomic():
        current = _locked(item)
        details = {}
        if current.post_id:
            post = current.post
            details["reports_dismissed"] = Report.objects.filter(
                post=post, status=Report.Status.OPEN
            ).update(status=Report.Status.DISMISSED, moderator_note=note or _("looks fine"))
            if post.status == Post.Status.HIDDEN_PENDING_REVIEW:
                set_post_status(post, Post.Status.VISIBLE, "", now=now)
                details["post_restored"] = True
                details["thread_released"] = release_held_thread(post, by=by, now=now)
        audit(
            by,
            AuditLog.Action.REVIEW_LOOKS_FINE,
            current.target,
            reason=note,
            object_repr=current.target_label,
            **details,
        )
        return _resolve(current, ReviewItem.Outcome.LOOKS_FINE, by=by, now=now)


def hide(item: ReviewItem, *, by, reason: str = "", now: datetime | None = None):
    """Take a post out of sight until someone has a second look (restore brings it back)."""
    reason = clean_reason(reason, required=False)
    now = now or timezone.now()
    with transaction.atomic():
        current = _locked(item)
        if not current.post_id:
            raise ModerationError(_("Chat messages cannot be hidden; remove it instead."))
        post = current.post
        if not post.is_visible:
            raise ModerationError(
                _("%(post)s is not visible: there is nothing to hide.")
                % {"post": current.target_label}
            )
        set_post_status(
            post, Post.Status.HIDDEN_PENDING_REVIEW, reason or _("hidden by a moderator"), now=now
        )
        audit(by, AuditLog.Action.HIDE_POST, post, reason=reason, object_repr=current.target_label)
        return _resolve(current, ReviewItem.Outcome.HIDDEN, by=by, now=now)


def _delete_target(current: ReviewItem, *, by, reason: str) -> None:
    if current.post_id:
        moderation.delete_post_as_moderator(current.post, by=by, reason=reason)
    else:
        if not current.message.is_visible:
            raise ModerationError(
                _("%(item)s is already removed.") % {"item": current.target_label}
            )
        rooms.delete_message(current.message, by=by, reason=reason)


def delete(item: ReviewItem, *, by, reason: str, now: datetime | None = None):
    """Replace the post by its placeholder (or remove the chat message), with a reason."""
    reason = clean_reason(reason, required=True)
    now = now or timezone.now()
    with transaction.atomic():
        current = _locked(item)
        _delete_target(current, by=by, reason=reason)
        return _resolve(current, ReviewItem.Outcome.DELETED, by=by, now=now)


def delete_and_ban(
    item: ReviewItem,
    *,
    by,
    reason: str,
    kind: str = Ban.Kind.ADDRESS,
    scope: str = Ban.Scope.SITE,
    expires_at: datetime | None,
    ban_reason: str = "",
    now: datetime | None = None,
):
    """Delete and ban in one step: the ban's reason (shown to the poster) defaults to the
    deletion's. Either both happen or neither does."""
    reason = clean_reason(reason, required=True)
    ban_reason = clean_reason(ban_reason, required=False) or reason
    now = now or timezone.now()
    with transaction.atomic():
        current = _locked(item)
        _delete_target(current, by=by, reason=reason)
        if current.post_id:
            moderation.ban_poster(
                current.post,
                by=by,
                kind=kind,
                scope=scope,
                expires_at=expires_at,
                reason=ban_reason,
            )
        else:
            moderation.ban_sender(
                current.message,
                label=current.target_label,
                by=by,
                kind=kind,
                # A chat message has no board: a board ban of its sender means chat.
                scope=Ban.Scope.CHAT if scope == Ban.Scope.BOARD else scope,
                expires_at=expires_at,
                reason=ban_reason,
            )
        return _resolve(current, ReviewItem.Outcome.DELETED_AND_BANNED, by=by, now=now)


def reply_with_care(item: ReviewItem, *, by, poster, body: str, now: datetime | None = None):
    """A Moderator ★ reply in the post's thread (the text the moderator edited), then resolved.

    Goes through create_post like any reply, so numbering, cache and live readers are as ever."""
    now = now or timezone.now()
    with transaction.atomic():
        current = _locked(item)
        if not current.post_id:
            raise ModerationError(_("Reply in the chat room itself."))
        reply = create_post(
            current.post.thread,
            poster=poster,
            body=body,
            confirm_risk=True,
            as_moderator=by,
            now=now,
        )
        _resolve(current, ReviewItem.Outcome.REPLIED, by=by, now=now)
    return reply
