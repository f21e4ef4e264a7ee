"""A poster banned before gets a longer suggested ban: 1 day, then 7, then 30, then no end."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.addresses import hash_address
from forum.models import Ban
from forum.moderation import suggest_ban_length
from forum.reporting import report_post
from tests.moderation.helpers import reader, reply

pytestmark = pytest.mark.django_db

TROLL = "203.0.113.80"


def troll_post(thread, address: str = TROLL):
    assert reply(reader(address), thread, f"bait {timezone.now().timestamp()}").status_code == 302
    return thread.posts.order_by("-number").first()


def earlier_ban(*, target_hash: str, days_ago: float = 1, kind: str = Ban.Kind.ADDRESS) -> Ban:
    return Ban.objects.create(
        kind=kind,
        target_hash=target_hash,
        reason="earlier",
        created_at=timezone.now() - timedelta(days=days_ago),
        expires_at=timezone.now() - timedelta(hours=1),  # over, but still remembered
    )


@pytest.mark.parametrize(
    ("earlier", "suggested"),
    [
        (0, timedelta(days=1)),
        (1, timedelta(days=7)),
        (2, timedelta(days=30)),
        (3, None),
        (5, None),
    ],
)
def test_each_earlier_ban_lengthens_the_suggestion(make_thread, earlier, suggested):
    post = troll_post(make_thread())
    for n in range(earlier):
        earlier_ban(target_hash=post.address_hash, days_ago=n + 1)
    assert suggest_ban_length(post) == suggested


def test_bans_older_than_ninety_days_are_forgotten(make_thread):
    post = troll_post(make_thread())
    earlier_ban(target_hash=post.address_hash, days_ago=91)
    earlier_ban(target_hash=post.address_hash, days_ago=89)
    assert suggest_ban_length(post) == timedelta(days=7)


def test_a_ban_of_the_posters_narrow_range_counts_and_other_posters_do_not(make_thread):
    post = troll_post(make_thread())
    earlier_ban(target_hash=post.range_hash_narrow, kind=Ban.Kind.NARROW)
    earlier_ban(target_hash=hash_address("198.51.100.4").address)  # someone else
    assert suggest_ban_length(post) == timedelta(days=7)


def test_a_chat_message_gets_the_same_suggestion(make_room, send):
    message = send(make_room(), address=TROLL).message
    earlier_ban(target_hash=hash_address(TROLL).address)
    earlier_ban(target_hash=hash_address(TROLL).address)
    assert suggest_ban_length(message) == timedelta(days=30)


def _ban_form(client, model: str, action: str, objects) -> str:
    response = client.post(
        reverse(f"admin:{model}_changelist"),
        {"action": action, "_selected_action": [str(obj.pk) for obj in objects], "index": "0"},
    )
    assert response.status_code == 200
    return response.content.decode()


def test_the_ban_form_starts_at_the_suggestion_and_says_why(moderator_client, make_thread):
    post = troll_post(make_thread())
    earlier_ban(target_hash=post.address_hash, days_ago=3)
    earlier_ban(target_hash=post.address_hash, days_ago=40)

    html = _ban_form(moderator_client, "forum_post", "ban_posters", [post])

    assert '<option value="30d" selected>' in html
    assert "This poster was banned 2 times in the last 90 days. Suggested length: 30 days." in html


def test_a_first_ban_is_suggested_for_a_day(moderator_client, make_thread):
    html = _ban_form(moderator_client, "forum_post", "ban_posters", [troll_post(make_thread())])
    assert '<option value="1d" selected>' in html
    assert "This poster was not banned in the last 90 days. Suggested length: 1 day." in html


def test_with_several_posters_the_most_banned_one_sets_the_suggestion(
    moderator_client, make_thread
):
    thread = make_thread()
    troll, newcomer = troll_post(thread), troll_post(thread, address="198.51.100.20")
    for days_ago in (1, 2, 3):
        earlier_ban(target_hash=troll.address_hash, days_ago=days_ago)

    html = _ban_form(moderator_client, "forum_post", "ban_posters", [newcomer, troll])

    assert '<option value="never" selected>' in html
    assert "One of these posters was banned 3 times in the last 90 days." in html


def test_the_reports_queue_ban_form_suggests_too(moderator_client, make_thread):
    post = troll_post(make_thread())
    report_post(post, reporter=hash_address("198.18.9.1"), reason="spam")
    earlier_ban(target_hash=post.address_hash)

    html = _ban_form(moderator_client, "forum_reportedpost", "ban_posters", [post])

    assert '<option value="7d" selected>' in html
    assert "This poster was banned 1 time in the last 90 days." in html


def test_the_chat_ban_form_suggests_too(moderator_client, make_room, send):
    message = send(make_room(), address=TROLL).message
    earlier_ban(target_hash=message.address_hash)

    html = _ban_form(moderator_client, "chat_message", "ban_senders", [message])

    assert '<option value="7d" selected>' in html
    assert "This poster was banned 1 time in the last 90 days. Suggested length: 1 week." in html


def test_the_suggestion_is_in_japanese_for_a_japanese_moderator(moderator_client, make_thread):
    post = troll_post(make_thread())
    earlier_ban(target_hash=post.address_hash)
    moderator_client.cookies["django_language"] = "ja"
    response = moderator_client.post(
        reverse("admin:forum_post_changelist"),
        {"action": "ban_posters", "_selected_action": [str(post.pk)], "index": "0"},
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    assert "この投稿者は、過去90日間に1回禁止されています。おすすめの期間：1週間。" in (
        response.content.decode()
    )
