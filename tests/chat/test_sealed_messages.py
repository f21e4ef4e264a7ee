"""A chat message with risk language sent over the room's WebSocket keeps its sender's address
sealed to the operator's key, like the room page's form (tests/moderation/test_sealed_addresses)."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from nacl.public import PrivateKey, SealedBox

from chat.models import SealedMessageAddress
from tests.chat.test_room_socket import answer, say

pytestmark = pytest.mark.django_db(transaction=True)


async def test_a_risky_message_over_the_socket_is_sealed_and_a_calm_one_is_not(
    connect, make_room, make_risk_phrase, settings
):
    operator = PrivateKey.generate()
    settings.SEALED_ADDRESS_PUBLIC_KEY = bytes(operator.public_key)
    await sync_to_async(make_room)(slug="lounge")
    await sync_to_async(make_risk_phrase)(phrase="want to die")
    sender = await connect("/ws/chat/lounge/", address="203.0.113.5")

    await say(sender, "good evening", nonce="n1")
    assert (await answer(sender, "sent"))["number"] == 1
    await say(sender, "i want to die tonight", nonce="n2", confirm_risk=True)
    assert (await answer(sender, "sent"))["number"] == 2

    sealed = await sync_to_async(list)(SealedMessageAddress.objects.select_related("message"))
    assert [row.message.number for row in sealed] == [2]
    assert SealedBox(operator).decrypt(bytes(sealed[0].ciphertext)) == b"203.0.113.5"
