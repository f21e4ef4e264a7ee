"""Only staff can post as Moderator ★, and the audit log says who; a typed ★ or ◆ is disarmed
for everyone else."""

import pytest

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


def test_typed_stars_and_diamonds_are_disarmed(client, make_user, make_thread):
    thread = make_thread()
    client.cookies["yoake_poster"] = "anon-key"

    reply(client, thread, "hello", name="Moderator ★ ◆fake")

    post = thread.posts.get(number=2)
    assert post.name == "Moderator ☆ ◇fake"
    assert not post.is_capcode
    page = client.get(thread.get_absolute_url()).content.decode().split('id="posts"')[1]
    assert "Moderator ☆ ◇fake" in page
    assert page.count("★") == 0


def test_staff_without_mfa_cannot_post_as_moderator_star(client, make_moderator, make_thread):
    thread = make_thread()
    reply(signed_in(client, make_moderator(mfa=False)), thread, "no code yet", as_moderator="on")
    assert not thread.posts.get(number=2).is_capcode


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
