"""Sealed addresses for emergencies: with the operator's public key set, the address behind a post
or chat message with risk language is kept sealed for 7 days, and only the offline private key
opens it, through `manage.py unseal`, with a reason in the audit log."""

from __future__ import annotations

import base64
import logging
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.utils import timezone
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, SealedBox

from chat.models import SealedMessageAddress
from forum.addresses import hash_address
from forum.management.commands.purge_address_hashes import purge
from forum.models import AuditLog, Post, SealedAddress
from tests.twoch.conftest import cp932_form, post_bbs_cgi, reply_form

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.77"


@pytest.fixture
def operator_key(settings) -> PrivateKey:
    """The operator's key pair: the server is given only the public half."""
    private = PrivateKey.generate()
    settings.SEALED_ADDRESS_PUBLIC_KEY = bytes(private.public_key)
    return private


@pytest.fixture
def key_file(tmp_path, operator_key):
    """The private key as the operator keeps it offline: base64 in a file."""
    path = tmp_path / "yoake-unseal.key"
    path.write_text(base64.b64encode(bytes(operator_key)).decode() + "\n")
    return path


@pytest.fixture
def phrases(make_risk_phrase):
    make_risk_phrase(phrase="want to die", language="en")
    make_risk_phrase(phrase="消えたい", language="ja")


def post_anyway(client, thread, body: str = "tonight I want to die") -> Post:
    """Post risky text from ADDRESS through the web form, confirming past the help lines."""
    client.cookies["yoake_poster"] = "k"
    response = client.post(
        thread.get_absolute_url(), {"body": body, "confirm_risk": "1"}, REMOTE_ADDR=ADDRESS
    )
    assert response.status_code == 302
    return thread.posts.order_by("-number").first()


def unseal(target: str, key_file, *, reason: str = "Police request 2026-118", **options) -> str:
    out = StringIO()
    call_command("unseal", target, key_file=str(key_file), reason=reason, stdout=out, **options)
    return out.getvalue()


def test_a_risky_post_keeps_its_address_sealed_and_the_offline_key_opens_it_with_an_audit_row(
    client, phrases, make_thread, key_file, make_moderator
):
    thread = make_thread()
    post = post_anyway(client, thread)
    assert post.is_risk_flagged
    assert SealedAddress.objects.filter(post=post).exists()
    make_moderator(username="operator")

    printed = unseal(f"/{thread.board.slug}/{thread.key}/{post.number}", key_file, by="operator")

    assert printed == f"{ADDRESS}\n"
    entry = AuditLog.objects.get(action=AuditLog.Action.UNSEAL_ADDRESS)
    assert entry.actor.username == entry.actor_name == "operator"
    assert entry.reason == "Police request 2026-118"
    assert (entry.object_type, entry.object_id) == ("post", post.pk)
    assert entry.object_repr == f"/{thread.board.slug}/{thread.key}/{post.number}"
    assert ADDRESS not in str(entry.details)  # the log says that it was opened, not what it said


def test_an_operator_without_an_account_is_named_in_the_log_and_system_when_unnamed(
    client, phrases, make_thread, key_file
):
    post = post_anyway(client, make_thread())

    assert unseal(str(post.pk), key_file, by="night-operator") == f"{ADDRESS}\n"
    assert unseal(str(post.pk), key_file) == f"{ADDRESS}\n"

    names = AuditLog.objects.filter(action=AuditLog.Action.UNSEAL_ADDRESS).values_list(
        "actor_name", flat=True
    )
    assert sorted(names) == ["night-operator", "system"]


def test_a_risky_post_from_a_2channel_browser_is_sealed_too(
    client, phrases, make_board, make_thread, key_file
):
    thread = make_thread(board=make_board(slug="night"))
    client.cookies["yoake_poster"] = "jdim-delete-key"
    client.defaults["REMOTE_ADDR"] = ADDRESS
    # The form a browser posts again after the confirmation page (tests/twoch).
    form = (
        reply_form("night", thread.key, body="もう消えたい")
        + b"&"
        + cp932_form(("yoake_confirm", "1"))
    )
    post_bbs_cgi(client, form)

    assert thread.posts.get(number=2).is_risk_flagged
    assert unseal(f"/night/{thread.key}/2", key_file) == f"{ADDRESS}\n"


def test_a_risky_chat_message_is_sealed_and_opened_by_its_room_and_number(
    client, phrases, make_room, key_file
):
    make_room(slug="lounge")
    client.post(
        "/chat/lounge/", {"body": "I want to die", "confirm_risk": "1"}, REMOTE_ADDR=ADDRESS
    )
    sealed = SealedMessageAddress.objects.get()
    assert sealed.message.number == 1

    assert unseal("/chat/lounge/1", key_file) == f"{ADDRESS}\n"
    assert unseal("lounge#1", key_file) == f"{ADDRESS}\n"
    entry = AuditLog.objects.filter(action=AuditLog.Action.UNSEAL_ADDRESS).first()
    assert (entry.object_type, entry.object_repr) == ("message", "lounge#1")


def test_the_server_alone_cannot_open_a_sealed_address(
    client, phrases, make_thread, operator_key, settings, tmp_path
):
    post = post_anyway(client, make_thread())
    ciphertext = bytes(SealedAddress.objects.get(post=post).ciphertext)

    # The address is nowhere in the stored bytes, in any spelling.
    for spelling in (ADDRESS.encode(), ADDRESS.encode("utf-16-le"), bytes([203, 0, 113, 77])):
        assert spelling not in ciphertext
    # Settings hold only the public key; it does not open the box as a private key either.
    every_setting = [
        getattr(django_settings, name) for name in dir(django_settings) if name.isupper()
    ]
    assert settings.SEALED_ADDRESS_PUBLIC_KEY in every_setting
    assert bytes(operator_key) not in every_setting
    with pytest.raises(CryptoError):
        SealedBox(PrivateKey(settings.SEALED_ADDRESS_PUBLIC_KEY)).decrypt(ciphertext)
    # Another key pair (a guess, a stolen development key) opens nothing and logs nothing.
    other = tmp_path / "other.key"
    other.write_text(bytes(PrivateKey.generate()).hex())
    with pytest.raises(CommandError, match="not the site's key"):
        unseal(str(post.pk), other)
    assert not AuditLog.objects.filter(action=AuditLog.Action.UNSEAL_ADDRESS).exists()


def test_nothing_is_sealed_when_the_key_is_unset(client, phrases, make_thread, settings):
    settings.SEALED_ADDRESS_PUBLIC_KEY = b""
    post = post_anyway(client, make_thread())
    assert post.is_risk_flagged
    assert hash_address(ADDRESS).sealed_address == b""
    assert not SealedAddress.objects.exists()


def test_nothing_is_sealed_for_a_post_or_message_without_risk_language(
    client, phrases, make_thread, make_room, key_file
):
    thread = make_thread()
    client.cookies["yoake_poster"] = "k"
    client.post(thread.get_absolute_url(), {"body": "good evening"}, REMOTE_ADDR=ADDRESS)
    make_room(slug="lounge")
    client.post("/chat/lounge/", {"body": "good evening"}, REMOTE_ADDR=ADDRESS)

    assert thread.posts.count() == 2
    assert not SealedAddress.objects.exists() and not SealedMessageAddress.objects.exists()
    with pytest.raises(CommandError, match="No sealed address is kept"):
        unseal(f"/{thread.board.slug}/{thread.key}/2", key_file)


def test_the_address_is_never_logged_while_posting_or_unsealing(
    client, phrases, make_thread, key_file, caplog
):
    caplog.set_level(logging.DEBUG)
    post = post_anyway(client, make_thread())
    unseal(str(post.pk), key_file)
    assert ADDRESS not in caplog.text


def test_unsealing_needs_a_reason_and_a_readable_key(client, phrases, make_thread, key_file):
    post = post_anyway(client, make_thread())
    with pytest.raises(CommandError, match="Please give a reason"):
        unseal(str(post.pk), key_file, reason="   ")
    with pytest.raises(CommandError, match="--reason"):
        call_command("unseal", str(post.pk), key_file=str(key_file))
    broken = key_file.with_name("broken.key")
    broken.write_text("not a key")
    with pytest.raises(CommandError, match="Cannot read a private key"):
        unseal(str(post.pk), broken)
    assert not AuditLog.objects.filter(action=AuditLog.Action.UNSEAL_ADDRESS).exists()


def test_sealed_addresses_are_deleted_after_seven_days(
    client, phrases, make_thread, make_room, key_file
):
    thread = make_thread()
    post = post_anyway(client, thread)
    make_room(slug="lounge")
    client.post(
        "/chat/lounge/", {"body": "I want to die", "confirm_risk": "1"}, REMOTE_ADDR=ADDRESS
    )
    later = timezone.now()

    kept = purge(older_than=timedelta(days=30), now=later + timedelta(days=6, hours=23))
    assert kept["forum.SealedAddress (deleted)"] == 0
    assert SealedAddress.objects.exists() and SealedMessageAddress.objects.exists()

    gone = purge(older_than=timedelta(days=30), now=later + timedelta(days=7, minutes=1))
    assert gone["forum.SealedAddress (deleted)"] == 1
    assert gone["chat.SealedMessageAddress (deleted)"] == 1
    assert not SealedAddress.objects.exists() and not SealedMessageAddress.objects.exists()
    post.refresh_from_db()
    assert post.body and post.address_hash  # the post and its 30-day hashes stay
    with pytest.raises(CommandError, match="deleted after 7 days"):
        unseal(str(post.pk), key_file)
