"""chat.rooms.send_message: numbering, handles and tripcodes, daily IDs, and every limit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from chat import limits
from chat.models import Message
from chat.rooms import MessageTooLong, send_message
from forum.addresses import hash_address
from forum.errors import Banned, InvalidInput, PostingRefused, RiskLanguage
from forum.models import Ban, WordFilter
from forum.tripcode import tripcode

pytestmark = pytest.mark.django_db


def test_messages_are_numbered_one_after_another_per_room(make_room, send):
    lounge, family = make_room(), make_room()
    numbers = [send(lounge).message.number for _ in range(3)] + [send(family).message.number]
    assert numbers == [1, 2, 3, 1]
    lounge.refresh_from_db()
    assert lounge.message_count == 3


def test_a_handle_with_a_key_gets_the_boards_tripcode_and_a_diamond_is_disarmed(make_room, send):
    room = make_room()
    message = send(room, handle="夜の人☆◆#secret").message
    assert message.handle == "夜の人☆◇"
    assert message.tripcode == tripcode("secret")
    assert send(room, handle="").message.handle == ""


@pytest.mark.parametrize("handle", ["夜の人★", "ＡＤＭＩＮ", "管 理 人#key", "m o d e r a t o r"])
def test_a_handle_that_claims_a_role_or_carries_a_star_is_refused(make_room, send, handle):
    room = make_room()
    with pytest.raises(InvalidInput) as refused:
        send(room, handle=handle)
    assert list(refused.value.errors) == ["handle"]
    assert not Message.objects.filter(room=room).exists()


def test_daily_ids_are_per_room_and_per_day(make_room):
    lounge, family = make_room(), make_room()
    me = hash_address("203.0.113.5")
    today = timezone.now()
    first = send_message(lounge, sender=me, body="a", now=today).message.daily_id
    again = send_message(lounge, sender=me, body="b", now=today).message.daily_id
    elsewhere = send_message(family, sender=me, body="c", now=today).message.daily_id
    tomorrow = send_message(lounge, sender=me, body="d", now=today + timedelta(days=1))
    assert first == again
    assert len(first) == 8
    assert elsewhere != first
    assert tomorrow.message.daily_id != first


def test_no_raw_address_is_stored(make_room):
    message = send_message(make_room(), sender=hash_address("203.0.113.5"), body="hi").message
    stored = Message.objects.filter(pk=message.pk).values().get()
    assert "203.0.113.5" not in repr(stored)
    assert stored["address_hash"] == hash_address("203.0.113.5").address


def test_five_hundred_characters_fit_and_five_hundred_and_one_do_not(make_room, send):
    room = make_room()
    assert len(send(room, body="あ" * 500).message.body) == 500
    with pytest.raises(MessageTooLong) as refused:
        send(room, body="あ" * 501)
    assert "500" in refused.value.message and "501" in refused.value.message


def test_an_empty_or_whitespace_message_is_refused(make_room, send):
    with pytest.raises(InvalidInput) as refused:
        send(make_room(), body=" \n\u202e ")
    assert "write something" in refused.value.message


def test_a_long_handle_is_refused_with_the_count(make_room, send):
    with pytest.raises(InvalidInput) as refused:
        send(make_room(), handle="x" * 33)
    assert refused.value.errors["handle"]


def test_control_and_bidi_characters_are_removed(make_room, send):
    assert send(make_room(), body="a\u202eb\x00c").message.body == "abc"


@pytest.mark.parametrize("scope", [Ban.Scope.SITE, Ban.Scope.CHAT])
def test_a_banned_address_cannot_chat(make_room, scope):
    me = hash_address("203.0.113.9")
    Ban.objects.create(kind="address", target_hash=me.address, scope=scope, reason="spam links")
    with pytest.raises(Banned) as refused:
        send_message(make_room(), sender=me, body="hello")
    assert "spam links" in refused.value.message


def test_a_range_ban_reaches_the_whole_network(make_room):
    network = hash_address("203.0.113.9").narrow
    Ban.objects.create(kind="narrow", target_hash=network, scope="chat", reason="raid")
    with pytest.raises(Banned):
        send_message(make_room(), sender=hash_address("203.0.113.200"), body="hello")


def test_an_expired_ban_or_a_board_ban_does_not_stop_chat(make_room, make_board):
    me = hash_address("203.0.113.9")
    Ban.objects.create(
        kind="address",
        target_hash=me.address,
        reason="old",
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    Ban.objects.create(
        kind="address", target_hash=me.address, scope="board", board=make_board(), reason="b"
    )
    assert send_message(make_room(), sender=me, body="hello").message.number == 1


def test_word_filters_block_replace_and_flag_in_chat(make_room, send):
    WordFilter.objects.create(pattern="buy now", action="block")
    WordFilter.objects.create(pattern="idiot", action="replace", replacement="***")
    WordFilter.objects.create(pattern="meetup", action="flag")
    WordFilter.objects.create(pattern="boardsonly", action="block", applies_to_chat=False)
    room = make_room()
    with pytest.raises(PostingRefused) as refused:
        send(room, body="BUY NOW cheap")
    assert "not allowed" in refused.value.message
    assert send(room, body="you idiot").message.body == "you ***"
    assert send(room, body="a meetup?").message.is_filter_flagged
    assert send(room, body="boardsonly is fine here").message.number == 3


def test_five_messages_in_ten_seconds_then_a_clear_wait(make_room, send):
    room = make_room()
    for n in range(5):
        send(room, address="203.0.113.1", body=f"quick {n}")
    with pytest.raises(limits.RateLimited) as refused:
        send(room, address="203.0.113.1", body="one too many")
    assert 1 <= refused.value.wait <= 10
    assert "wait" in refused.value.message
    # Someone else is not held up, and the limit covers every room.
    assert send(room, address="203.0.113.2").message.number == 6
    with pytest.raises(limits.RateLimited):
        send(make_room(), address="203.0.113.1")


def test_the_rate_limit_window_slides(make_room, send, settings):
    settings.YOAKE_CHAT_RATE_COUNT, settings.YOAKE_CHAT_RATE_SECONDS = 2, 1
    room = make_room()
    send(room, address="203.0.113.1")
    send(room, address="203.0.113.1")
    with pytest.raises(limits.RateLimited):
        send(room, address="203.0.113.1")
    import time

    time.sleep(1.1)  # the window is wall-clock time in Redis
    assert send(room, address="203.0.113.1").message.number == 3


def test_slow_mode_spaces_one_persons_messages_in_that_room(make_room, send):
    slow, normal = make_room(slow_mode_seconds=30), make_room()
    send(slow, address="203.0.113.1")
    with pytest.raises(limits.SlowMode) as refused:
        send(slow, address="203.0.113.1")
    assert 25 <= refused.value.wait <= 30
    assert "slow mode" in refused.value.message
    assert send(slow, address="203.0.113.2").message.number == 2
    assert send(normal, address="203.0.113.1").message.number == 1


def test_a_refused_message_does_not_use_up_the_rate_limit(make_room, send):
    room = make_room()
    for _ in range(5):
        with pytest.raises(MessageTooLong):
            send(room, address="203.0.113.1", body="x" * 501)
    assert send(room, address="203.0.113.1").message.number == 1


def test_risk_language_is_held_until_the_sender_confirms(make_room, send, make_risk_phrase):
    make_risk_phrase(phrase="want to die")
    room = make_room()
    with pytest.raises(RiskLanguage) as held:
        send(room, body="some nights I want to die")
    assert held.value.phrases == ["want to die"]
    assert not Message.objects.exists()


def test_risk_language_confirmed_sends_flagged_and_names_the_phrases(
    make_room, send, make_risk_phrase
):
    make_risk_phrase(phrase="want to die")
    sent = send(make_room(), body="some nights I want to die", confirm_risk=True)
    assert sent.risk_phrases == ["want to die"]
    assert sent.message.is_risk_flagged
    assert Message.objects.get(pk=sent.message.pk).body == "some nights I want to die"


def test_eleven_lines_are_too_many_for_one_message(make_room, send):
    with pytest.raises(InvalidInput) as refused:
        send(make_room(), body="\n".join(["line"] * 11))
    assert "10 lines" in refused.value.message
    assert send(make_room(), body="\n".join(["line"] * 10)).message.body.count("\n") == 9


def test_sending_takes_a_handful_of_queries(make_room, send, django_assert_max_num_queries):
    room = make_room()
    send(room)  # word filters and risk phrases are cached after the first message
    with django_assert_max_num_queries(6):
        send(room)
