"""What a moderator at night reads in the admin: site-local times, posts named by what they are,
and a moved thread that is still found at its old address."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from forum import moderation
from forum.models import AuditLog, Post, Report
from forum.reporting import report_post
from tests.factories import poster_from
from tests.moderation.helpers import reader

pytestmark = pytest.mark.django_db

# 15:30 in London is half past midnight the next day in Tokyo.
UTC_INSTANT = datetime(2026, 3, 1, 15, 30, tzinfo=UTC)


@pytest.fixture
def tokyo(settings):
    settings.TIME_ZONE = "Asia/Tokyo"


# --- Times --------------------------------------------------------------------------------------


def test_the_post_list_and_a_post_show_the_sites_local_time(
    tokyo, moderator_client, make_thread, make_post
):
    post = make_post(thread=make_thread(), body="posted in the small hours")
    Post.objects.filter(pk=post.pk).update(created_at=UTC_INSTANT)
    report_post(post, reporter=poster_from("198.51.100.9").hashes, reason="spam")
    Report.objects.filter(post=post).update(created_at=UTC_INSTANT)

    listing = moderator_client.get(reverse("admin:forum_post_changelist")).content.decode()
    assert "March 2, 2026, 12:30 a.m." in listing
    assert "3:30 p.m." not in listing

    detail = moderator_client.get(reverse("admin:forum_post_change", args=[post.pk]))
    page = detail.content.decode()
    assert "March 2, 2026, 12:30 a.m." in page  # posted
    assert "2026-03-02 00:30 · spam" in page  # the report under it
    assert "2026-03-01 15:30" not in page


def test_the_reports_queue_and_the_audit_log_show_the_sites_local_time(
    tokyo, moderator_client, make_thread, make_post
):
    post = make_post(thread=make_thread())
    report_post(post, reporter=poster_from("198.51.100.9").hashes, reason="spam")
    Report.objects.filter(post=post).update(created_at=UTC_INSTANT)
    AuditLog.objects.create(
        actor_name="mod",
        action=AuditLog.Action.DELETE_POST,
        object_type="post",
        object_id=post.pk,
        object_repr=post.place,
        created_at=UTC_INSTANT,
    )

    queue = moderator_client.get(reverse("admin:forum_reportedpost_changelist")).content.decode()
    log = moderator_client.get(reverse("admin:forum_auditlog_changelist")).content.decode()

    for page in (queue, log):
        assert "March 2, 2026, 12:30 a.m." in page
        assert "3:30 p.m." not in page


# --- Posts named by what they are ---------------------------------------------------------------


def test_the_ban_form_lists_each_post_by_board_number_daily_id_and_words(
    moderator_client, make_board, make_thread, make_post
):
    thread = make_thread(board=make_board(slug="nightowls"), title="Can't sleep")
    post = make_post(thread=thread, body="you are all <b>losers</b>\nand I mean it " + "x" * 300)

    page = moderator_client.post(
        reverse("admin:forum_post_changelist"),
        {"action": "ban_posters", "_selected_action": [str(post.pk)], "index": "0"},
    )

    assert page.status_code == 200
    html = page.content.decode()
    listing = html[html.index('class="moderation-objects"') :]
    listing = listing[: listing.index("</ul>")]
    assert f"/nightowls/{thread.key}/2" in listing
    assert f"ID:{post.daily_id}" in listing
    assert "Can&#x27;t sleep" in listing
    assert "you are all &lt;b&gt;losers&lt;/b&gt; and I mean it" in listing  # escaped, one line
    assert "x" * 300 not in listing  # an excerpt, not the whole post
    assert f"{thread.pk}/2" not in listing.replace(f"/{thread.key}/2", "")


def test_a_post_names_itself_wherever_django_lists_it(make_board, make_thread, make_post):
    thread = make_thread(board=make_board(slug="parents"))
    post = make_post(thread=thread, body="My son has not come out for a week")

    assert (
        str(post)
        == f"/parents/{thread.key}/2 ID:{post.daily_id} “My son has not come out for a week”"
    )
    assert moderation.post_label(post) == f"/parents/{thread.key}/2"  # the audit log's name


# --- A moved thread -----------------------------------------------------------------------------


@pytest.fixture
def moved(make_board, make_thread, make_post, moderator_client, django_capture_on_commit_callbacks):
    night, family = make_board(slug="nightowls"), make_board(slug="parents")
    thread = make_thread(board=night, title="My son stays in his room")
    make_post(thread=thread)
    old = thread.get_absolute_url()
    assert reader().get(old).status_code == 200  # a reader has it open (and cached)
    old_dat = f"/nightowls/dat/{thread.key}.dat"
    assert reader().get(old_dat).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        moderation.move_thread(thread, to_board=family, by=moderator_client.moderator)
    thread.refresh_from_db()
    thread.old_url, thread.old_dat = old, old_dat
    return thread


def test_a_moved_threads_old_address_answers_301_to_its_new_one(moved):
    response = reader().get(moved.old_url)

    assert response.status_code == 301
    assert response["Location"] == f"/test/read.cgi/parents/{moved.key}/"
    assert reader().get(response["Location"]).status_code == 200


@pytest.mark.parametrize("spec", ["l50", "2", "1-2", "2n"])
def test_a_range_of_a_moved_thread_redirects_to_the_same_range(moved, spec):
    response = reader().get(f"{moved.old_url}{spec}")

    assert response.status_code == 301
    assert response["Location"] == f"/test/read.cgi/parents/{moved.key}/{spec}"


def test_the_old_dat_file_is_gone_as_for_any_thread_that_left_the_board(moved):
    # 2channel browsers take a 404 as DAT落ち and find the thread in the new board's subject.txt.
    assert reader().get(moved.old_dat).status_code == 404
    assert reader().get(f"/parents/dat/{moved.key}.dat").status_code == 200


def test_a_reply_sent_to_the_old_address_is_not_posted_anywhere(moved):
    assert reader().post(moved.old_url, {"body": "still there?"}).status_code == 404
    assert Post.objects.filter(thread=moved).count() == 2


def test_an_address_no_thread_ever_had_is_still_404(make_board):
    make_board(slug="nightowls")
    assert reader().get("/test/read.cgi/nightowls/1234567890/").status_code == 404


def test_a_thread_moved_there_and_back_is_read_at_its_first_address(
    moved, make_board, moderator_client, django_capture_on_commit_callbacks
):
    from forum.models import Board

    with django_capture_on_commit_callbacks(execute=True):
        moderation.move_thread(
            moved, to_board=Board.objects.get(slug="nightowls"), by=moderator_client.moderator
        )

    assert reader().get(moved.old_url).status_code == 200
    parents = reader().get(f"/test/read.cgi/parents/{moved.key}/")
    assert parents.status_code == 301
    assert parents["Location"] == moved.old_url
