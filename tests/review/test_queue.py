"""Every signal reaches one review queue: one item per post or message, risk first, then age."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from forum.reporting import report_post
from review.models import ReviewItem, Signal
from review.queue import open_risk_count
from tests.factories import poster_from

pytestmark = pytest.mark.django_db

RISKY = "今夜はもう死にたい"


@pytest.fixture(autouse=True)
def _risk_phrase(make_risk_phrase):
    make_risk_phrase(phrase="死にたい", language="ja")


def test_a_risk_post_posted_anyway_is_in_the_queue_without_any_report(make_thread, make_post):
    thread = make_thread()
    post = make_post(thread=thread, body=RISKY, confirm_risk=True)

    item = ReviewItem.objects.get(post=post)
    assert item.is_risk and item.state == ReviewItem.State.OPEN
    assert [s.source for s in item.signals.all()] == [Signal.Source.RISK_LANGUAGE]


def test_a_risk_thread_and_a_risk_chat_message_are_in_the_queue_too(make_thread, make_room, send):
    thread = make_thread(title="眠れない", body=RISKY, confirm_risk=True)
    sent = send(make_room(), body=RISKY, confirm_risk=True)

    assert ReviewItem.objects.get(post__thread=thread).is_risk
    chat_item = ReviewItem.objects.get(message=sent.message)
    assert chat_item.is_risk
    assert chat_item.signals.get().detail == "chat"


def test_word_filter_flags_reach_the_queue(make_thread, make_post, make_room, send):
    from forum.models import WordFilter

    WordFilter.objects.create(pattern="casino", action=WordFilter.Action.FLAG)
    post = make_post(thread=make_thread(), body="best casino here")
    sent = send(make_room(), body="casino night")

    assert ReviewItem.objects.get(post=post).signals.get().source == Signal.Source.WORD_FILTER
    assert ReviewItem.objects.get(message=sent.message).is_risk is False


def test_many_signals_on_one_post_make_one_item_listing_each(make_thread, make_post, settings):
    settings.YOAKE_REPORT_HIDE_THRESHOLD = 99
    post = make_post(thread=make_thread(), body=RISKY, confirm_risk=True)
    report_post(post, reporter=poster_from("198.18.0.1").hashes, reason="spam")
    report_post(post, reporter=poster_from("198.18.0.2").hashes, reason="harassment", detail="x")

    item = ReviewItem.objects.get(post=post)
    assert [(s.source, s.detail) for s in item.signals.all()] == [
        (Signal.Source.RISK_LANGUAGE, ""),
        (Signal.Source.REPORT, "spam"),
        (Signal.Source.REPORT, "harassment"),
    ]
    assert all(s.created_at for s in item.signals.all())


def test_a_report_of_risk_of_harm_puts_the_item_first(make_thread, make_post):
    thread = make_thread()
    older = make_post(thread=thread)
    newer = make_post(thread=thread)
    report_post(older, reporter=poster_from("198.18.0.1").hashes, reason="spam")
    report_post(newer, reporter=poster_from("198.18.0.2").hashes, reason="risk_of_harm")
    ReviewItem.objects.filter(post=older).update(opened_at=timezone.now() - timedelta(hours=3))

    order = list(ReviewItem.objects.unresolved().in_queue_order().values_list("post", flat=True))
    assert order == [newer.pk, older.pk]
    assert open_risk_count() == 1


def test_risk_first_then_oldest(make_thread, make_post, settings):
    settings.YOAKE_REPORT_HIDE_THRESHOLD = 99
    thread = make_thread()
    old_report = make_post(thread=thread)
    new_report = make_post(thread=thread)
    report_post(old_report, reporter=poster_from("198.18.0.1").hashes, reason="spam")
    report_post(new_report, reporter=poster_from("198.18.0.2").hashes, reason="spam")
    ReviewItem.objects.filter(post=old_report).update(opened_at=timezone.now() - timedelta(days=1))
    risky = make_post(thread=thread, body=RISKY, confirm_risk=True)

    order = list(ReviewItem.objects.unresolved().in_queue_order().values_list("post", flat=True))
    assert order == [risky.pk, old_report.pk, new_report.pk]


def test_on_call_mail_gives_the_link_and_board_only(
    make_thread, make_post, settings, django_capture_on_commit_callbacks
):
    settings.YOAKE_ONCALL_EMAIL = "oncall@example.org"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    thread = make_thread()
    with django_capture_on_commit_callbacks(execute=True):
        post = make_post(thread=thread, body=RISKY + " secret detail", confirm_risk=True)

    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    item = ReviewItem.objects.get(post=post)
    text = sent.subject + sent.body
    assert f"/admin/review/reviewitem/{item.pk}/change/" in sent.body
    assert f"/{thread.board.slug}/" in text
    assert "死にたい" not in text and "secret" not in text
    assert post.daily_id not in text and post.address_hash[:10] not in text
    assert sent.to == ["oncall@example.org"]


def test_no_mail_unless_an_on_call_address_is_set(
    make_thread, make_post, settings, django_capture_on_commit_callbacks
):
    settings.YOAKE_ONCALL_EMAIL = ""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        make_post(thread=make_thread(), body=RISKY, confirm_risk=True)
    assert mail.outbox == []
