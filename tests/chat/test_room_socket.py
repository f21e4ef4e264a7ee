"""Chat rooms over a real WebSocket: history on joining, replay after a reconnect, sending, an
error event for every refusal, private help on risk language, and live deletions."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth.models import User

from chat import rooms
from forum.addresses import hash_address
from forum.models import Ban, WordFilter
from tests.realtime.sockets import next_frame, nothing_more

pytestmark = pytest.mark.django_db(transaction=True)


def numbers(frame) -> list[int]:
    assert frame["type"] == "messages"
    return [item["number"] for item in frame["messages"]]


def html_of(frame, number: int) -> str:
    return next(item["html"] for item in frame["messages"] if item["number"] == number)


async def answer(socket, kind: str) -> dict:
    """The server's answer to what this client sent; room messages may arrive in between."""
    return await next_frame(socket, kind, passing=("presence", "messages"))


async def say(
    socket, body: str, *, handle: str = "", nonce: str = "n1", confirm_risk: bool = False
) -> None:
    frame = {"type": "send", "handle": handle, "body": body, "nonce": nonce}
    if confirm_risk:
        frame["confirm_risk"] = True
    await socket.send_json_to(frame)


async def test_joining_shows_the_last_fifty_messages_in_order(connect, make_room, send):
    room = await sync_to_async(make_room)(slug="lounge")
    for n in range(55):
        await sync_to_async(send)(room, body=f"old {n}")

    socket = await connect("/ws/chat/lounge/")

    history = await next_frame(socket, "messages")
    assert numbers(history) == list(range(6, 56))
    assert "old 54" in html_of(history, 55)
    presence = await next_frame(socket, "presence")
    assert presence["places"]["room:lounge"]["count"] == 1


async def test_a_message_sent_on_the_socket_reaches_everyone_in_the_room(connect, make_room):
    await sync_to_async(make_room)(slug="lounge")
    alice = await connect("/ws/chat/lounge/", address="203.0.113.1")
    bob = await connect("/ws/chat/lounge/", address="203.0.113.2")

    await say(alice, "<b>good evening</b>", handle="alice#key", nonce="a1")

    assert await answer(alice, "sent") == {"type": "sent", "nonce": "a1", "number": 1}
    arrived = await next_frame(bob, "messages")
    assert numbers(arrived) == [1]
    html = html_of(arrived, 1)
    assert "&lt;b&gt;good evening&lt;/b&gt;" in html and "<b>" not in html
    assert "alice" in html and "◆" in html and "key" not in html.replace("data-", "")


async def test_a_reconnecting_client_gets_exactly_what_it_missed(connect, make_room, send):
    room = await sync_to_async(make_room)(slug="lounge")
    await sync_to_async(send)(room, body="before")
    socket = await connect("/ws/chat/lounge/")
    assert numbers(await next_frame(socket, "messages")) == [1]
    await socket.disconnect()

    for n in range(3):
        await sync_to_async(send)(room, body=f"while away {n}")

    back = await connect("/ws/chat/lounge/?last=1")
    replay = await next_frame(back, "messages")
    assert numbers(replay) == [2, 3, 4]
    assert await nothing_more(back)
    await sync_to_async(send)(room, body="live again")
    assert numbers(await next_frame(back, "messages")) == [5]


async def test_a_client_that_is_up_to_date_gets_no_history_again(connect, make_room, send):
    room = await sync_to_async(make_room)(slug="lounge")
    await sync_to_async(send)(room)
    socket = await connect("/ws/chat/lounge/?last=1")
    assert await nothing_more(socket)


async def test_a_moderator_deletes_a_message_and_it_disappears_for_everyone(
    connect, make_room, send
):
    room = await sync_to_async(make_room)(slug="lounge")
    message = (await sync_to_async(send)(room, body="something nasty")).message
    socket = await connect("/ws/chat/lounge/?last=1")
    moderator = await sync_to_async(User.objects.create_user)("mod", is_staff=True)

    await sync_to_async(rooms.delete_message)(message, by=moderator, reason="harassment")

    removed = await next_frame(socket, "messages")
    assert numbers(removed) == [1]
    assert "removed by a moderator" in html_of(removed, 1)
    assert "nasty" not in html_of(removed, 1)


async def test_a_deletion_missed_while_away_is_replayed(connect, make_room, send):
    room = await sync_to_async(make_room)(slug="lounge")
    message = (await sync_to_async(send)(room, body="something nasty")).message
    moderator = await sync_to_async(User.objects.create_user)("mod", is_staff=True)
    await sync_to_async(rooms.delete_message)(message, by=moderator)

    socket = await connect("/ws/chat/lounge/?last=1")
    replay = await next_frame(socket, "messages")
    assert "removed by a moderator" in html_of(replay, 1)


async def test_only_staff_may_delete(make_room, send):
    room = await sync_to_async(make_room)()
    message = (await sync_to_async(send)(room)).message
    someone = await sync_to_async(User.objects.create_user)("someone")
    with pytest.raises(rooms.PostingRefused):
        await sync_to_async(rooms.delete_message)(message, by=someone)


# --- every refusal is a clear error event ----------------------------------------------------


async def refusal(socket, body: str, **kwargs) -> dict:
    await say(socket, body, nonce="x", **kwargs)
    error = await answer(socket, "error")
    assert error["nonce"] == "x" and error["message"]
    return error


async def test_too_long_empty_and_long_handles_are_refused(connect, make_room):
    await sync_to_async(make_room)(slug="lounge")
    socket = await connect("/ws/chat/lounge/")
    assert (await refusal(socket, "a" * 501))["code"] == "too_long"
    assert (await refusal(socket, "   "))["code"] == "invalid"
    error = await refusal(socket, "hi", handle="h" * 40)
    assert error["code"] == "invalid" and error["field"] == "handle"


async def test_a_frame_over_four_kilobytes_is_refused_and_closed(connect, make_room):
    await sync_to_async(make_room)(slug="lounge")
    socket = await connect("/ws/chat/lounge/")
    await socket.send_to(text_data=json.dumps({"type": "send", "body": "x" * 4100}))
    assert (await next_frame(socket, "error"))["code"] == "too_large"
    closed = await socket.receive_output(timeout=2)
    assert closed == {"type": "websocket.close", "code": 1009}


async def test_unreadable_frames_are_refused(connect, make_room):
    await sync_to_async(make_room)(slug="lounge")
    socket = await connect("/ws/chat/lounge/")
    await socket.send_to(text_data="not json")
    assert (await next_frame(socket, "error"))["code"] == "malformed"
    await socket.send_json_to({"type": "send", "body": ["not", "text"]})
    assert (await next_frame(socket, "error"))["code"] == "malformed"


async def test_a_banned_sender_is_told_why(connect, make_room):
    await sync_to_async(make_room)(slug="lounge")
    await sync_to_async(Ban.objects.create)(
        kind="address",
        target_hash=hash_address("203.0.113.66").address,
        scope="chat",
        reason="flooding",
    )
    socket = await connect("/ws/chat/lounge/", address="203.0.113.66")
    error = await refusal(socket, "hello")
    assert error["code"] == "banned" and "flooding" in error["message"]
    assert "This ban has no end date" in error["message"]


async def test_a_banned_sender_is_told_when_the_ban_ends_in_their_language(connect, make_room):
    await sync_to_async(make_room)(slug="lounge")
    await sync_to_async(Ban.objects.create)(
        kind="address",
        target_hash=hash_address("203.0.113.66").address,
        scope="chat",
        reason="flooding",
        expires_at=datetime(2099, 1, 2, 15, 30, tzinfo=UTC),  # 00:30 on the 3rd in Tokyo
    )
    socket = await connect("/ws/chat/lounge/?lang=ja", address="203.0.113.66")
    error = await refusal(socket, "hello")
    assert error["code"] == "banned"
    assert "禁止は2099/01/03 00:30（JST）に解除されます。" in error["message"]


async def test_a_handle_that_claims_a_role_is_refused(connect, make_room):
    await sync_to_async(make_room)(slug="lounge")
    socket = await connect("/ws/chat/lounge/")
    error = await refusal(socket, "hello", handle="ＭＯＤＥＲＡＴＯＲ")
    assert error["code"] == "invalid" and error["field"] == "handle"


async def test_blocked_words_are_refused(connect, make_room):
    await sync_to_async(make_room)(slug="lounge")
    await sync_to_async(WordFilter.objects.create)(pattern="casino", action="block")
    socket = await connect("/ws/chat/lounge/")
    assert (await refusal(socket, "best casino here"))["code"] == "refused"


async def test_the_sixth_message_in_ten_seconds_waits(connect, make_room):
    await sync_to_async(make_room)(slug="lounge")
    socket = await connect("/ws/chat/lounge/")
    for n in range(5):
        await say(socket, f"hello {n}", nonce=str(n))
        assert (await answer(socket, "sent"))["nonce"] == str(n)
    error = await refusal(socket, "one too many")
    assert error["code"] == "rate_limited" and 1 <= error["wait"] <= 10


async def test_slow_mode_is_refused_with_the_wait(connect, make_room):
    await sync_to_async(make_room)(slug="checkin", slow_mode_seconds=30)
    socket = await connect("/ws/chat/checkin/")
    await say(socket, "slept ok")
    await answer(socket, "sent")
    error = await refusal(socket, "and ate rice")
    assert error["code"] == "slow_mode" and error["wait"] >= 25


async def test_errors_come_in_the_senders_language(connect, make_room):
    await sync_to_async(make_room)(slug="lounge")
    socket = await connect("/ws/chat/lounge/?lang=ja")
    error = await refusal(socket, "a" * 501)
    assert "500" in error["message"] and "characters" not in error["message"]


async def test_risk_language_posts_and_shows_help_only_to_the_sender(
    connect, make_room, make_risk_phrase, make_help_line
):
    await sync_to_async(make_room)(slug="lounge")
    await sync_to_async(make_risk_phrase)(phrase="want to die")
    await sync_to_async(make_help_line)(country="JP", kind="emergency", name_en="Emergency 119")
    sender = await connect("/ws/chat/lounge/?tz=Asia/Tokyo", address="203.0.113.1")
    other = await connect("/ws/chat/lounge/", address="203.0.113.2")

    await say(sender, "i want to die tonight", nonce="n1")

    # Held: help first, for the sender only, and nothing reaches the room.
    help_frame = await answer(sender, "help")
    assert help_frame["held"] is True and help_frame["nonce"] == "n1"
    assert "Emergency 119" in help_frame["html"]
    assert "has not been sent yet" in help_frame["html"]
    assert help_frame["html"].count('href="tel:') <= 3
    assert await nothing_more(other)
    assert await sync_to_async(rooms.Message.objects.count)() == 0

    await say(sender, "i want to die tonight", nonce="n2", confirm_risk=True)

    assert (await answer(sender, "sent"))["number"] == 1
    assert numbers(await next_frame(other, "messages")) == [1]
    assert await nothing_more(other)  # no help for anyone else
    message = await sync_to_async(rooms.recent_history)(
        await sync_to_async(rooms.Room.objects.get)(slug="lounge")
    )
    assert message[0].is_risk_flagged


async def test_the_help_in_a_room_is_for_where_the_sender_is(
    connect, make_room, make_risk_phrase, make_help_line
):
    await sync_to_async(make_room)(slug="lounge")
    await sync_to_async(make_risk_phrase)(phrase="want to die")
    await sync_to_async(make_help_line)(country="JP", kind="emergency", name_en="Emergency 119")
    await sync_to_async(make_help_line)(country="GB", kind="emergency", name_en="Emergency 999")
    sender = await connect("/ws/chat/lounge/", headers={"Accept-Language": "en-GB,en;q=0.9"})

    await say(sender, "i want to die tonight")

    help_frame = await answer(sender, "help")
    assert "Emergency 999" in help_frame["html"] and "Emergency 119" not in help_frame["html"]
    assert "Not in the UK?" in help_frame["html"]
    assert 'href="/support/country/?next=/chat/lounge/"' in help_frame["html"]


async def test_a_room_that_does_not_exist_refuses_the_socket(connect):
    assert await connect("/ws/chat/nowhere/", expect_refusal=True) == 4404
