"""A fresh install is not an empty room: each board opens with a pinned welcome thread from the
team, in English and Japanese, and nothing pretends to be a user."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from forum import seed
from forum.composing import CAPCODE_NAME
from forum.daily_id import CAPCODE_ID
from forum.home import latest_threads, waiting_for_first_reply
from forum.models import AuditLog, Board, Post, Thread
from forum.moderation import archive_thread
from forum.welcome import WELCOME_TITLE, welcome_body
from review.models import Signal

pytestmark = pytest.mark.django_db

SEED_BOARDS = [board["slug"] for board in seed.BOARDS]


@pytest.fixture
def seeded():
    call_command("seed", verbosity=0)


def opening_post(board: str) -> Post:
    return Post.objects.get(thread__board__slug=board, number=1)


def test_a_fresh_install_has_one_pinned_welcome_thread_on_every_board(seeded):
    for slug in SEED_BOARDS:
        threads = Thread.objects.filter(board__slug=slug)
        assert [(t.title, t.is_pinned, t.post_count) for t in threads] == [(WELCOME_TITLE, True, 1)]


def test_the_welcome_post_is_marked_as_the_teams(seeded):
    for slug in SEED_BOARDS:
        post = opening_post(slug)
        assert post.is_capcode and post.name == CAPCODE_NAME and post.daily_id == CAPCODE_ID
        assert "The Yoake team" in post.body and "夜明け 運営チーム" in post.body


def test_there_are_no_invented_posts_by_users(seeded):
    assert not Post.objects.filter(is_capcode=False).exists()


def test_the_welcome_says_what_the_board_is_for_how_to_post_and_where_help_is(seeded):
    family = opening_post("family").body
    assert "parents, siblings and partners" in family and "親・きょうだい・パートナー" in family
    assert 'post as "A family member"' in family and "「家族さん」" in family
    for slug in SEED_BOARDS:
        body = opening_post(slug).body
        assert "How to post" in body and "書きこみ方" in body
        assert body.count("/support/help-now/") == 2 and body.count("/support/rules/") == 2


def test_the_welcome_page_shows_both_languages_with_the_moderator_mark(client, seeded):
    thread = Thread.objects.get(board__slug="night")
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Moderator ★" in page
    assert "Welcome to /night/, Night owls." in page and "/night/「夜ふかし」へようこそ。" in page


def test_a_2channel_browser_reads_the_welcome_as_plain_shift_jis(client, seeded):
    for board in Board.objects.all():
        welcome_body(board).encode("cp932")  # no character JDim would see as a reference
    thread = Thread.objects.get(board__slug="night")
    dat = client.get(f"/night/dat/{thread.key}.dat").content.decode("cp932")
    assert "はじめにお読みください" in dat and "&#" not in dat


def test_the_welcome_posts_raise_no_risk_or_filter_flags(seeded):
    # The support seed runs first, so its risk phrases were all in place.
    assert not Signal.objects.exists()
    assert not Post.objects.filter(is_risk_flagged=True).exists()


def test_posting_and_pinning_the_welcome_are_in_the_audit_log(seeded):
    for action in (AuditLog.Action.CAPCODE_POST, AuditLog.Action.PIN_THREAD):
        rows = AuditLog.objects.filter(action=action)
        assert rows.count() == len(SEED_BOARDS)
        assert {(row.actor_id, row.actor_name) for row in rows} == {(None, "Yoake team (seed)")}


def test_seeding_again_posts_no_second_welcome_thread(seeded):
    summary = seed.run()
    call_command("seed", verbosity=0)

    assert "0 welcome threads posted" in summary
    assert Thread.objects.count() == len(SEED_BOARDS)


def test_a_welcome_thread_the_moderators_archived_is_not_brought_back(seeded, make_moderator):
    archive_thread(Thread.objects.get(board__slug="talk"), by=make_moderator())

    seed.run()

    assert Thread.objects.filter(board__slug="talk").count() == 1


def test_a_board_already_in_use_gets_no_welcome_thread(make_board, make_thread):
    night = make_board(slug="night", title_en="Night owls", title_ja="夜ふかし")
    already = make_thread(board=night, title="Already talking")

    summary = seed.run()

    assert list(Thread.objects.filter(board=night)) == [already]
    assert f"{len(SEED_BOARDS) - 1} welcome threads posted" in summary


def test_the_welcome_threads_show_as_latest_but_wait_for_nobody(client, settings, seeded):
    settings.YOAKE_PAGE_CACHE = False
    an_hour_later = timezone.now() + timedelta(hours=1)

    latest = latest_threads()
    assert {t.title for t in latest} == {WELCOME_TITLE}
    assert [t.board.slug for t in latest] == SEED_BOARDS  # in the boards' own order
    assert waiting_for_first_reply(now=an_hour_later) == []
    assert client.get("/").content.decode().count(WELCOME_TITLE) == len(SEED_BOARDS)
