"""One step per outcome: each resolves the item, in one transaction with its audit row."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forum.models import AuditLog, Ban, Post, Report
from forum.moderation import ModerationError
from forum.reporting import report_post
from review import outcomes
from review.models import ReviewItem
from tests.factories import poster_from

pytestmark = pytest.mark.django_db

RISKY = "今夜はもう死にたい"


@pytest.fixture(autouse=True)
def _risk_phrase(make_risk_phrase):
    make_risk_phrase(phrase="死にたい", language="ja")


@pytest.fixture
def risk_item(make_thread, make_post):
    post = make_post(thread=make_thread(), body=RISKY, confirm_risk=True, address="203.0.113.50")
    return ReviewItem.objects.get(post=post)


def actions():
    return list(AuditLog.objects.order_by("id").values_list("action", flat=True))


def test_claiming_marks_who_and_when(risk_item, make_moderator):
    moderator = make_moderator(username="night")
    at = timezone.now()
    outcomes.claim(risk_item, by=moderator, now=at)

    risk_item.refresh_from_db()
    assert risk_item.state == ReviewItem.State.CLAIMED
    assert risk_item.claimed_by == moderator and risk_item.claimed_at == at
    assert actions() == [AuditLog.Action.CLAIM_REVIEW]


def test_looks_fine_dismisses_reports_and_shows_a_hidden_post_again(
    make_thread, make_post, make_moderator, settings
):
    settings.YOAKE_REPORT_HIDE_THRESHOLD = 1
    post = make_post(thread=make_thread())
    report_post(post, reporter=poster_from("198.18.0.1").hashes, reason="spam")
    post.refresh_from_db()
    assert post.status == Post.Status.HIDDEN_PENDING_REVIEW
    item = ReviewItem.objects.get(post=post)

    outcomes.looks_fine(item, by=make_moderator(), note="fine")

    post.refresh_from_db()
    item.refresh_from_db()
    assert post.status == Post.Status.VISIBLE
    assert item.outcome == ReviewItem.Outcome.LOOKS_FINE and item.is_resolved
    assert Report.objects.get(post=post).status == Report.Status.DISMISSED
    assert actions() == [AuditLog.Action.REVIEW_LOOKS_FINE]


def test_hide_takes_the_post_out_of_sight_pending_a_second_look(risk_item, make_moderator):
    outcomes.hide(risk_item, by=make_moderator())

    risk_item.refresh_from_db()
    assert risk_item.post.status == Post.Status.HIDDEN_PENDING_REVIEW
    assert risk_item.outcome == ReviewItem.Outcome.HIDDEN
    assert actions() == [AuditLog.Action.HIDE_POST]


def test_delete_needs_a_reason_and_resolves(risk_item, make_moderator):
    moderator = make_moderator()
    with pytest.raises(ModerationError):
        outcomes.delete(risk_item, by=moderator, reason=" ")
    outcomes.delete(risk_item, by=moderator, reason="personal details")

    risk_item.refresh_from_db()
    assert risk_item.post.status == Post.Status.DELETED_BY_MODERATOR
    assert risk_item.outcome == ReviewItem.Outcome.DELETED
    assert risk_item.resolved_by == moderator
    assert actions() == [AuditLog.Action.DELETE_POST]


def test_delete_and_ban_in_one_step(risk_item, make_moderator):
    ends = timezone.now() + timedelta(days=7)
    outcomes.delete_and_ban(
        risk_item, by=make_moderator(), reason="threats", scope=Ban.Scope.SITE, expires_at=ends
    )

    risk_item.refresh_from_db()
    ban = Ban.objects.get()
    assert risk_item.outcome == ReviewItem.Outcome.DELETED_AND_BANNED
    assert risk_item.post.status == Post.Status.DELETED_BY_MODERATOR
    assert ban.target_hash == risk_item.post.address_hash
    assert ban.reason == "threats" and ban.expires_at == ends
    assert actions() == [AuditLog.Action.DELETE_POST, AuditLog.Action.BAN]


def test_delete_and_ban_is_all_or_nothing(risk_item, make_moderator):
    Post.objects.filter(pk=risk_item.post_id).update(address_hash="", range_hash_narrow="")
    with pytest.raises(ModerationError):
        outcomes.delete_and_ban(risk_item, by=make_moderator(), reason="x", expires_at=None)

    risk_item.refresh_from_db()
    assert not risk_item.is_resolved
    assert risk_item.post.status == Post.Status.VISIBLE
    assert actions() == []


def test_reply_with_care_posts_a_moderator_reply_and_resolves(risk_item, make_moderator):
    reply = outcomes.reply_with_care(
        risk_item,
        by=make_moderator(),
        poster=poster_from("198.51.100.200"),
        body="You are not alone tonight.",
    )

    risk_item.refresh_from_db()
    assert reply.is_capcode and reply.thread_id == risk_item.post.thread_id
    assert risk_item.outcome == ReviewItem.Outcome.REPLIED


def test_a_resolved_item_cannot_be_acted_on_twice(risk_item, make_moderator):
    first, second = make_moderator(username="a"), make_moderator(username="b")
    outcomes.delete(risk_item, by=first, reason="spam")
    with pytest.raises(ModerationError, match="already resolved by a"):
        outcomes.looks_fine(risk_item, by=second)


def test_a_new_signal_after_resolution_opens_a_new_item(risk_item, make_moderator):
    outcomes.looks_fine(risk_item, by=make_moderator())
    report_post(risk_item.post, reporter=poster_from("198.18.0.9").hashes, reason="spam")

    items = ReviewItem.objects.filter(post=risk_item.post).order_by("pk")
    assert [i.state for i in items] == [ReviewItem.State.RESOLVED, ReviewItem.State.OPEN]


def test_deleting_from_the_post_list_resolves_the_item_too(risk_item, make_moderator):
    from forum.moderation import delete_post_as_moderator

    delete_post_as_moderator(risk_item.post, by=make_moderator(), reason="spam")
    risk_item.refresh_from_db()
    assert risk_item.outcome == ReviewItem.Outcome.DELETED


def test_chat_messages_are_deleted_and_their_sender_banned(make_room, send, make_moderator):
    sent = send(make_room(), body=RISKY, address="203.0.113.77", confirm_risk=True)
    item = ReviewItem.objects.get(message=sent.message)
    with pytest.raises(ModerationError):
        outcomes.hide(item, by=make_moderator())

    outcomes.delete_and_ban(item, by=make_moderator(), reason="abuse", expires_at=None)

    sent.message.refresh_from_db()
    item.refresh_from_db()
    assert not sent.message.is_visible
    assert item.outcome == ReviewItem.Outcome.DELETED_AND_BANNED
    assert Ban.objects.get().target_hash == sent.message.address_hash
