"""The review queue in the admin, as a moderator at 3 a.m. uses it: the urgent thing obvious
and the right action one step."""

import pytest
from django.urls import reverse

from forum.models import AuditLog, Ban, Post
from forum.reporting import report_post
from review.models import ReviewItem
from tests.factories import poster_from

pytestmark = pytest.mark.django_db

QUEUE = "/admin/review/reviewitem/"
RISKY = "今夜はもう死にたい"


@pytest.fixture(autouse=True)
def _risk_phrase(make_risk_phrase):
    make_risk_phrase(phrase="死にたい", language="ja")


def item_url(item):
    return reverse("admin:review_reviewitem_change", args=[item.pk])


def test_the_queue_lists_risk_first_and_refreshes_itself_without_javascript(
    moderator_client, make_thread, make_post
):
    thread = make_thread()
    spam = make_post(thread=thread, body="buy now")
    report_post(spam, reporter=poster_from("198.18.0.1").hashes, reason="spam")
    risky = make_post(thread=thread, body=RISKY, confirm_risk=True)

    response = moderator_client.get(QUEUE)

    assert response.status_code == 200
    rows = [item.post_id for item in response.context["cl"].result_list]
    assert rows == [risky.pk, spam.pk]
    page = response.content.decode()
    assert "reader report: spam" in page and "risk language, posted anyway" in page
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
    assert "review/queue" in page and ".js" in page
    newest = max(
        item.signals.order_by("-pk").first().pk for item in response.context["cl"].result_list
    )
    assert f'data-latest="{newest}"' in page


def test_every_admin_page_shows_the_open_risk_count(moderator_client, make_thread, make_post):
    assert "no risk items waiting" in moderator_client.get("/admin/forum/post/").content.decode()
    make_post(thread=make_thread(), body=RISKY, confirm_risk=True)
    for url in ("/admin/", "/admin/forum/post/", "/admin/forum/ban/"):
        assert "⚠ 1 risk item waiting" in moderator_client.get(url).content.decode(), url


def test_delete_and_ban_from_the_item_page_in_one_form(moderator_client, make_thread, make_post):
    post = make_post(thread=make_thread(), body=RISKY, confirm_risk=True)
    item = ReviewItem.objects.get(post=post)
    page = moderator_client.get(item_url(item)).content.decode()
    assert "今夜はもう死にたい" in page and "risk language, posted anyway" in page

    moderator_client.post(item_url(item), {"outcome": "claim"})
    response = moderator_client.post(
        item_url(item),
        {
            "outcome": "delete_and_ban",
            "delete_and_ban-kind": Ban.Kind.ADDRESS,
            "delete_and_ban-scope": Ban.Scope.SITE,
            "delete_and_ban-duration": "7d",
            "delete_and_ban-reason": "threats to others",
        },
    )

    assert response.status_code == 302 and response.url == QUEUE
    item.refresh_from_db()
    post.refresh_from_db()
    assert item.outcome == ReviewItem.Outcome.DELETED_AND_BANNED
    assert item.claimed_by == moderator_client.moderator
    assert post.status == Post.Status.DELETED_BY_MODERATOR
    assert Ban.objects.get().reason == "threats to others"
    assert list(AuditLog.objects.order_by("id").values_list("action", flat=True)) == [
        AuditLog.Action.CLAIM_REVIEW,
        AuditLog.Action.DELETE_POST,
        AuditLog.Action.BAN,
    ]
    assert item.pk not in [i.pk for i in moderator_client.get(QUEUE).context["cl"].result_list]


def test_a_form_with_a_mistake_keeps_what_the_moderator_typed(
    moderator_client, make_thread, make_post
):
    post = make_post(thread=make_thread(), body=RISKY, confirm_risk=True)
    item = ReviewItem.objects.get(post=post)
    response = moderator_client.post(
        item_url(item),
        {
            "outcome": "delete_and_ban",
            "delete_and_ban-kind": Ban.Kind.NARROW,
            "delete_and_ban-scope": Ban.Scope.SITE,
            "delete_and_ban-duration": "30d",
            "delete_and_ban-reason": "",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "This field is required" in page
    form = response.context["forms"]["delete_and_ban"]
    assert form["kind"].value() == Ban.Kind.NARROW and form["duration"].value() == "30d"
    item.refresh_from_db()
    assert not item.is_resolved


def test_reply_with_care_is_prefilled_with_help_lines_and_posts_the_capcode_reply(
    moderator_client, make_thread, make_post, make_help_line
):
    make_help_line()
    post = make_post(thread=make_thread(), body=RISKY, confirm_risk=True)
    item = ReviewItem.objects.get(post=post)
    form = moderator_client.get(item_url(item)).context["forms"]["reply"]
    prefilled = form["body"].value()
    assert "carry it alone" in prefilled and "0120-000-000" in prefilled

    moderator_client.post(item_url(item), {"outcome": "reply", "reply-body": prefilled + " ok"})

    reply = Post.objects.get(thread=post.thread, is_capcode=True)
    assert reply.body.endswith(" ok")
    item.refresh_from_db()
    assert item.outcome == ReviewItem.Outcome.REPLIED


def test_staff_notes_stay_with_the_item(moderator_client, make_thread, make_post):
    post = make_post(thread=make_thread(), body=RISKY, confirm_risk=True)
    item = ReviewItem.objects.get(post=post)
    moderator_client.post(item_url(item), {"outcome": "note", "note-text": "watching this one"})
    page = moderator_client.get(item_url(item)).content.decode()
    assert "watching this one" in page and "mod" in page


def test_bulk_delete_for_a_spam_wave(moderator_client, admin_action, make_thread, make_post):
    thread = make_thread()
    posts = [make_post(thread=thread, body=f"spam {n}") for n in range(3)]
    for n, post in enumerate(posts):
        report_post(post, reporter=poster_from(f"198.18.0.{n + 1}").hashes, reason="spam")
    items = ReviewItem.objects.filter(post__in=posts)

    admin_action(moderator_client, "review_reviewitem", "bulk_delete", items, reason="spam wave")

    assert set(ReviewItem.objects.values_list("outcome", flat=True)) == {"deleted"}
    assert Post.objects.filter(status=Post.Status.DELETED_BY_MODERATOR).count() == 3


def test_a_poster_banned_before_gets_a_longer_ban_suggested(
    moderator_client, make_thread, make_post
):
    from django.utils import timezone

    thread = make_thread()
    post = make_post(thread=thread, body=RISKY, confirm_risk=True, address="203.0.113.61")
    Ban.objects.create(
        kind=Ban.Kind.ADDRESS,
        target_hash=post.address_hash,
        reason="earlier",
        expires_at=timezone.now() - timezone.timedelta(days=1),
    )
    item = ReviewItem.objects.get(post=post)

    response = moderator_client.get(item_url(item))

    assert response.context["forms"]["delete_and_ban"]["duration"].value() == "7d"
    assert "banned 1 time in the last 90 days" in response.content.decode()


def test_the_queue_and_an_item_take_the_same_queries_however_long_the_night(
    moderator_client, make_board, make_thread, make_post
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # One poster, no flood interval: the item's history grows with the queue.
    thread = make_thread(board=make_board(flood_interval=0))
    counter = iter(range(100))

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert moderator_client.get(url).status_code == 200
        return len(captured)

    def add(n):
        for _ in range(n):
            body = f"{RISKY} {next(counter)}"
            post = make_post(thread=thread, body=body, confirm_risk=True, address="203.0.113.9")
            report_post(post, reporter=poster_from("198.18.0.1").hashes, reason="spam")

    add(3)
    item = ReviewItem.objects.first()
    few_list, few_item = queries(QUEUE), queries(item_url(item))
    add(12)
    many_list, many_item = queries(QUEUE), queries(item_url(item))

    assert many_list == few_list
    assert many_item == few_item
    print(f"queue page: {many_list} queries; item page: {many_item} queries")
