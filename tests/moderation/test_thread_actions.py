"""Lock, pin, archive, move and retitle threads from the thread list."""

import pytest
from django.urls import reverse

from forum.models import AuditLog, Post
from tests.moderation.helpers import reader, reply

pytestmark = pytest.mark.django_db


def actions_logged():
    return list(AuditLog.objects.order_by("id").values_list("action", flat=True))


def test_a_locked_thread_takes_no_posts_until_unlocked(moderator_client, admin_action, make_thread):
    thread = make_thread()
    assert (
        admin_action(moderator_client, "forum_thread", "lock_threads", [thread]).status_code == 302
    )
    thread.refresh_from_db()
    assert thread.is_locked
    refused = reply(reader(), thread, "still there?")
    assert refused.status_code == 403
    assert "locked" in refused.content.decode()

    admin_action(moderator_client, "forum_thread", "unlock_threads", [thread])
    thread.refresh_from_db()
    assert not thread.is_locked
    assert reply(reader(), thread, "still there?").status_code == 302
    assert actions_logged() == ["lock_thread", "unlock_thread"]


def test_a_pinned_thread_stays_on_top_of_its_board(
    moderator_client, admin_action, make_board, make_thread
):
    board = make_board()
    old = make_thread(board=board, title="House rules")
    make_thread(board=board, title="Newer chatter")

    admin_action(moderator_client, "forum_thread", "pin_threads", [old])

    page = reader().get(board.get_absolute_url()).content.decode()
    assert page.index("House rules") < page.index("Newer chatter")
    admin_action(moderator_client, "forum_thread", "unpin_threads", [old])
    old.refresh_from_db()
    assert not old.is_pinned
    assert actions_logged() == ["pin_thread", "unpin_thread"]


def test_pinning_an_already_pinned_thread_logs_nothing(moderator_client, admin_action, make_thread):
    thread = make_thread()
    admin_action(moderator_client, "forum_thread", "pin_threads", [thread])
    admin_action(moderator_client, "forum_thread", "pin_threads", [thread])
    assert actions_logged() == ["pin_thread"]


def test_archiving_moves_a_thread_to_the_archive_now(moderator_client, admin_action, make_thread):
    thread = make_thread(title="Old times")
    admin_action(moderator_client, "forum_thread", "archive_threads", [thread])
    thread.refresh_from_db()
    assert thread.is_archived and thread.archived_at
    archive = reader().get(reverse("archive", kwargs={"board": thread.board.slug}))
    assert "Old times" in archive.content.decode()
    assert reply(reader(), thread, "hello?").status_code == 403
    assert actions_logged() == ["archive_thread"]


def test_moving_a_thread_takes_its_posts_to_the_other_board(
    moderator_client, admin_action, make_board, make_thread, make_post
):
    night, family = make_board(slug="nightowls"), make_board(slug="parents")
    thread = make_thread(board=night, title="My son stays in his room")
    make_post(thread=thread)

    response = admin_action(
        moderator_client,
        "forum_thread",
        "move_threads",
        [thread],
        board=str(family.pk),
        reason="belongs with the parents",
    )

    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.board == family
    assert Post.objects.filter(thread=thread).count() == 2
    assert reader().get(f"/test/read.cgi/parents/{thread.key}/").status_code == 200
    old = reader().get(f"/test/read.cgi/nightowls/{thread.key}/")  # sent on (test_night_admin)
    assert (old.status_code, old["Location"]) == (301, f"/test/read.cgi/parents/{thread.key}/")
    assert "My son stays" in reader().get("/parents/").content.decode()
    entry = AuditLog.objects.get(action=AuditLog.Action.MOVE_THREAD)
    assert entry.reason == "belongs with the parents"
    assert (entry.details["from_board"], entry.details["to_board"]) == ("nightowls", "parents")


def test_a_moved_thread_whose_key_is_taken_gets_the_next_free_key(
    moderator_client, make_board, make_thread
):
    from forum import moderation
    from forum.models import Thread

    one, two = make_board(), make_board()
    moved = make_thread(board=one)
    key = moved.key
    Thread.objects.create(board=two, key=key, title="same second")
    moderation.move_thread(moved, to_board=two, by=moderator_client.moderator)
    moved.refresh_from_db()
    assert (moved.board, moved.key) == (two, key + 1)


def test_retitling_asks_for_the_new_title_and_disarms_marks(
    moderator_client, admin_action, make_thread
):
    thread = make_thread(title="typo in titel")
    form = moderator_client.post(
        reverse("admin:forum_thread_changelist"),
        {"action": "retitle_thread", "_selected_action": [thread.pk], "index": "0"},
    )
    assert 'value="typo in titel"' in form.content.decode()

    admin_action(
        moderator_client,
        "forum_thread",
        "retitle_thread",
        [thread],
        title="Fixed title ★",
        reason="typo",
    )

    thread.refresh_from_db()
    assert thread.title == "Fixed title ☆"
    entry = AuditLog.objects.get()
    assert entry.details == {"old_title": "typo in titel", "new_title": "Fixed title ☆"}


def test_retitle_works_on_exactly_one_thread(moderator_client, make_thread):
    first, second = make_thread(title="one"), make_thread(title="two")
    response = moderator_client.post(
        reverse("admin:forum_thread_changelist"),
        {"action": "retitle_thread", "_selected_action": [first.pk, second.pk], "index": "0"},
        follow=True,
    )
    assert "exactly one" in response.content.decode()
    assert not AuditLog.objects.exists()


def test_thread_pages_in_the_admin_are_read_only(moderator_client, make_thread):
    thread = make_thread(title="keep me")
    url = reverse("admin:forum_thread_change", args=[thread.pk])
    assert moderator_client.get(url).status_code == 200
    assert moderator_client.post(url, {"title": "changed"}).status_code == 403
    thread.refresh_from_db()
    assert thread.title == "keep me"
