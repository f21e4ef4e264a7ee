"""Each moderator action, one at a time: its row names the actor, the action, the object and the
reason. Deleting a post and banning need a reason; the rest record one if given."""

import pytest

from forum import moderation
from forum.models import AuditLog, Post

pytestmark = pytest.mark.django_db


def deleted(post, mod):
    moderation.delete_post_as_moderator(post, by=mod, reason="first")
    return post


def locked(thread, mod):
    moderation.lock_thread(thread, by=mod, reason="first")
    return thread


def pinned(thread, mod):
    moderation.pin_thread(thread, by=mod, reason="first")
    return thread


# (action, what it acts on, set-up before it, the action itself)
ACTIONS = [
    (
        "restore_post",
        "post",
        deleted,
        lambda post, mod, reason: moderation.restore_post(post, by=mod, reason=reason),
    ),
    (
        "lock_thread",
        "thread",
        None,
        lambda thread, mod, reason: moderation.lock_thread(thread, by=mod, reason=reason),
    ),
    (
        "unlock_thread",
        "thread",
        locked,
        lambda thread, mod, reason: moderation.lock_thread(
            thread, by=mod, locked=False, reason=reason
        ),
    ),
    (
        "pin_thread",
        "thread",
        None,
        lambda thread, mod, reason: moderation.pin_thread(thread, by=mod, reason=reason),
    ),
    (
        "unpin_thread",
        "thread",
        pinned,
        lambda thread, mod, reason: moderation.pin_thread(
            thread, by=mod, pinned=False, reason=reason
        ),
    ),
    (
        "archive_thread",
        "thread",
        None,
        lambda thread, mod, reason: moderation.archive_thread(thread, by=mod, reason=reason),
    ),
    (
        "move_thread",
        "thread",
        None,
        lambda thread, mod, reason: moderation.move_thread(
            thread, to_board=thread.other_board, by=mod, reason=reason
        ),
    ),
]


@pytest.fixture
def target(make_board, make_thread):
    def get(kind):
        thread = make_thread()
        thread.other_board = make_board()
        return thread if kind == "thread" else thread.posts.get()

    return get


@pytest.mark.parametrize("reason", ["spam thread, see report", ""])
@pytest.mark.parametrize(("action", "kind", "before", "act"), ACTIONS, ids=[a[0] for a in ACTIONS])
def test_the_action_writes_its_row_with_actor_object_and_reason(
    make_moderator, target, action, kind, before, act, reason
):
    mod = make_moderator(username="dawn")
    obj = target(kind)
    if before:
        before(obj, mod)
    already = AuditLog.objects.count()

    act(obj, mod, reason)

    entry = AuditLog.objects.order_by("id").last()
    assert AuditLog.objects.count() == already + 1
    assert (entry.actor, entry.actor_name, entry.action) == (mod, "dawn", action)
    assert (entry.object_type, entry.object_id) == (kind, obj.pk)
    assert entry.object_repr
    assert entry.reason == reason


@pytest.mark.parametrize("reason", ["", "   "])
def test_deleting_a_post_needs_a_reason(make_moderator, make_thread, reason):
    post = make_thread().posts.get()
    with pytest.raises(moderation.ModerationError, match="Please give a reason"):
        moderation.delete_post_as_moderator(post, by=make_moderator(), reason=reason)
    post.refresh_from_db()
    assert post.status == Post.Status.VISIBLE
    assert not AuditLog.objects.exists()


def test_banning_needs_a_reason(make_moderator, make_thread):
    post = make_thread().posts.get()
    with pytest.raises(moderation.ModerationError, match="Please give a reason"):
        moderation.ban_poster(post, by=make_moderator(), reason="")
    assert not AuditLog.objects.exists()


def test_deleting_and_banning_record_their_reason(make_moderator, make_thread):
    mod = make_moderator()
    post = make_thread().posts.get()
    moderation.delete_post_as_moderator(post, by=mod, reason="doxxing")
    ban = moderation.ban_poster(post, by=mod, reason="doxxing again")

    entries = list(AuditLog.objects.order_by("id"))
    assert [(e.action, e.object_type, e.object_id, e.reason) for e in entries] == [
        ("delete_post", "post", post.pk, "doxxing"),
        ("ban", "ban", ban.pk, "doxxing again"),
    ]
    assert {e.actor for e in entries} == {mod}
