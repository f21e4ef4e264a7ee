"""Only staff with MFA can post as Moderator ★, under an ID that does not give them away, and the
audit log says who; a typed ★ is refused and a typed ◆ disarmed for everyone else."""

import pytest
from django.utils import timezone

from forum.daily_id import daily_id
from forum.errors import ThreadClosed
from forum.models import AuditLog
from forum.posting import create_post, create_thread
from tests.factories import TEST_PASSWORD, poster_from
from tests.moderation.helpers import reply

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    client.cookies["yoake_poster"] = "capcode-test-key"
    return client


def test_a_moderator_can_post_as_moderator_star(client, make_moderator, make_thread):
    thread = make_thread()
    moderator = make_moderator(username="kind-mod")
    assert (
        reply(
            signed_in(client, moderator), thread, "Please be gentle.", as_moderator="on"
        ).status_code
        == 302
    )

    post = thread.posts.get(number=2)
    assert post.is_capcode and post.name == "Moderator" and post.tripcode == ""
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Moderator ★" in page
    assert "kind-mod" not in page.split('id="posts"')[1]


def test_a_moderator_posts_normally_without_ticking_the_box(client, make_moderator, make_thread):
    thread = make_thread()
    reply(signed_in(client, make_moderator()), thread, "just chatting")
    assert not thread.posts.get(number=2).is_capcode


def test_a_signed_in_reader_who_ticks_the_box_gets_a_normal_post(client, make_user, make_thread):
    thread = make_thread()
    reader = make_user()
    assert client.login(username=reader.username, password=TEST_PASSWORD)
    client.cookies["yoake_poster"] = "reader-key"

    assert reply(client, thread, "am I a moderator?", as_moderator="on").status_code == 302

    post = thread.posts.get(number=2)
    assert not post.is_capcode
    assert post.name == ""
    assert "Moderator ★" not in client.get(thread.get_absolute_url()).content.decode()


def test_an_anonymous_poster_who_ticks_the_box_gets_a_normal_post(client, make_thread):
    thread = make_thread()
    client.cookies["yoake_poster"] = "anon-key"
    reply(client, thread, "sneaky", as_moderator="on")
    assert not thread.posts.get(number=2).is_capcode


def test_a_typed_star_is_refused_and_a_typed_diamond_disarmed(client, make_thread):
    thread = make_thread()
    client.cookies["yoake_poster"] = "anon-key"

    refused = reply(client, thread, "hello", name="Night ★")
    assert refused.status_code == 400
    assert "★ mark is kept for the moderators" in refused.content.decode()
    assert thread.posts.count() == 1

    reply(client, thread, "hello", name="Night ☆ ◆fake")
    post = thread.posts.get(number=2)
    assert post.name == "Night ☆ ◇fake"
    assert not post.is_capcode
    page = client.get(thread.get_absolute_url()).content.decode().split('id="posts"')[1]
    assert "Night ☆ ◇fake" in page
    assert page.count("★") == 0


def test_staff_without_mfa_cannot_post_as_moderator_star(client, make_moderator, make_thread):
    thread = make_thread()
    reply(signed_in(client, make_moderator(mfa=False)), thread, "no code yet", as_moderator="on")
    assert not thread.posts.get(number=2).is_capcode


def test_a_capcode_post_does_not_carry_the_moderators_daily_id(make_board, make_thread):
    board = make_board(slug="night")
    thread = make_thread(board=board)
    now = timezone.now()
    moderator = poster_from("203.0.113.77")

    anonymous = create_post(thread, poster=moderator, body="just me", now=now)
    capcode = create_post(thread, poster=moderator, body="a note", as_moderator=True, now=now)
    other_moderator = create_post(
        thread, poster=poster_from("198.51.100.9"), body="another note", as_moderator=True, now=now
    )

    assert anonymous.daily_id == daily_id(moderator.hashes.address, "night", now)
    assert capcode.daily_id != anonymous.daily_id
    # Every capcode post shows the same ID, so none points at one moderator.
    assert capcode.daily_id == other_moderator.daily_id == "???"


def test_the_thread_page_shows_the_capcode_post_without_the_moderators_id(
    client, make_moderator, make_thread
):
    thread = make_thread()
    signed_in(client, make_moderator())
    reply(client, thread, "as myself")
    reply(client, thread, "as the moderators", as_moderator="on")

    mine = thread.posts.get(number=2).daily_id
    page = client.get(thread.get_absolute_url()).content.decode().split('id="posts"')[1]
    assert page.count(f"ID:{mine}") == 1
    assert "ID:???" in page


@pytest.mark.parametrize("page", ["thread", "board"])
def test_only_staff_with_mfa_see_the_capcode_box(client, make_moderator, make_thread, page):
    thread = make_thread()
    url = thread.get_absolute_url() if page == "thread" else thread.board.get_absolute_url()
    box = 'name="as_moderator"'

    client.force_login(make_moderator(mfa=False))
    assert box not in client.get(url).content.decode()

    client.force_login(make_moderator())
    assert box in client.get(url).content.decode()


def test_a_moderator_star_reply_leaves_an_audit_row_naming_the_moderator(
    client, make_moderator, make_thread
):
    thread = make_thread()
    moderator = make_moderator(username="kind-mod")

    reply(signed_in(client, moderator), thread, "Please be gentle.", as_moderator="on")

    post = thread.posts.get(number=2)
    entry = AuditLog.objects.get()
    assert (entry.actor, entry.actor_name, entry.action) == (moderator, "kind-mod", "capcode_post")
    assert (entry.object_type, entry.object_id) == ("post", post.pk)
    assert entry.object_repr == f"/{thread.board.slug}/{thread.key}/2"


def test_a_moderator_star_thread_leaves_an_audit_row_for_its_first_post(make_moderator, make_board):
    moderator = make_moderator(username="kind-mod")
    thread = create_thread(
        make_board(),
        poster=poster_from("198.51.100.20"),
        title="Board rules",
        body="Please read these first.",
        as_moderator=moderator,
    )

    entry = AuditLog.objects.get()
    assert (entry.actor, entry.action, entry.object_id) == (
        moderator,
        "capcode_post",
        thread.posts.get(number=1).pk,
    )


def test_posts_without_the_star_leave_no_audit_row(client, make_moderator, make_thread):
    thread = make_thread()
    reply(signed_in(client, make_moderator()), thread, "just chatting")
    reply(signed_in(client, make_moderator(mfa=False)), thread, "no code yet", as_moderator="on")
    assert thread.posts.count() == 3
    assert not AuditLog.objects.exists()


def test_a_refused_moderator_star_post_leaves_no_audit_row(make_moderator, make_thread):
    thread = make_thread()
    type(thread).objects.filter(pk=thread.pk).update(is_locked=True)
    with pytest.raises(ThreadClosed):
        create_post(
            thread, poster=poster_from("198.51.100.21"), body="hello", as_moderator=make_moderator()
        )
    assert not AuditLog.objects.exists()
