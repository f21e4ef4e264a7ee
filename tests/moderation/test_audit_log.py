"""Every moderator action leaves one audit entry: who, what, which object, why, when."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from forum import moderation
from forum.models import AuditLog, Post, WordFilter
from forum.reporting import report_post
from tests.factories import poster_from

pytestmark = pytest.mark.django_db


def test_each_moderator_action_writes_one_entry_with_who_what_which_and_why(
    make_moderator, make_board, make_thread, make_post, settings
):
    settings.YOAKE_REPORT_HIDE_THRESHOLD = 99
    mod = make_moderator(username="owl")
    board, other = make_board(), make_board()
    thread = make_thread(board=board)
    post = make_post(thread=thread)
    report_post(post, reporter=poster_from("198.51.100.3").hashes, reason="spam")
    second = make_post(thread=thread)
    report_post(second, reporter=poster_from("198.51.100.4").hashes, reason="spam")

    moderation.delete_post_as_moderator(post, by=mod, reason="r1")
    moderation.restore_post(post, by=mod, reason="r2")
    ban = moderation.ban_poster(post, by=mod, reason="r3")
    moderation.change_ban(ban, by=mod, scope="chat", board=None, expires_at=None, reason="r4")
    moderation.lift_ban(ban, by=mod, reason="r5")
    moderation.ban_daily_id(
        board=board, daily_id=post.daily_id, day=timezone.localdate(), by=mod, reason="r6"
    )
    moderation.lock_thread(thread, by=mod, reason="r7")
    moderation.lock_thread(thread, by=mod, locked=False, reason="r8")
    moderation.pin_thread(thread, by=mod, reason="r9")
    moderation.pin_thread(thread, by=mod, pinned=False, reason="r10")
    moderation.retitle_thread(thread, title="new", by=mod, reason="r11")
    moderation.move_thread(thread, to_board=other, by=mod, reason="r12")
    moderation.archive_thread(thread, by=mod, reason="r13")
    report_post(post, reporter=poster_from("198.51.100.5").hashes, reason="spam")
    moderation.resolve_report(post, by=mod, note="r14")
    moderation.dismiss_report(second, by=mod, note="r15")
    word_filter = moderation.save_word_filter(WordFilter(pattern="a", action="flag"), by=mod)
    word_filter.action = "block"
    moderation.save_word_filter(word_filter, by=mod, changed=["action"])
    moderation.delete_word_filter(word_filter, by=mod)

    entries = list(AuditLog.objects.order_by("id"))
    assert [e.action for e in entries] == [
        "delete_post",
        "restore_post",
        "ban",
        "change_ban",
        "lift_ban",
        "ban",
        "lock_thread",
        "unlock_thread",
        "pin_thread",
        "unpin_thread",
        "retitle_thread",
        "move_thread",
        "archive_thread",
        "resolve_report",
        "dismiss_report",
        "add_word_filter",
        "change_word_filter",
        "delete_word_filter",
    ]
    assert {e.actor_id for e in entries} == {mod.pk}
    assert {e.actor_name for e in entries} == {"owl"}
    assert [e.reason for e in entries[:15]] == [f"r{n}" for n in range(1, 16)]
    assert all(e.object_id and e.object_repr for e in entries)
    assert all(timezone.now() - e.created_at < timedelta(minutes=1) for e in entries)
    assert entries[0].object_type == "post" and entries[0].object_id == post.pk
    assert entries[6].object_type == "thread" and entries[6].object_id == thread.pk


def test_an_action_that_is_rolled_back_leaves_no_entry(make_moderator, make_thread):
    post = make_thread().posts.get()
    with pytest.raises(RuntimeError), transaction.atomic():
        moderation.delete_post_as_moderator(post, by=make_moderator(), reason="spam")
        raise RuntimeError("the request failed after the action")
    assert not AuditLog.objects.exists()
    post.refresh_from_db()
    assert post.status == Post.Status.VISIBLE


def test_a_refused_action_leaves_no_entry(make_moderator, make_thread):
    post = make_thread().posts.get()
    with pytest.raises(moderation.ModerationError):
        moderation.restore_post(post, by=make_moderator())
    assert not AuditLog.objects.exists()


def test_the_audit_log_list_shows_who_did_what_to_which_post(
    moderator_client, admin_action, make_thread
):
    post = make_thread().posts.get()
    admin_action(moderator_client, "forum_post", "delete_posts", [post], reason="doxxing")

    page = moderator_client.get(reverse("admin:forum_auditlog_changelist")).content.decode()

    assert "mod" in page
    assert "deleted a post" in page
    assert "doxxing" in page
    assert reverse("admin:forum_post_change", args=[post.pk]) in page
    assert "<style>" not in page  # the list has no actions; the CSP-safe template drops it
