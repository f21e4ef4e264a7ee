"""The chat room has the boards' standing, /64 rule and surge hold: in a surge, a browser new to
Yoake waits a moment before its first message; people with standing notice nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone

from chat.rooms import send_message
from forum import surge
from forum.addresses import hash_address
from forum.models import SurgeState
from forum.standing import cookie_hash, note_seen
from forum.surge import SurgeCheck
from tests.factories import poster_from
from tests.realtime.sockets import next_frame

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def busy_room(make_room):
    room = make_room(slug="lounge")
    surge.switch(room, SurgeState.Switch.ON, by=None)
    return room


def _established(key: str) -> None:
    note_seen(cookie_hash(poster_from(delete_key=key)), timezone.now() - timedelta(days=10))


def test_a_newcomers_first_message_in_a_surge_waits_the_hold_then_goes(busy_room):
    now, sender = timezone.now(), hash_address("2001:db8:5:1::1")
    with pytest.raises(SurgeCheck) as held:
        send_message(busy_room, sender=sender, body="hello?", cookie_key="fresh", now=now)
    assert "This room is very busy" in held.value.message
    assert held.value.wait == surge.HOLD_SECONDS and held.value.challenge is None
    # The same /64 is the same person: its other address waits the same hold.
    with pytest.raises(SurgeCheck) as same_home:
        send_message(
            busy_room,
            sender=hash_address("2001:db8:5:1::2"),
            body="hello?",
            cookie_key="fresh",
            now=now + timedelta(seconds=10),
        )
    assert same_home.value.wait == surge.HOLD_SECONDS - 10
    later = now + timedelta(seconds=surge.HOLD_SECONDS + 1)
    sent = send_message(busy_room, sender=sender, body="hello?", cookie_key="fresh", now=later)
    assert sent.message.number == 1


def test_someone_with_standing_chats_through_a_surge_without_noticing(busy_room):
    _established("regular")
    sent = send_message(
        busy_room, sender=hash_address("192.0.2.9"), body="hi", cookie_key="regular"
    )
    assert sent.message.number == 1


def test_newcomers_flooding_a_quiet_room_start_its_surge(make_room, settings):
    settings.YOAKE_SURGE = True
    room = make_room(slug="quiet")
    now = timezone.now()
    for n in range(surge.MIN_NEWCOMER_POSTS):
        send_message(
            room,
            sender=hash_address(f"198.51.100.{n + 1}"),
            body=f"spam {n}",
            now=now + timedelta(seconds=n),
        )
    room.refresh_from_db()
    assert room.in_surge(now + timedelta(minutes=1))
    assert "posts from new browsers" in room.surge_reason


async def test_on_the_socket_the_hold_is_an_error_with_its_wait_and_standing_passes(
    connect, busy_room
):
    await sync_to_async(_established)("regular")
    newcomer = await connect("/ws/chat/lounge/", address="203.0.113.8", poster_cookie="fresh")
    regular = await connect("/ws/chat/lounge/", address="203.0.113.9", poster_cookie="regular")

    await newcomer.send_json_to({"type": "send", "handle": "", "body": "hey", "nonce": "n1"})
    refused = await next_frame(newcomer, "error", passing=("presence", "messages"))
    assert refused["code"] == "surge_hold" and refused["wait"] == surge.HOLD_SECONDS
    assert "very busy" in refused["message"]

    await regular.send_json_to({"type": "send", "handle": "", "body": "evening", "nonce": "r1"})
    sent = await next_frame(regular, "sent", passing=("presence", "messages"))
    assert sent["nonce"] == "r1"
