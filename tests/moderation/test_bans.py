"""Bans by address, daily ID and network range, with scope and expiry, made in the admin."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forum import moderation
from forum.addresses import hash_address
from forum.errors import Banned
from forum.models import AuditLog, Ban
from tests.moderation.helpers import reader, reply

pytestmark = pytest.mark.django_db

TROLL = "203.0.113.80"


def send_chat(address: str, body: str):
    from chat.models import Room
    from chat.rooms import send_message

    room, _ = Room.objects.get_or_create(
        slug="lounge", defaults={"title_en": "Night lounge", "title_ja": "夜のラウンジ"}
    )
    return send_message(room, sender=hash_address(address), body=body)


def troll_post(thread):
    assert reply(reader(TROLL), thread, f"bait {timezone.now().timestamp()}").status_code == 302
    return thread.posts.order_by("-number").first()


def ban_from_admin(client, admin_action, post, **fields):
    defaults = {"kind": "address", "scope": "site", "duration": "1d", "reason": "Trolling"}
    return admin_action(client, "forum_post", "ban_posters", [post], **{**defaults, **fields})


def test_a_site_ban_stops_posting_on_every_board_and_in_chat(
    moderator_client, admin_action, make_board, make_thread
):
    here, elsewhere = make_thread(board=make_board()), make_thread(board=make_board())
    ban_from_admin(moderator_client, admin_action, troll_post(here), reason="Site-wide trolling")

    for thread in (here, elsewhere):
        refused = reply(reader(TROLL), thread, "again")
        assert refused.status_code == 403
        assert "Site-wide trolling" in refused.content.decode()
    with pytest.raises(Banned, match="Site-wide trolling"):
        send_chat(TROLL, "hello lounge")


def test_a_board_ban_stops_posting_only_on_that_board(
    moderator_client, admin_action, make_board, make_thread
):
    here, elsewhere = make_thread(board=make_board()), make_thread(board=make_board())
    ban_from_admin(moderator_client, admin_action, troll_post(here), scope="board")

    ban = Ban.objects.get()
    assert (ban.scope, ban.board) == ("board", here.board)
    assert reply(reader(TROLL), here, "again").status_code == 403
    assert reply(reader(TROLL), elsewhere, "over here then").status_code == 302
    assert send_chat(TROLL, "chat is fine").message.pk


def test_a_chat_ban_stops_chat_but_not_the_boards(moderator_client, admin_action, make_thread):
    thread = make_thread()
    ban_from_admin(
        moderator_client, admin_action, troll_post(thread), scope="chat", reason="Chat spam"
    )

    with pytest.raises(Banned, match="Chat spam"):
        send_chat(TROLL, "spam spam")
    assert reply(reader(TROLL), thread, "boards still work").status_code == 302


def test_a_ban_ends_at_its_expiry(moderator_client, admin_action, make_thread):
    thread = make_thread()
    ban_from_admin(moderator_client, admin_action, troll_post(thread), duration="1h")
    ban = Ban.objects.get()
    assert timedelta(minutes=59) < ban.expires_at - timezone.now() <= timedelta(hours=1)
    assert reply(reader(TROLL), thread, "during").status_code == 403

    Ban.objects.filter(pk=ban.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert reply(reader(TROLL), thread, "after").status_code == 302


def test_a_ban_until_lifted_lasts_until_a_moderator_lifts_it(
    moderator_client, admin_action, make_thread
):
    thread = make_thread()
    ban_from_admin(moderator_client, admin_action, troll_post(thread), duration="never")
    ban = Ban.objects.get()
    assert ban.expires_at is None

    admin_action(moderator_client, "forum_ban", "lift_bans", [ban])

    ban.refresh_from_db()
    assert not ban.is_active()
    assert reply(reader(TROLL), thread, "free again").status_code == 302
    assert list(AuditLog.objects.order_by("id").values_list("action", flat=True)) == [
        "ban",
        "lift_ban",
    ]


def test_a_narrow_range_ban_covers_the_whole_slash_24_and_nothing_else(
    moderator_client, admin_action, make_thread
):
    thread = make_thread()
    ban_from_admin(moderator_client, admin_action, troll_post(thread), kind="narrow")

    assert reply(reader("203.0.113.81"), thread, "neighbour").status_code == 403
    assert reply(reader("203.0.112.81"), thread, "next network").status_code == 302


def test_a_wide_range_ban_covers_the_slash_16(moderator_client, admin_action, make_thread):
    thread = make_thread()
    ban_from_admin(moderator_client, admin_action, troll_post(thread), kind="wide")

    assert reply(reader("203.0.7.1"), thread, "same /16").status_code == 403
    assert reply(reader("203.1.7.1"), thread, "other /16").status_code == 302


def test_an_ipv6_narrow_ban_covers_the_slash_64(moderator_client, admin_action, make_thread):
    thread = make_thread()
    assert reply(reader("2001:db8:1:2::10"), thread, "from v6").status_code == 302
    post = thread.posts.get(number=2)
    ban_from_admin(moderator_client, admin_action, post, kind="narrow")

    assert reply(reader("2001:db8:1:2::99"), thread, "same /64").status_code == 403
    assert reply(reader("2001:db8:1:3::10"), thread, "other /64").status_code == 302


def test_ban_by_daily_id_finds_the_poster_through_that_days_posts(moderator_client, make_thread):
    thread = make_thread()
    post = troll_post(thread)

    response = moderator_client.post(
        reverse("admin:forum_ban_add"),
        {
            "daily_id": f"ID:{post.daily_id}",
            "board": thread.board.pk,
            "day": timezone.localdate().isoformat(),
            "kind": "address",
            "scope": "board",
            "duration": "3d",
            "reason": "ID hopping between threads",
        },
    )

    assert response.status_code == 302
    ban = Ban.objects.get()
    assert (ban.target_hash, ban.scope, ban.board) == (post.address_hash, "board", thread.board)
    refused = reply(reader(TROLL), thread, "again")
    assert "ID hopping between threads" in refused.content.decode()
    entry = AuditLog.objects.get(action=AuditLog.Action.BAN)
    assert entry.details["daily_id"] == post.daily_id


def test_ban_by_daily_id_says_so_when_no_post_has_it(moderator_client, make_thread):
    thread = make_thread()
    response = moderator_client.post(
        reverse("admin:forum_ban_add"),
        {
            "daily_id": "NoSuchId",
            "board": thread.board.pk,
            "day": timezone.localdate().isoformat(),
            "kind": "address",
            "scope": "site",
            "duration": "1d",
            "reason": "x",
        },
    )
    assert response.status_code == 200
    assert "has the ID NoSuchId" in response.content.decode()
    assert not Ban.objects.exists()


def test_ban_by_daily_id_only_looks_at_that_day(moderator_client, make_thread):
    thread = make_thread()
    post = troll_post(thread)
    with pytest.raises(moderation.ModerationError):
        moderation.ban_daily_id(
            board=thread.board,
            daily_id=post.daily_id,
            day=timezone.localdate() - timedelta(days=1),
            by=moderator_client.moderator,
            reason="yesterday",
        )


def test_changing_a_ban_in_its_form_is_logged(moderator_client, admin_action, make_thread):
    thread = make_thread()
    ban_from_admin(moderator_client, admin_action, troll_post(thread))
    ban = Ban.objects.get()

    response = moderator_client.post(
        reverse("admin:forum_ban_change", args=[ban.pk]),
        {"scope": "site", "board": "", "expires_at_0": "", "expires_at_1": "", "reason": "Longer"},
    )

    assert response.status_code == 302
    ban.refresh_from_db()
    assert (ban.reason, ban.expires_at) == ("Longer", None)
    entry = AuditLog.objects.get(action=AuditLog.Action.CHANGE_BAN)
    assert entry.details["changed"]["reason"] == ["Trolling", "Longer"]


def test_a_board_ban_without_a_board_is_refused_by_the_form(
    moderator_client, admin_action, make_thread
):
    thread = make_thread()
    ban_from_admin(moderator_client, admin_action, troll_post(thread))
    ban = Ban.objects.get()
    response = moderator_client.post(
        reverse("admin:forum_ban_change", args=[ban.pk]),
        {"scope": "board", "board": "", "expires_at_0": "", "expires_at_1": "", "reason": "x"},
    )
    assert response.status_code == 200
    ban.refresh_from_db()
    assert ban.scope == "site"


def test_bans_show_only_a_hash_prefix(moderator_client, admin_action, make_thread):
    thread = make_thread()
    ban_from_admin(moderator_client, admin_action, troll_post(thread))
    ban = Ban.objects.get()
    for url in (
        reverse("admin:forum_ban_changelist"),
        reverse("admin:forum_ban_change", args=[ban.pk]),
    ):
        page = moderator_client.get(url).content.decode()
        assert ban.target_hash[:10] in page
        assert ban.target_hash[:11] not in page


def test_a_ban_on_a_purged_post_is_refused_with_a_reason(moderator_client, make_thread):
    from forum.models import Post

    post = make_thread().posts.get()
    Post.objects.filter(pk=post.pk).update(
        address_hash="", range_hash_narrow="", range_hash_wide=""
    )
    post.refresh_from_db()
    with pytest.raises(moderation.ModerationError, match="purged"):
        moderation.ban_poster(post, by=moderator_client.moderator, reason="late")
