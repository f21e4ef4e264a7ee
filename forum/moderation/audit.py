"""The audit log, and what every moderator action shares: its error, labels and reasons."""

from __future__ import annotations

from django.utils.translation import gettext as _

from forum.models import AuditLog, Post, Thread
from forum.text import clean_line

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
    return post.place


def thread_label(thread: Thread) -> str:
    return f"/{thread.board.slug}/{thread.key}/ {thread.title}"


def clean_reason(text: str, *, required: bool, limit: int = REASON_MAX) -> str:
    """A reason or note as stored: one clean line, within its limit, present if required."""
    text = clean_line(text or "")
    if required and not text:
        raise ModerationError(_("Please give a reason."))
    if len(text) > limit:
        raise ModerationError(
            _("The reason can be at most %(max)d characters (it has %(count)d).")
            % {"max": limit, "count": len(text)}
        )
    return text
