"""The admin lists cost a fixed handful of queries, however many rows a page shows."""

import pytest
from django.urls import reverse

from forum.models import Post
from forum.reporting import report_post
from tests.factories import poster_from

pytestmark = pytest.mark.django_db


@pytest.fixture
def hundred_posts(make_board, make_thread, make_post):
    boards = [make_board(), make_board()]
    threads = [make_thread(board=boards[n % 2]) for n in range(4)]
    for n in range(96):
        make_post(thread=threads[n % 4], address=f"192.0.2.{n % 50 + 1}", body=f"post {n}")
    assert Post.objects.count() == 100
    return threads


def test_a_page_of_100_posts_takes_at_most_10_queries(
    moderator_client, hundred_posts, django_assert_max_num_queries
):
    for post in Post.objects.all()[:10]:
        report_post(post, reporter=poster_from("198.51.100.200").hashes, reason="spam")

    with django_assert_max_num_queries(10):
        response = moderator_client.get(reverse("admin:forum_post_changelist"))

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 100


def test_the_reports_queue_and_thread_list_take_a_fixed_number_of_queries(
    moderator_client, hundred_posts, django_assert_max_num_queries, settings
):
    settings.YOAKE_REPORT_HIDE_THRESHOLD = 99
    for post in Post.objects.all()[:50]:
        for n in range(2):
            report_post(post, reporter=poster_from(f"198.51.100.{n}").hashes, reason="spam")

    with django_assert_max_num_queries(10):
        queue = moderator_client.get(reverse("admin:forum_reportedpost_changelist"))
    with django_assert_max_num_queries(10):
        threads = moderator_client.get(reverse("admin:forum_thread_changelist"))
    with django_assert_max_num_queries(10):
        reports = moderator_client.get(reverse("admin:forum_report_changelist"))

    assert len(queue.context["cl"].result_list) == 50
    assert len(threads.context["cl"].result_list) == 4
    assert len(reports.context["cl"].result_list) == 100


def test_the_dashboard_shows_what_needs_a_look(moderator_client, hundred_posts, settings):
    from forum import moderation

    settings.YOAKE_REPORT_HIDE_THRESHOLD = 99
    posts = list(Post.objects.all()[:3])
    report_post(posts[0], reporter=poster_from("198.51.100.9").hashes, reason="risk_of_harm")
    Post.objects.filter(pk=posts[1].pk).update(is_risk_flagged=True)
    moderation.ban_poster(posts[2], by=moderator_client.moderator, reason="spam")

    index = moderator_client.get(reverse("admin:index")).content.decode()
    assert reverse("moderation_dashboard") in index
    response = moderator_client.get(reverse("moderation_dashboard"))

    assert response.status_code == 200
    assert response.context["reported_posts"] == 1
    assert response.context["risk_posts"] == 1
    assert response.context["active_bans"] == 1
    titles = [title for title, _chart in response.context["charts"]]
    assert titles == ["Posts per hour", "Chat messages per hour"]
    posts_chart = response.context["charts"][0][1]
    assert len(posts_chart.bars) == 7 * 24
    assert posts_chart.total == 100
    html = response.content.decode()
    assert "<svg" in html and "<rect" in html
    assert "<script" not in html.split('id="content-main"')[1]


def test_the_dashboard_is_for_staff_with_mfa_only(client, make_user, make_moderator):
    assert client.get(reverse("moderation_dashboard")).status_code == 302
    client.force_login(make_moderator(mfa=False))
    assert client.get(reverse("moderation_dashboard")).status_code == 302
    client.force_login(make_user())
    assert client.get(reverse("moderation_dashboard"), follow=True).status_code == 403
