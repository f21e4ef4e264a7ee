"""Reports are weighed by the reporter's standing, not counted: fresh cookies cannot hide a post,
one reader counts once however many addresses they use, and risk of harm never hides."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.models import Post, Report
from forum.poster import POSTER_COOKIE
from forum.reporting import report_post
from forum.standing import cookie_hash, note_seen
from review.models import ReviewItem
from tests.factories import poster_from

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _threshold(settings):
    settings.YOAKE_REPORT_HIDE_THRESHOLD = 3


def established(key, address):
    """A reader whose cookie the site first saw two days ago (level 1: one reader's weight)."""
    poster = poster_from(address, delete_key=key)
    note_seen(cookie_hash(poster), timezone.now() - timedelta(days=2))
    return poster


def reported(post, *reporters, reason="spam"):
    for reporter in reporters:
        report_post(post, reporter=reporter, reason=reason)
    post.refresh_from_db()
    return post


def test_fresh_cookies_cannot_hide_a_post(make_thread, make_post):
    post = make_post(thread=make_thread())
    fresh = [poster_from(f"198.18.3.{n}", delete_key=f"fresh-{n}") for n in range(1, 4)]
    assert reported(post, *fresh).status == Post.Status.VISIBLE
    assert Report.objects.filter(post=post).count() == 3  # still in the moderators' queue
    assert ReviewItem.objects.filter(post=post, state=ReviewItem.State.OPEN).exists()


def test_three_established_cookies_hide_a_post(make_thread, make_post):
    post = make_post(thread=make_thread())
    readers = [established(f"known-{n}", f"198.18.4.{n}") for n in range(1, 4)]
    assert reported(post, *readers[:2]).status == Post.Status.VISIBLE
    assert reported(post, readers[2]).status == Post.Status.HIDDEN_PENDING_REVIEW


def test_one_cookie_from_several_addresses_counts_once(make_thread, make_post):
    post = make_post(thread=make_thread())
    established("one-reader", "198.18.5.1")
    addresses = ("198.18.5.1", "203.0.113.77", "2001:db8:9::1")
    same_reader = [poster_from(address, delete_key="one-reader") for address in addresses]
    assert reported(post, *same_reader).status == Post.Status.VISIBLE
    assert Report.objects.filter(post=post).count() == 1


def test_risk_of_harm_reports_never_hide_but_come_first(make_thread, make_post):
    thread = make_thread()
    older, post = make_post(thread=thread), make_post(thread=thread)
    reported(older, established("early", "198.18.6.9"))
    readers = [established(f"worried-{n}", f"198.18.6.{n}") for n in range(1, 5)]
    assert reported(post, *readers, reason="risk_of_harm").status == Post.Status.VISIBLE
    assert ReviewItem.objects.unresolved().in_queue_order().first().post == post


def test_a_report_without_the_poster_cookie_is_refused_with_a_reason(
    client, make_thread, make_post
):
    post = make_post(thread=make_thread())
    url = reverse(
        "report_post",
        kwargs={"board": post.thread.board.slug, "key": post.thread.key, "number": post.number},
    )
    refused = client.post(url, {"reason": "spam"}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 403
    assert "did not send this site" in refused.content.decode()
    assert not Report.objects.exists()
    del client.cookies[POSTER_COOKIE]  # the refusal gave one; see below
    japanese = client.post(url, {"reason": "spam"}, HTTP_ACCEPT_LANGUAGE="ja")
    assert "Cookieが送られなかった" in japanese.content.decode()
    # The refusal gave the browser its cookie, so sending again works.
    assert POSTER_COOKIE in refused.cookies
    client.cookies[POSTER_COOKIE] = refused.cookies[POSTER_COOKIE].value
    assert client.post(url, {"reason": "spam"}).status_code == 200
    report = Report.objects.get()
    assert (
        report.reporter_cookie_hash
        and report.reporter_cookie_hash != client.cookies[POSTER_COOKIE].value
    )


def test_the_report_page_gives_a_reader_who_never_posted_the_cookie(client, make_thread, make_post):
    post = make_post(thread=make_thread())
    url = reverse(
        "report_post",
        kwargs={"board": post.thread.board.slug, "key": post.thread.key, "number": post.number},
    )
    page = client.get(url)
    assert page.cookies[POSTER_COOKIE]["samesite"] == "Strict"
