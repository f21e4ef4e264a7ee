"""Deleting and restoring posts, and closing their reports (reports are handled per post)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.models import AuditLog, Post, Report
from forum.moderation.audit import (
    NOTE_MAX,
    REASON_MAX,
    ModerationError,
    audit,
    clean_reason,
    post_label,
)
from forum.moderation.threads import release_held_thread
from forum.posting import set_post_status
from forum.standing import reset_standing
from review import queue as review_queue
from review.models import ReviewItem


def _locked_post(post: Post) -> Post:
    return (
        Post.objects.select_related("thread__board").select_for_update(of=("self",)).get(pk=post.pk)
    )


def _close_reports(post: Post, status: str, note: str) -> int:
    return Report.objects.filter(post=post, status=Report.Status.OPEN).update(
        status=status, moderator_note=note[:NOTE_MAX]
    )


def delete_post_as_moderator(post: Post, *, by, reason: str) -> Post:
    """Replace the post by the moderator placeholder (あぼーん); its number stays.

    Its open reports are resolved with the same reason: the moderator has acted on them.
    """
    reason = clean_reason(reason, required=True)
    now = timezone.now()
    with transaction.atomic():
        current = _locked_post(post)
        if current.status in (Post.Status.DELETED_BY_MODERATOR, Post.Status.DELETED_BY_POSTER):
            raise ModerationError(_("%(post)s is already deleted.") % {"post": post_label(current)})
        previous = current.status
        set_post_status(current, Post.Status.DELETED_BY_MODERATOR, reason, now=now)
        resolved = _close_reports(current, Report.Status.RESOLVED, reason)
        review_queue.settle(current, outcome=ReviewItem.Outcome.DELETED, by=by, now=now)
        reset_standing(current, now)
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
    reason = clean_reason(reason, required=False)
    now = timezone.now()
    with transaction.atomic():
        current = _locked_post(post)
        if current.status not in (
            Post.Status.DELETED_BY_MODERATOR,
            Post.Status.HIDDEN_PENDING_REVIEW,
        ):
            raise ModerationError(
                _("%(post)s is not deleted by a moderator nor hidden: there is nothing to restore.")
                % {"post": post_label(current)}
            )
        previous = current.status
        set_post_status(current, Post.Status.VISIBLE, "", now=now)
        release_held_thread(current, by=by, now=now)
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
    note = clean_reason(note, required=False, limit=NOTE_MAX)
    now = timezone.now()
    with transaction.atomic():
        current = _locked_post(post)
        closed = _close_reports(current, Report.Status.RESOLVED, note)
        if not closed:
            raise ModerationError(
                _("%(post)s has no open reports.") % {"post": post_label(current)}
            )
        # Resolved reports take a hidden post down; a visible one was found acceptable.
        hidden = current.status == Post.Status.HIDDEN_PENDING_REVIEW
        outcome = ReviewItem.Outcome.DELETED if hidden else ReviewItem.Outcome.LOOKS_FINE
        review_queue.settle(current, outcome=outcome, by=by, now=now)
        if hidden:
            reason = note[:REASON_MAX] or _("removed after reports")
            set_post_status(current, Post.Status.DELETED_BY_MODERATOR, reason, now=now)
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
    note = clean_reason(note, required=False, limit=NOTE_MAX)
    now = timezone.now()
    with transaction.atomic():
        current = _locked_post(post)
        closed = _close_reports(current, Report.Status.DISMISSED, note)
        if not closed:
            raise ModerationError(
                _("%(post)s has no open reports.") % {"post": post_label(current)}
            )
        review_queue.settle(current, outcome=ReviewItem.Outcome.LOOKS_FINE, by=by, now=now)
        restored = current.status == Post.Status.HIDDEN_PENDING_REVIEW
        if restored:
            set_post_status(current, Post.Status.VISIBLE, "", now=now)
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
