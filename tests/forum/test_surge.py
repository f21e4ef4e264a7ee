"""Surge mode: when a board is flooded by new threads or by browsers new to Yoake, newcomers pass a
small proof of work or a short hold before they start a thread or post there for the first time;
posters with standing notice nothing, and nobody sees a check outside a surge."""

import itertools
from datetime import timedelta

import altcha
import pytest
from django.db import connection
from django.utils import timezone

from forum import surge, surge_proof
from forum.models import AuditLog, Post, SurgeState, Thread
from forum.posting import create_post, create_thread
from forum.standing import cookie_hash, note_seen
from forum.surge import SurgeCheck
from review.models import ReviewItem, Signal
from tests.factories import poster_from

pytestmark = pytest.mark.django_db

NUMBERS = itertools.count(1)


@pytest.fixture(autouse=True)
def _surge_detection_on(settings):
    settings.YOAKE_SURGE = True
    settings.YOAKE_SURGE_PROOF_COST = 1  # a test solves the proof in a blink


def newcomer(address=None):
    n = next(NUMBERS)
    return poster_from(address or f"198.51.100.{n % 250 + 1}", delete_key=f"new-{n}")


def established(address="192.0.2.200", key="old-cookie"):
    poster = poster_from(address, delete_key=key)
    note_seen(cookie_hash(poster), timezone.now() - timedelta(days=20))
    return poster


def thread_by(poster, board, now=None, **kwargs):
    n = next(NUMBERS)
    return create_thread(
        board, poster=poster, title=f"raid {n}", body=f"raid body {n}", now=now, **kwargs
    )


def in_surge(board, *, strength=1):
    surge.switch(board, SurgeState.Switch.ON, by=None)
    board.surge_level = strength
    type(board).objects.filter(pk=board.pk).update(surge_level=strength)
    return board


def solved(board, strength=1, now=None):
    challenge = surge_proof.challenge_for(board, strength, now or timezone.now())
    parsed = altcha.Challenge.from_dict(challenge)
    solution = altcha.solve_challenge(parsed)
    return altcha.Payload(parsed, solution).to_base64()


# --- Detection ---------------------------------------------------------------------------------


def test_a_burst_of_new_threads_far_above_the_boards_usual_rate_starts_a_surge(make_board):
    board = make_board()
    now = timezone.now()
    for n in range(surge.MIN_THREADS - 1):
        thread_by(newcomer(), board, now=now + timedelta(seconds=n))
    board.refresh_from_db()
    assert not board.in_surge(now)
    # The fifth newcomer's try is counted before it is stored: it already meets the check.
    with pytest.raises(SurgeCheck):
        thread_by(newcomer(), board, now=now + timedelta(seconds=10))
    board.refresh_from_db()
    assert board.in_surge(now + timedelta(seconds=11))
    assert "5 browsers new to Yoake tried to start threads in 10 minutes" in board.surge_reason
    started = AuditLog.objects.get(action=AuditLog.Action.SURGE_STARTED)
    assert started.object_id == board.pk and started.reason == board.surge_reason
    # It ends by itself once the flood has stopped for the cool-down.
    assert not board.in_surge(now + surge.COOL_DOWN + timedelta(minutes=1))


def test_newcomers_posts_far_above_the_usual_rate_start_a_surge_too(make_board):
    board = make_board()
    thread = thread_by(established(), board)
    now = timezone.now()
    for n in range(surge.MIN_NEWCOMER_POSTS):
        create_post(thread, poster=newcomer(), body=f"hello {n}", now=now + timedelta(seconds=n))
    board.refresh_from_db()
    assert board.in_surge(now + timedelta(minutes=1))
    assert "posts from new browsers" in board.surge_reason


def busy_week(board, threads: int) -> None:
    """`threads` threads (each with its opening post) spread over the past week, inserted inside
    PostgreSQL: the board's own usual rate."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH made AS (
                INSERT INTO forum_thread (board_id, key, title, post_count, created_at, bumped_at,
                    modified_at, is_pinned, is_locked, is_archived, archived_at, is_held, archive_first)
                SELECT %(board)s, n, 'busy ' || n, 1, t, t, t, false, false, true, t, false, false
                  FROM generate_series(1, %(count)s) n,
                       LATERAL (SELECT now() - interval '7 days' + n * interval '4 minutes') AS x(t)
             RETURNING id, created_at
            )
            INSERT INTO forum_post (thread_id, number, name, tripcode, is_capcode, mail, body,
                created_at, daily_id, address_hash, range_hash_narrow, range_hash_wide,
                delete_key_hash, status, status_reason, is_risk_flagged, is_filter_flagged,
                body_html, reply_to)
            SELECT id, 1, '', '', false, '', 'busy', created_at, 'AbCdEfGh', '', '', '', '',
                   'visible', '', false, false, 'busy', '{}' FROM made
            """,
            {"board": board.pk, "count": threads},
        )


def test_a_board_that_is_always_busy_is_not_in_surge_at_its_usual_rate(make_board):
    board = make_board(threads_per_hour=1000)
    busy_week(board, 2500)  # about 2.5 new threads per 10 minutes, day and night
    now = timezone.now()
    # More than would start a surge on a quiet board, but not four times this board's usual.
    for n in range(surge.MIN_THREADS + 3):
        thread_by(newcomer(), board, now=now + timedelta(seconds=n))
    board.refresh_from_db()
    board.refresh_from_db()
    assert not board.in_surge(now + timedelta(seconds=30))
    # Four times its usual is a surge even there: the newcomers then meet the check.
    with pytest.raises(SurgeCheck):
        for n in range(100):
            thread_by(newcomer(), board, now=now + timedelta(seconds=30 + n))
    board.refresh_from_db()
    assert board.in_surge(now + timedelta(minutes=3))
    # Its surge began near four times its usual (about 10 in the window), not at a quiet board's 5.
    assert Thread.objects.filter(board=board, created_at__gte=now).count() >= 4 * 2.48 - 1


def test_yoake_surge_0_turns_automatic_detection_off_but_a_moderators_switch_still_holds(
    make_board, settings, make_user
):
    settings.YOAKE_SURGE = False
    board = make_board()
    for _n in range(surge.MIN_THREADS * 2):
        thread_by(newcomer(), board)
    board.refresh_from_db()
    assert not board.in_surge() and board.surge_until is None
    moderator = make_user(is_staff=True)
    surge.switch(board, SurgeState.Switch.ON, by=moderator)
    assert board.in_surge()
    with pytest.raises(SurgeCheck):
        thread_by(newcomer(), board)
    assert AuditLog.objects.filter(action=AuditLog.Action.SWITCH_SURGE, actor=moderator).exists()


def test_a_moderator_switching_surge_off_ends_it_whatever_detection_says(make_board, make_user):
    board = make_board()
    with pytest.raises(SurgeCheck):
        for _n in range(surge.MIN_THREADS):
            thread_by(newcomer(), board)
    board.refresh_from_db()
    assert board.in_surge()
    surge.switch(board, SurgeState.Switch.OFF, by=make_user(is_staff=True))
    for _n in range(surge.MIN_THREADS * 2):
        thread_by(newcomer(), board)
    board.refresh_from_db()
    assert not board.in_surge()
    surge.switch(board, SurgeState.Switch.AUTOMATIC, by=make_user(is_staff=True))
    board.refresh_from_db()
    assert board.surge_switch == SurgeState.Switch.AUTOMATIC


# --- The gate ----------------------------------------------------------------------------------


def test_outside_a_surge_nobody_sees_any_check(make_board):
    board = make_board()
    thread = thread_by(newcomer(), board)
    assert create_post(thread, poster=newcomer(), body="first words here").is_visible


def test_posters_with_standing_notice_nothing_in_a_surge(make_board):
    board = in_surge(make_board(), strength=4)
    poster = established()
    thread = thread_by(poster, board)
    assert not thread.is_held and thread.posts.get(number=1).is_visible
    assert not thread.archive_first
    assert create_post(thread, poster=established("192.0.2.201", "old-2"), body="hi").is_visible


def test_a_newcomers_first_reply_waits_a_hold_that_says_how_long_then_goes_through(make_board):
    board = in_surge(make_board(), strength=2)
    thread = thread_by(established(), board)
    poster, now = newcomer(), timezone.now()
    with pytest.raises(SurgeCheck) as first:
        create_post(thread, poster=poster, body="can anyone hear me", now=now)
    assert first.value.wait == surge.HOLD_SECONDS * 2
    assert f"{surge.HOLD_SECONDS * 2} seconds" in first.value.message
    assert first.value.challenge["parameters"]["algorithm"] == "SHA-256"
    with pytest.raises(SurgeCheck) as early:
        create_post(
            thread, poster=poster, body="can anyone hear me", now=now + timedelta(seconds=50)
        )
    assert early.value.wait == 10
    post = create_post(
        thread, poster=poster, body="can anyone hear me", now=now + timedelta(seconds=61)
    )
    assert post.is_visible
    # Passed once: the rest of the surge, their replies go straight through.
    assert create_post(thread, poster=poster, body="thanks", now=now + timedelta(seconds=70))


def test_the_hold_is_kept_per_ipv6_64_not_per_address(make_board):
    board = in_surge(make_board())
    thread = thread_by(established(), board)
    now = timezone.now()
    with pytest.raises(SurgeCheck):
        create_post(thread, poster=newcomer("2001:db8:7:1::1"), body="one", now=now)
    # Another address of the same /64 does not start a new hold: it is the same wait.
    with pytest.raises(SurgeCheck) as same_home:
        create_post(
            thread, poster=newcomer("2001:db8:7:1::99"), body="two", now=now + timedelta(seconds=20)
        )
    assert same_home.value.wait == surge.HOLD_SECONDS - 20
    # A different /64 starts its own.
    with pytest.raises(SurgeCheck) as next_door:
        create_post(
            thread,
            poster=newcomer("2001:db8:7:2::1"),
            body="three",
            now=now + timedelta(seconds=20),
        )
    assert next_door.value.wait == surge.HOLD_SECONDS


def test_a_newcomers_thread_after_the_hold_waits_for_a_moderator_and_is_on_no_page(
    make_board, client, make_user
):
    board = in_surge(make_board())
    poster, now = newcomer(), timezone.now()
    with pytest.raises(SurgeCheck):
        thread_by(poster, board, now=now)
    thread = create_thread(
        board,
        poster=poster,
        title="Held title",
        body="my first thread",
        now=now + timedelta(seconds=31),
    )
    assert thread.is_held and thread.archive_first
    opening = thread.posts.get(number=1)
    assert opening.status == Post.Status.HIDDEN_PENDING_REVIEW
    item = ReviewItem.objects.get(post=opening)
    assert item.signals.filter(source=Signal.Source.HELD).exists()
    assert client.get(thread.get_absolute_url()).status_code == 404
    assert "Held title" not in client.get(board.get_absolute_url()).content.decode()
    assert f"{thread.key}.dat" not in client.get(f"/{board.slug}/subject.txt").content.decode(
        "cp932"
    )

    from review.outcomes import looks_fine

    looks_fine(item, by=make_user(is_staff=True))
    thread.refresh_from_db()
    assert not thread.is_held
    assert client.get(thread.get_absolute_url()).status_code == 200
    assert AuditLog.objects.filter(action=AuditLog.Action.RELEASE_THREAD).exists()


def test_a_proof_of_work_lets_a_newcomers_thread_straight_on_the_board(make_board):
    board = in_surge(make_board())
    thread = thread_by(newcomer(), board, proof=solved(board))
    assert not thread.is_held and thread.archive_first
    assert thread.posts.get(number=1).is_visible


def test_a_forged_a_replayed_an_expired_or_another_boards_proof_is_refused(make_board):
    board, other = in_surge(make_board()), in_surge(make_board())
    proof = solved(board)
    thread_by(newcomer(), board, proof=proof)
    with pytest.raises(SurgeCheck, match="already used"):
        thread_by(newcomer(), board, proof=proof)  # replayed

    payload = altcha.Payload.from_base64(solved(board))
    payload.solution.counter += 1
    payload.solution.derived_key = "00" * 32
    with pytest.raises(SurgeCheck):
        thread_by(newcomer(), board, proof=payload.to_base64())  # forged

    with pytest.raises(SurgeCheck):
        thread_by(newcomer(), board, proof=solved(other))  # for another board

    stale = solved(board, now=timezone.now() - surge_proof.PROOF_LIFETIME - timedelta(minutes=1))
    with pytest.raises(SurgeCheck):
        thread_by(newcomer(), board, proof=stale)  # expired
    with pytest.raises(SurgeCheck):
        thread_by(newcomer(), board, proof="not even base64 !!")


def test_a_stronger_surge_asks_for_more_work_and_a_longer_hold(make_board):
    mild, strong = in_surge(make_board(), strength=1), in_surge(make_board(), strength=4)
    checks = []
    for board in (mild, strong):
        with pytest.raises(SurgeCheck) as check:
            thread_by(newcomer(), board)
        checks.append(check.value)
    assert (
        checks[1].challenge["parameters"]["cost"] == 4 * checks[0].challenge["parameters"]["cost"]
    )
    assert checks[1].wait == 4 * checks[0].wait


# --- Archive order ----------------------------------------------------------------------------


def test_a_raid_never_pushes_out_a_thread_that_was_there_before_it(make_board):
    board = make_board(capacity=8, threads_per_hour=100)
    old = established()
    long_ago = timezone.now() - timedelta(days=2)
    before = [thread_by(old, board, now=long_ago + timedelta(hours=n)) for n in range(6)]
    now = timezone.now()
    raid = []
    for n in range(30):
        poster = newcomer(f"203.0.113.{n + 1}")
        moment = now + timedelta(seconds=n)
        try:
            raid.append(thread_by(poster, board, now=moment, proof=_proof_if_surge(board)))
        except SurgeCheck:  # the try that set the surge off: it sends again with the proof
            raid.append(thread_by(poster, board, now=moment, proof=_proof_if_surge(board)))
    board.refresh_from_db()
    assert board.in_surge(now + timedelta(minutes=1))
    assert len(raid) == 30
    live = set(Thread.objects.filter(board=board).live().values_list("pk", flat=True))
    assert {thread.pk for thread in before} <= live
    # The raid's own threads went first, those before detection included.
    assert Thread.objects.filter(board=board, is_archived=True, archive_first=True).count() == 28
    assert not Thread.objects.filter(board=board, is_archived=True, archive_first=False).exists()


def _proof_if_surge(board):
    board.refresh_from_db()
    return solved(board) if board.in_surge() else ""


def test_held_threads_take_no_room_on_the_board(make_board):
    board = in_surge(make_board(capacity=3))
    old = established()
    kept = [thread_by(old, board) for _n in range(3)]
    now = timezone.now()
    for _n in range(5):
        poster = newcomer()
        with pytest.raises(SurgeCheck):
            thread_by(poster, board, now=now)
        assert thread_by(poster, board, now=now + timedelta(seconds=31)).is_held
    assert set(Thread.objects.filter(board=board).live()) == set(kept)
    assert not Thread.objects.filter(board=board, is_archived=True).exists()
