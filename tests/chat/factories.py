"""Chat factory fixtures, with keyword-only arguments; messages go through chat.rooms."""

from __future__ import annotations

import pytest


@pytest.fixture
def make_room(db):
    from chat.models import Room

    counter = iter(range(1, 10_000))

    def make(*, slug: str | None = None, **fields):
        n = next(counter)
        fields.setdefault("title_en", f"Room {n}")
        fields.setdefault("title_ja", f"部屋{n}")
        return Room.objects.create(slug=slug or f"room-{n}", **fields)

    return make


@pytest.fixture
def send(db):
    """send(room, body=…, address=…, handle=…, confirm_risk=…) through chat.rooms.send_message; a fresh
    address each time unless given, so the per-address rate limit stays out of the way."""
    from chat.rooms import send_message
    from forum.addresses import hash_address

    counter = iter(range(1, 1_000_000))

    def make(
        room,
        *,
        body: str | None = None,
        address: str | None = None,
        handle: str = "",
        confirm_risk: bool = False,
    ):
        n = next(counter)
        return send_message(
            room,
            sender=hash_address(address or f"192.0.2.{n % 250 + 1}"),
            handle=handle,
            body=body or f"message {n}",
            confirm_risk=confirm_risk,
        )

    return make
