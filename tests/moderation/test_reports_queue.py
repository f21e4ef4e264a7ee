"""The reports queue: risk first, then the most reported, then the oldest; one row per post."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.models import AuditLog, Post, Report
from forum.reporting import report_post
from tests.factories import poster_from
from tests.moderation.helpers import reader

pytestmark = pytest.mark.django_db

QUEUE = "/admin/forum/reportedpost/"


def report(post, *addresses, reason="spam", age_hours=0):
    for address in addresses:
        report_post(post, reporter=poster_from(address).hashes, reason=reason)
    if age_hours:
        Report.objects.filter(post=post).update(
            created_at=timezone.now() - timedelta(hours=age_hours)
        )


def test_the_queue_puts_risk_first_then_the_most_reported_then_the_oldest(
    moderator_client, make_thread, make_post, settings
):
    settings.YOAKE_REPORT_HIDE_THRESHOLD = 99
    thread = make_thread()
    old_single = make_post(thread=thread)
    new_single = make_post(thread=thread)
    twice = make_post(thread=thread)
    risk_reason = make_post(thread=thread)
    risk_flagged = make_post(thread=thread)
    unreported = make_post(thread=thread)
    Post.objects.filter(pk=risk_flagged.pk).update(is_risk_flagged=True)
    report(old_single, "198.18.1.1", age_hours=5)
    report(new_single, "198.18.1.2", age_hours=1)
    report(twice, "198.18.1.3", "198.18.1.4", age_hours=2)
    report(risk_reason, "198.18.1.5", reason="risk_of_harm", age_hours=3)
    report(risk_flagged, "198.18.1.6", "198.18.1.7", age_hours=4)

    response = moderator_client.get(QUEUE)

    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert [row.pk for row in rows] == [
        risk_flagged.pk,  # risk, two reports
        risk_reason.pk,  # risk, one report
        twice.pk,
        old_single.pk,
        new_single.pk,
    ]
    assert unreported.pk not in [row.pk for row in rows]
    assert [row.open_reports for row in rows] == [2, 1, 2, 1, 1]


def test_repeated_reports_of_one_post_are_one_row_with_a_link_to_the_post_in_context(
    moderator_client, make_thread, settings
):
    settings.YOAKE_REPORT_HIDE_THRESHOLD = 99
    thread = make_thread()
    post = thread.posts.get()
    report(post, "198.18.2.1", "198.18.2.2", reason="spam")
    report(post, "198.18.2.3", reason="harassment")

    response = moderator_client.get(QUEUE)
    html = response.content.decode()

    assert len(response.context["cl"].result_list) == 1
    assert response.context["cl"].result_list[0].open_reports == 3
    assert f'href="{thread.get_absolute_url()}#p1"' in html
    assert reverse("admin:forum_post_change", args=[post.pk]) in html
    assert "harassment" in html and "spam" in html


def test_resolving_closes_every_open_report_of_the_post_with_the_note(
    moderator_client, admin_action, make_thread, settings
):
    settings.YOAKE_REPORT_HIDE_THRESHOLD = 99
    post = make_thread().posts.get()
    report(post, "198.18.3.1", "198.18.3.2")

    response = admin_action(
        moderator_client,
        "forum_reportedpost",
        "resolve_reports",
        [post],
        note="Talked it through in the thread",
    )

    assert response.status_code == 302
    assert set(Report.objects.values_list("status", "moderator_note")) == {
        ("resolved", "Talked it through in the thread")
    }
    assert moderator_client.get(QUEUE).context["cl"].result_list.__len__() == 0
    entry = AuditLog.objects.get(action=AuditLog.Action.RESOLVE_REPORT)
    assert (entry.object_id, entry.reason, entry.details["reports"]) == (
        post.pk,
        "Talked it through in the thread",
        2,
    )


def test_dismissing_closes_the_reports_and_shows_a_hidden_post_again(
    moderator_client, admin_action, make_thread
):
    thread = make_thread(body="an honest, unpopular opinion")
    post = thread.posts.get()
    report(post, "198.18.4.1", "198.18.4.2", "198.18.4.3")
    post.refresh_from_db()
    assert post.status == Post.Status.HIDDEN_PENDING_REVIEW

    admin_action(
        moderator_client, "forum_reportedpost", "dismiss_reports", [post], note="not a breach"
    )

    post.refresh_from_db()
    assert post.status == Post.Status.VISIBLE
    assert set(Report.objects.values_list("status", flat=True)) == {"dismissed"}
    assert (
        "an honest, unpopular opinion" in reader().get(thread.get_absolute_url()).content.decode()
    )
    entry = AuditLog.objects.get(action=AuditLog.Action.DISMISS_REPORT)
    assert entry.details == {"reports": 3, "post_restored": True}


def test_a_post_hidden_by_reports_can_be_restored_from_the_post_list(
    moderator_client, admin_action, make_thread, settings
):
    settings.YOAKE_REPORT_HIDE_THRESHOLD = 2
    thread = make_thread(body="hidden at night")
    post = thread.posts.get()
    report(post, "198.18.5.1", "198.18.5.2")
    assert "hidden until a moderator" in reader().get(thread.get_absolute_url()).content.decode()
    hidden = moderator_client.get(
        reverse("admin:forum_post_changelist"), {"status__exact": "hidden_pending_review"}
    )
    assert [p.pk for p in hidden.context["cl"].result_list] == [post.pk]

    admin_action(moderator_client, "forum_post", "restore_posts", [post])

    post.refresh_from_db()
    assert post.status == Post.Status.VISIBLE
    assert "hidden at night" in reader().get(thread.get_absolute_url()).content.decode()
    # Its reports were dismissed, so one more report does not hide it again at once.
    report(post, "198.18.5.3")
    post.refresh_from_db()
    assert post.status == Post.Status.VISIBLE


def test_resolving_the_reports_of_a_hidden_post_keeps_it_out_of_sight(
    moderator_client, admin_action, make_thread
):
    post = make_thread().posts.get()
    report(post, "198.18.6.1", "198.18.6.2", "198.18.6.3")
    admin_action(moderator_client, "forum_reportedpost", "resolve_reports", [post], note="")
    post.refresh_from_db()
    assert post.status == Post.Status.DELETED_BY_MODERATOR
    assert list(AuditLog.objects.order_by("id").values_list("action", flat=True)) == [
        "delete_post",
        "resolve_report",
    ]


def test_the_individual_reports_list_shows_history_without_reporter_hashes(
    moderator_client, make_thread
):
    post = make_thread().posts.get()
    report(post, "198.18.7.1")
    stored = Report.objects.get()
    page = moderator_client.get(reverse("admin:forum_report_change", args=[stored.pk]))
    assert page.status_code == 200
    assert stored.reporter_hash[:8] not in page.content.decode()
    assert moderator_client.get(reverse("admin:forum_report_changelist")).status_code == 200
