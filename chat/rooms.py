"""Sending, deleting and replaying chat messages: every change to a room goes through here.

The room page's form, the WebSocket consumer and the admin all call these functions, so the
rules (length, bans, word filters, rate limits, slow mode, risk language) hold for every way in.
Each change runs in one transaction and reaches the room's readers only after it has committed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chat import limits, live
from chat.models import MESSAGE_MAX, Message, Room, SealedMessageAddress
from forum import moderation, names, safety, standing, surge
from forum.addresses import AddressHashes
from forum.daily_id import daily_id
from forum.errors import InvalidInput, PostingRefused, RiskLanguage
from forum.models import AuditLog
from forum.personal_info import mask_personal_info
from forum.poster import Poster
from forum.text import body_problem, clean_body, clean_line, sign
from review import queue as review_queue
from review.models import ReviewItem, Signal
from support.risk import find_risk_phrases

HANDLE_MAX = 32
MESSAGE_MAX_LINES = 10
HISTORY = 50
# A reconnecting client is replayed at most this many messages; it reloads the room for more.
REPLAY_LIMIT = 500


class MessageTooLong(InvalidInput):
    code = "too_long"


@dataclass(frozen=True)
class Sent:
    message: Message
    # Risk phrases found (the sender saw help first and sent it anyway): the message is flagged.
    risk_phrases: list[str] = field(default_factory=list)
    # Personal information masked in the body ("phone", "email"): the sender is told why.
    masked: list[str] = field(default_factory=list)


def _clean(handle: str, body: str) -> tuple[str, str, str]:
    """(handle, tripcode, body) as stored, or InvalidInput naming each field at fault."""
    errors: dict[str, list[str]] = {}
    handle = clean_line(handle)
    body = clean_body(body)
    problem = body_problem(body, max_chars=MESSAGE_MAX, max_lines=MESSAGE_MAX_LINES)
    if problem == "too_long":
        raise MessageTooLong(
            {
                "body": [
                    _("A chat message can be at most %(max)d characters (this one has %(count)d).")
                    % {"max": MESSAGE_MAX, "count": len(body)}
                ]
            }
        )
    if len(handle) > HANDLE_MAX:
        errors["handle"] = [
            _("The handle can be at most %(max)d characters (it has %(count)d).")
            % {"max": HANDLE_MAX, "count": len(handle)}
        ]
    elif refusal := names.name_refusal(handle):
        errors["handle"] = [refusal]
    if problem == "empty":
        errors["body"] = [_("Please write something before sending.")]
    elif problem == "too_many_lines":
        errors["body"] = [
            ngettext(
                "A chat message can have at most %(max)d line.",
                "A chat message can have at most %(max)d lines.",
                MESSAGE_MAX_LINES,
            )
            % {"max": MESSAGE_MAX_LINES}
        ]
    if errors:
        raise InvalidInput(errors)
    signature = sign(handle)
    return signature.name, signature.tripcode, body


def _take_number(room: Room) -> int:
    """The room's next number, under its row lock: numbers follow commit order."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE chat_room SET message_count = message_count + 1 WHERE id = %s "
            "RETURNING message_count",
            [room.pk],
        )
        return cursor.fetchone()[0]


def send_message(
    room: Room,
    *,
    sender: AddressHashes,
    body: str,
    handle: str = "",
    cookie_key: str = "",
    confirm_risk: bool = False,
    now: datetime | None = None,
) -> Sent:
    """Post `body` to `room` as the next message, or raise a PostingRefused explaining why.

    Bans and word filters are the boards' (chat scope); the rate limit is per poster (an IPv6
    /64 is one) over all rooms, plus the room's slow mode. Risk language is held as on the
    boards: RiskLanguage, so the sender sees help before anyone reads the words, and the same
    text sent again with `confirm_risk` posts, flagged.
    """
    name, trip, body = _clean(handle, body)
    body, masked = mask_personal_info(body)
    safety.check_not_banned(sender, chat=True)
    filtered = safety.apply_word_filters(name=name, body=body, chat=True)
    name, body = filtered.name, filtered.body
    if not body.strip():
        raise InvalidInput({"body": [_("Please write something before sending.")]})
    risk = find_risk_phrases(body)
    if risk and not confirm_risk:
        raise RiskLanguage(risk)
    now = now or timezone.now()
    # The boards' standing and surge hold (forum.surge); the poster cookie is the browser's.
    poster = Poster(sender, cookie_key)
    # Only detection and a surge ask who is new: outside them a message costs no standing query.
    asked = settings.YOAKE_SURGE or room.in_surge(now)
    newcomer = asked and standing.is_newcomer(standing.cookie_hash(poster), now)
    if surge.admit(room, poster, new_thread=False, newcomer=newcomer, now=now).held:
        raise limits.ChatUnavailable()  # only without Redis, which chat cannot do without
    token = limits.claim(sender.poster, room.slug, room.slow_mode_seconds)
    try:
        with transaction.atomic():
            message = Message.objects.create(
                room=room,
                number=_take_number(room),
                handle=name,
                tripcode=trip,
                daily_id=daily_id(sender.poster, f"chat:{room.slug}", now),
                body=body,
                created_at=now,
                address_hash=sender.address,
                range_hash_narrow=sender.narrow,
                range_hash_wide=sender.wide,
                is_risk_flagged=bool(risk),
                is_filter_flagged=filtered.flagged,
            )
            SealedMessageAddress.keep(message, sender)  # only with risk language and a key set
            message.room = room
            if risk:
                review_queue.flag(message, Signal.Source.RISK_LANGUAGE, detail="chat", now=now)
            if filtered.flagged:
                review_queue.flag(message, Signal.Source.WORD_FILTER, detail="chat", now=now)
            transaction.on_commit(lambda: live.message_sent(message))
    except Exception:
        limits.release(sender.poster, room.slug, token)
        raise
    room.message_count = message.number
    surge.note_activity(room, new_thread=False, newcomer=newcomer, now=now)
    return Sent(message=message, risk_phrases=risk, masked=masked)


def _moderate(message: Message, status: str, *, by, reason: str) -> Message:
    now = timezone.now()
    with transaction.atomic():
        Message.objects.filter(pk=message.pk).update(
            status=status, status_reason=reason[:200], moderated_by=by, moderated_at=now
        )
        message.status, message.status_reason = status, reason[:200]
        message.moderated_by, message.moderated_at = by, now
        # The moderators' audit log, in the same transaction as the change (forum.moderation).
        moderation.audit(
            by,
            AuditLog.Action.DELETE_CHAT_MESSAGE
            if status == Message.Status.DELETED_BY_MODERATOR
            else AuditLog.Action.RESTORE_CHAT_MESSAGE,
            message,
            reason=reason,
            object_repr=f"{message.room.slug}#{message.number}",
            daily_id=message.daily_id,
        )
        if status == Message.Status.DELETED_BY_MODERATOR:
            review_queue.settle(message, outcome=ReviewItem.Outcome.DELETED, by=by, now=now)
        transaction.on_commit(lambda: live.message_changed(message))
    return message


def delete_message(message: Message, *, by, reason: str = "") -> Message:
    """A moderator removes a message: everyone in the room sees its placeholder at once.

    `by` is the staff user; the moderators' audit log records it in the same transaction, and
    the room hears of it only when that transaction commits.
    """
    if not (by is not None and by.is_staff):
        raise PostingRefused(_("Only moderators can delete chat messages."))
    return _moderate(message, Message.Status.DELETED_BY_MODERATOR, by=by, reason=reason)


def restore_message(message: Message, *, by, reason: str = "") -> Message:
    """Undo a moderator's deletion; the message reappears for everyone in the room."""
    if not (by is not None and by.is_staff):
        raise PostingRefused(_("Only moderators can restore chat messages."))
    return _moderate(message, Message.Status.VISIBLE, by=by, reason=reason)


def recent_history(room: Room, *, limit: int = HISTORY) -> list[Message]:
    """The last `limit` messages, oldest first (deleted ones as placeholders)."""
    latest = list(Message.objects.filter(room=room).order_by("-number")[:limit])
    for message in latest:
        message.room = room
    return latest[::-1]


def history_since(room: Room, last: int | None, *, upto: int | None = None) -> list[Message]:
    """What a client that saw up to `last` has missed (up to `upto`), oldest first.

    None for `last` means a fresh join: the last HISTORY messages. At most REPLAY_LIMIT + 1 are
    returned, so a caller can tell that more is missing than a replay should carry.
    """
    if last is None:
        return recent_history(room)
    missed = Message.objects.filter(room=room, number__gt=last)
    if upto is not None:
        missed = missed.filter(number__lte=upto)
    messages = list(missed.order_by("number")[: REPLAY_LIMIT + 1])
    for message in messages:
        message.room = room
    return messages


def removed_before(room: Room, last: int, *, window: int = HISTORY * 2) -> list[Message]:
    """Deleted messages among the last `window` up to `last`: a reconnecting client may have
    missed their removal."""
    messages = list(
        Message.objects.filter(room=room, number__lte=last, number__gt=last - window)
        .exclude(status=Message.Status.VISIBLE)
        .order_by("number")
    )
    for message in messages:
        message.room = room
    return messages
