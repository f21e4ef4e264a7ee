"""What a room's readers are sent: messages rendered once per language by chat/_message.html
(the partial the room page uses), published after commit through realtime.broadcast.

Frames sent to a room's readers (JSON), besides the shared "presence" and "error" frames:
    {"type": "messages", "messages": [{"number": 7, "html": "<li …>"}, …]}
        each message replaces the one with that number or, if new, is inserted in order;
    {"type": "sent", "nonce": "…", "number": 7}   your message was accepted;
    {"type": "help", "held": true, "nonce": "…", "html": "<section …>"}
        your message has risk language and waits: help lines, for the sender's eyes only;
    {"type": "reload"}                            more was missed than a replay carries.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable

from django.template.loader import render_to_string
from django.utils import translation

from chat.models import Message
from realtime.broadcast import broadcast, languages

logger = logging.getLogger(__name__)


def room_group(slug: str) -> str:
    return f"chat.{slug}"


def render_messages(messages: Iterable[Message], language: str) -> list[dict]:
    with translation.override(language):
        return [
            {"number": m.number, "html": render_to_string("chat/_message.html", {"m": m})}
            for m in messages
        ]


def messages_frame(items: list[dict]) -> str:
    return json.dumps({"type": "messages", "messages": items}, ensure_ascii=False)


def frames_for(messages: list[Message]) -> dict[str, str]:
    return {
        language: messages_frame(render_messages(messages, language)) for language in languages()
    }


def _announce(kind: str, message: Message) -> None:
    try:
        broadcast(
            room_group(message.room.slug),
            {"type": kind, "number": message.number, "frames": frames_for([message])},
        )
    except Exception:  # the message is saved; a failed live update must not make it an error
        logger.exception("could not announce %s", kind)


def message_sent(message: Message) -> None:
    _announce("chat.message", message)


def message_changed(message: Message) -> None:
    """Deleted or restored by a moderator."""
    _announce("chat.changed", message)
