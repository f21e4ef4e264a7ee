"""Chat messages in the admin: removed live with a reason, restored, their sender banned."""

import pytest
from django.urls import reverse

from chat.models import Message
from forum.errors import Banned
from forum.models import AuditLog, Ban

pytestmark = pytest.mark.django_db


def test_a_moderator_removes_a_message_with_a_reason_and_the_log_says_so(
    moderator_client, admin_action, make_room, send
):
    room = make_room(slug="lounge")
    message = send(room, body="rude words").message

    response = admin_action(
        moderator_client, "chat_message", "remove_messages", [message], reason="rude"
    )

    assert response.status_code == 302
    message.refresh_from_db()
    assert (message.status, message.status_reason) == ("deleted_by_moderator", "rude")
    entry = AuditLog.objects.get()
    assert (entry.action, entry.object_type, entry.object_id, entry.reason) == (
        "delete_chat_message",
        "message",
        message.pk,
        "rude",
    )
    assert entry.object_repr == f"lounge#{message.number}"
    log = moderator_client.get(reverse("admin:forum_auditlog_changelist")).content.decode()
    assert reverse("admin:chat_message_change", args=[message.pk]) in log


def test_a_removed_message_can_be_restored(moderator_client, admin_action, make_room, send):
    message = send(make_room(), body="misunderstood").message
    admin_action(moderator_client, "chat_message", "remove_messages", [message], reason="r")
    admin_action(moderator_client, "chat_message", "restore_messages", [message])
    message.refresh_from_db()
    assert message.status == Message.Status.VISIBLE
    assert list(AuditLog.objects.order_by("id").values_list("action", flat=True)) == [
        "delete_chat_message",
        "restore_chat_message",
    ]


def test_banning_a_chat_sender_keeps_them_out_of_chat(
    moderator_client, admin_action, make_room, send
):
    room = make_room()
    message = send(room, body="spam", address="203.0.113.31").message

    admin_action(
        moderator_client,
        "chat_message",
        "ban_senders",
        [message],
        kind="address",
        scope="chat",
        duration="1d",
        reason="Spamming the lounge",
    )

    ban = Ban.objects.get()
    assert (ban.scope, ban.target_hash) == ("chat", message.address_hash)
    with pytest.raises(Banned, match="Spamming the lounge"):
        send(room, body="more spam", address="203.0.113.31")
    assert AuditLog.objects.get().details["post"] == f"{room.slug}#{message.number}"


def test_the_message_list_shows_a_hash_prefix_only(moderator_client, make_room, send):
    message = send(make_room(), body="hello").message
    page = moderator_client.get(reverse("admin:chat_message_changelist")).content.decode()
    assert message.address_hash[:10] in page
    assert message.address_hash[:11] not in page
