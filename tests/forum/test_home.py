"""The home page is alive: the boards, the latest threads across boards, and the threads whose
first post is still waiting for a reply after ten minutes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forum.home import (
    boards_with_activity,
    latest_and_waiting,
    latest_threads,
    waiting_for_first_reply,
)
from forum.models import Post, Thread
from forum.moderation import lock_thread, pin_thread
from forum.posting import set_post_status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    # The cached page has its own tests (test_home_cache.py); here every answer is rendered.
    settings.YOAKE_PAGE_CACHE = False


def section(page: str, heading_id: str) -> str:
    """The HTML of the home page's section headed by `heading_id`."""
    start = page.index(f'id="{heading_id}"')
    return page[start : page.index("</section>", start)]


def test_the_latest_threads_across_boards_come_newest_first_and_stop_at_ten(
    client, make_board, make_thread
):
    night, family = make_board(title_en="Night owls"), make_board(title_en="Parents & family")
    start = timezone.now() - timedelta(hours=3)
    for n in range(12):
        make_thread(
            board=night if n % 2 else family,
            title=f"Topic {n:02d}",
            now=start + timedelta(minutes=n),
        )

    latest = section(client.get("/").content.decode(), "latest-heading")

    shown = [f"Topic {n:02d}" for n in range(11, 1, -1)]
    assert [latest.index(title) for title in shown] == sorted(latest.index(t) for t in shown)
    assert "Topic 01" not in latest and "Topic 00" not in latest
    assert "Night owls" in latest and "Parents &amp; family" in latest


def test_each_latest_thread_says_its_board_post_count_and_last_post_time(
    client, make_board, make_thread, make_post
):
    thread = make_thread(board=make_board(title_en="Everyday talk"), title="Rainy evening")
    make_post(thread=thread, body="here too")
    last = make_post(thread=thread, body="and here", mail="sage")

    latest = section(client.get("/").content.decode(), "latest-heading")

    assert "Rainy evening" in latest and "Everyday talk" in latest
    assert "3 posts" in latest
    # The last post's time even when it was sage and did not bump the thread.
    assert f'datetime="{timezone.localtime(last.created_at).isoformat()}"' in latest


def test_a_first_post_starts_waiting_exactly_ten_minutes_after_it_was_written(make_thread):
    posted = timezone.now() - timedelta(hours=1)
    thread = make_thread(now=posted)

    ten_minutes = timedelta(minutes=10)
    assert waiting_for_first_reply(now=posted + ten_minutes - timedelta(seconds=1)) == []
    assert waiting_for_first_reply(now=posted + ten_minutes) == [thread]


def test_a_first_reply_takes_the_thread_off_the_waiting_list(make_thread, make_post):
    now = timezone.now()
    answered = make_thread(now=now - timedelta(minutes=30))
    alone = make_thread(now=now - timedelta(minutes=20))
    make_post(thread=answered, body="I'm up too.")

    assert waiting_for_first_reply(now=now) == [alone]


def test_waiting_threads_come_newest_first_in_a_short_list(make_thread):
    now = timezone.now()
    threads = [make_thread(now=now - timedelta(minutes=60 - n)) for n in range(8)]

    assert waiting_for_first_reply(now=now) == threads[::-1][:5]


def test_locked_pinned_archived_held_and_deleted_threads_wait_for_nobody(
    make_thread, make_moderator
):
    now = timezone.now()
    moderator = make_moderator()
    waiting = make_thread(now=now - timedelta(minutes=15))
    lock_thread(make_thread(now=now - timedelta(minutes=15)), by=moderator)
    pin_thread(make_thread(now=now - timedelta(minutes=15)), by=moderator)
    archived = make_thread(now=now - timedelta(minutes=15))
    Thread.objects.filter(pk=archived.pk).update(is_archived=True, archived_at=now)
    held = make_thread(now=now - timedelta(minutes=15))
    Thread.objects.filter(pk=held.pk).update(is_held=True)
    gone = make_thread(now=now - timedelta(minutes=15))
    set_post_status(gone.posts.get(number=1), Post.Status.DELETED_BY_POSTER)

    assert waiting_for_first_reply(now=now) == [waiting]
    assert archived not in latest_threads() and held not in latest_threads()


def test_the_home_page_asks_kindly_for_a_reply_to_threads_left_waiting(
    client, make_board, make_thread
):
    board = make_board(title_en="Night owls")
    make_thread(board=board, title="Anyone awake?", now=timezone.now() - timedelta(minutes=11))
    make_thread(board=board, title="Just posted", now=timezone.now() - timedelta(minutes=2))

    waiting = section(client.get("/").content.decode(), "waiting-heading")

    assert "Waiting for a first reply" in waiting
    assert "Nobody has answered these yet — a few words help." in waiting
    assert "Anyone awake?" in waiting and "Night owls" in waiting
    assert "Just posted" not in waiting


def test_with_nobody_waiting_the_home_page_shows_no_waiting_list(client, make_thread):
    make_thread(now=timezone.now() - timedelta(minutes=2))

    assert 'id="waiting-heading"' not in client.get("/").content.decode()


def test_the_home_page_speaks_japanese(client, make_board, make_thread):
    make_thread(board=make_board(), now=timezone.now() - timedelta(minutes=11))

    page = client.get("/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()

    assert "最初のレスを待っているスレッド" in page
    assert "新着スレッド" in page
    assert "Latest threads" not in page and "Waiting for a first reply" not in page


def test_every_board_is_still_listed(client, make_board):
    boards = [make_board(title_en=title) for title in ("Night owls", "Parents & family")]
    page = client.get("/").content.decode()
    assert page.count('class="card board-card"') == 2
    for board in boards:
        assert f'<a href="/{board.slug}/">' in page


@pytest.mark.parametrize("threads", [3, 40])
def test_the_home_page_costs_three_queries_however_many_threads(
    client, django_assert_num_queries, make_board, make_thread, make_post, threads
):
    boards = [make_board() for _ in range(4)]
    earlier = timezone.now() - timedelta(hours=1)
    for n in range(threads):
        thread = make_thread(board=boards[n % 4], now=earlier + timedelta(seconds=n))
        if n % 3 == 0:
            make_post(thread=thread)
    with django_assert_num_queries(3):
        page = client.get("/").content.decode()
    assert 'id="waiting-heading"' in page
    assert page.count("/test/read.cgi/") >= min(threads, 10)


def test_the_one_query_for_both_lists_finds_what_each_list_finds(
    make_board, make_thread, make_post
):
    """latest_and_waiting (SQL compiled once per process, the time filled in per call) against
    latest_threads and waiting_for_first_reply (the ORM's reading of the same rules)."""
    start = timezone.now() - timedelta(hours=5)
    boards = [make_board(), make_board()]
    threads = [
        make_thread(board=boards[n % 2], title=f"Topic {n}", now=start + timedelta(minutes=n))
        for n in range(14)
    ]
    make_post(thread=threads[3])
    make_post(thread=threads[12], now=start + timedelta(hours=2))
    Thread.objects.filter(pk=threads[5].pk).update(is_locked=True)
    Thread.objects.filter(pk=threads[7].pk).update(is_held=True)
    for now in (start + timedelta(minutes=11), start + timedelta(hours=6)):
        latest, waiting = latest_and_waiting(now=now)

        def seen(found):
            return [(t.pk, t.title, t.post_count, t.created_at, t.board_id) for t in found]

        assert seen(latest) == seen(latest_threads())
        assert [t.last_post_at for t in latest] == [t.last_post_at for t in latest_threads()]
        assert seen(waiting) == seen(waiting_for_first_reply(now=now))
    assert len(waiting) == 5 and len(latest) == 10


def test_each_board_counts_its_live_threads_and_their_posts(
    client, make_board, make_thread, make_post
):
    night, family, empty = make_board(), make_board(), make_board()
    first = make_thread(board=night)
    make_thread(board=night)
    make_post(thread=first)
    archived = make_thread(board=family)
    Thread.objects.filter(pk=archived.pk).update(is_archived=True, archived_at=timezone.now())
    make_thread(board=family)

    totals = {
        b.pk: (b.thread_total, b.post_total) for b in boards_with_activity(now=timezone.now())
    }

    assert totals[night.pk] == (2, 3) and totals[family.pk] == (1, 1) and totals[empty.pk] == (0, 0)
