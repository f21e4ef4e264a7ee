"""Posting on the boards: numbering, sage, the cap, the archive, names, IDs and limits."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.db.models.expressions import RawSQL
from django.utils import timezone

from forum.errors import InvalidInput, ThreadClosed
from forum.models import Post, Standing, Thread
from forum.posting import create_post, create_thread
from forum.standing import cookie_hash
from support.search import search_document
from tests.factories import poster_from
from tests.forum.helpers import fill_thread

pytestmark = pytest.mark.django_db


def test_first_post_of_a_thread_is_number_one_and_replies_follow(make_thread, make_post):
    thread = make_thread()
    make_post(thread=thread)
    make_post(thread=thread)
    assert list(thread.posts.values_list("number", flat=True)) == [1, 2, 3]
    thread.refresh_from_db()
    assert thread.post_count == 3


def test_a_stored_reply_reads_back_as_it_was_given_and_is_searchable_by_its_words(
    make_thread, make_post
):
    thread = make_thread(title="眠れない夜")
    post = make_post(thread=thread, body="散歩 >>1 >>9\nwalked to the station", mail="sage")
    stored = Post.objects.annotate(
        same_vector=RawSQL(
            "search_vector = to_tsvector('simple', %s)", [search_document(post.body)]
        )
    ).get(pk=post.pk)
    for field in Post._meta.concrete_fields:
        if field.name != "search_vector":
            assert getattr(stored, field.attname) == getattr(post, field.attname), field.name
    assert stored.reply_to == [1] and stored.number == 2 and stored.mail == "sage"
    assert stored.same_vector is True
    # Saved again (moderators' tools do), the post keeps its words.
    post.status_reason = "checked"
    post.save()
    assert Post.objects.filter(pk=post.pk, search_vector="station").exists()


def _post_concurrently(thread, count: int, *, start_barrier=True):
    results, errors = [], []
    barrier = threading.Barrier(count)

    def worker(n):
        try:
            if start_barrier:
                barrier.wait()
            post = create_post(thread, poster=poster_from(f"10.0.{n}.1"), body=f"concurrent {n}")
            results.append(post.number)
        except ThreadClosed as closed:
            errors.append(closed)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_thirty_concurrent_posters_get_numbers_two_to_thirty_one(make_thread):
    thread = make_thread()
    numbers, errors = _post_concurrently(thread, 30)
    assert errors == []
    assert sorted(numbers) == list(range(2, 32))
    stored = list(
        Post.objects.filter(thread=thread).order_by("number").values_list("number", flat=True)
    )
    assert stored == list(range(1, 32))
    thread.refresh_from_db()
    assert thread.post_count == 31


@pytest.mark.django_db(transaction=True)
def test_thirty_concurrent_posts_at_990_leave_exactly_1000_and_refuse_the_rest(make_thread):
    thread = make_thread()
    fill_thread(thread, 990)
    numbers, errors = _post_concurrently(thread, 30)
    assert sorted(numbers) == list(range(991, 1001))
    assert len(errors) == 20
    assert all("full" in str(error) for error in errors)
    thread.refresh_from_db()
    assert thread.post_count == 1000
    assert Post.objects.filter(thread=thread).count() == 1000


@pytest.mark.django_db(transaction=True)
def test_posters_in_four_threads_at_once_get_numbers_without_gaps_in_each(make_board, make_thread):
    board = make_board()
    threads = [make_thread(board=board) for _ in range(4)]
    barrier = threading.Barrier(32)
    got, failures = {thread.pk: [] for thread in threads}, []

    def worker(n):
        thread = threads[n % 4]
        try:
            barrier.wait()
            for round_ in range(3):
                poster = poster_from(f"10.1.{n}.1", delete_key=f"key-{n}")
                post = create_post(thread, poster=poster, body=f"poster {n}, post {round_}")
                got[thread.pk].append(post.number)
        except Exception as error:  # every one reported below
            failures.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=worker, args=(n,)) for n in range(32)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert failures == []
    for thread in threads:
        assert sorted(got[thread.pk]) == list(range(2, 26))
        stored = thread.posts.order_by("number").values_list("number", flat=True)
        assert list(stored) == list(range(1, 26))
        thread.refresh_from_db()
        assert thread.post_count == 25


def test_an_anchor_to_its_own_or_a_later_number_is_no_reply(client, make_thread, make_post):
    thread = make_thread()
    post = make_post(thread=thread, body=">>1 >>2 >>7")  # it becomes number 2
    assert post.number == 2 and post.reply_to == [1]
    assert thread.posts.get(number=2).reply_to == [1]
    make_post(thread=thread, body="three")
    page = client.get(thread.get_absolute_url()).content.decode()
    assert page.count('class="backlinks"') == 1  # under post 1 only


def test_a_post_refused_by_a_full_thread_gives_the_browser_no_standing(make_thread):
    thread = make_thread()
    fill_thread(thread, 1000)
    poster = poster_from("203.0.113.91", delete_key="first-try")
    with pytest.raises(ThreadClosed):
        create_post(thread, poster=poster, body="too late")
    assert not Standing.objects.filter(cookie_hash=cookie_hash(poster)).exists()


def test_a_full_thread_says_so_and_takes_no_more_posts(client, make_thread, make_post):
    thread = make_thread()
    fill_thread(thread, 1000)
    with pytest.raises(ThreadClosed, match="1000 posts and is full"):
        make_post(thread=thread)
    page = client.get(thread.get_absolute_url(), {"v": 1}).content.decode()
    assert "is full" in page
    assert 'id="post-form"' in page and "<textarea" not in page


def test_sage_does_not_bump_the_thread(make_thread, make_post):
    thread = make_thread(now=timezone.now() - timedelta(hours=1))
    before = Thread.objects.get(pk=thread.pk).bumped_at
    make_post(thread=thread, mail="sage")
    assert Thread.objects.get(pk=thread.pk).bumped_at == before


def test_a_reply_without_sage_bumps_the_thread(make_thread, make_post):
    thread = make_thread(now=timezone.now() - timedelta(hours=1))
    before = Thread.objects.get(pk=thread.pk).bumped_at
    make_post(thread=thread, mail="hello")
    assert Thread.objects.get(pk=thread.pk).bumped_at > before


def test_board_over_capacity_archives_the_least_recently_bumped_unpinned_thread(
    make_board, make_thread, make_post
):
    board = make_board(capacity=3)
    now = timezone.now()
    oldest = make_thread(board=board, now=now - timedelta(hours=5))
    pinned = make_thread(board=board, now=now - timedelta(hours=6))
    Thread.objects.filter(pk=pinned.pk).update(is_pinned=True)
    middle = make_thread(board=board, now=now - timedelta(hours=4))
    make_post(thread=oldest, now=now - timedelta(hours=1))  # bumped: no longer the stalest
    newest = make_thread(board=board, now=now)
    archived = set(
        Thread.objects.filter(board=board, is_archived=True).values_list("pk", flat=True)
    )
    assert archived == {middle.pk}
    assert Thread.objects.filter(board=board, is_archived=False).count() == 3
    assert {oldest.pk, pinned.pk, newest.pk} <= set(
        Thread.objects.filter(is_archived=False).values_list("pk", flat=True)
    )


def test_archived_thread_is_readable_but_takes_no_posts(client, make_thread, make_post):
    thread = make_thread()
    Thread.objects.filter(pk=thread.pk).update(is_archived=True, archived_at=timezone.now())
    thread.refresh_from_db()
    with pytest.raises(ThreadClosed, match="archive"):
        make_post(thread=thread)
    page = client.get(thread.get_absolute_url())
    assert page.status_code == 200
    assert "archive" in page.content.decode().lower()
    listing = client.get(f"/{thread.board.slug}/archive/").content.decode()
    assert thread.title in listing


def test_thread_keys_are_unique_per_board_even_in_the_same_second(make_board, make_thread):
    board = make_board()
    moment = timezone.now()
    first = make_thread(board=board, now=moment)
    second = make_thread(board=board, now=moment)
    assert second.key == first.key + 1
    assert first.key == int(moment.timestamp())


def test_empty_name_shows_the_board_default(client, make_board, make_thread):
    board = make_board(default_name_en="Anonymous", default_name_ja="名無しさん")
    thread = make_thread(board=board)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert '<span class="post-name">Anonymous</span>' in page
    page_ja = client.get(thread.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert '<span class="post-name">名無しさん</span>' in page_ja


def test_name_with_key_shows_a_tripcode_and_a_typed_diamond_is_disarmed(make_thread, make_post):
    thread = make_thread()
    post = make_post(thread=thread, name="◆fake☆#tripcode")
    assert post.tripcode == "3GqYIJ3Obs"
    assert post.name == "◇fake☆"
    assert "◆" not in post.name


def test_moderator_capcode_is_only_given_by_the_site(make_thread, make_post):
    thread = make_thread()
    with pytest.raises(InvalidInput) as refused:
        make_post(thread=thread, name="Moderator ★")
    assert list(refused.value.errors) == ["name"]
    real = make_post(thread=thread, as_moderator=True)
    assert real.is_capcode


def test_daily_id_is_stable_within_a_day_and_board_and_differs_across_them(
    make_board, make_thread, make_post
):
    board_a, board_b = make_board(), make_board()
    thread_a, thread_b = make_thread(board=board_a), make_thread(board=board_b)
    today = timezone.now()
    a1 = make_post(thread=thread_a, address="203.0.113.50", now=today)
    a2 = make_post(thread=thread_a, address="203.0.113.50", now=today)
    other_person = make_post(thread=thread_a, address="203.0.113.51", now=today)
    other_board = make_post(thread=thread_b, address="203.0.113.50", now=today)
    tomorrow = make_post(thread=thread_a, address="203.0.113.50", now=today + timedelta(days=1))
    assert a1.daily_id == a2.daily_id
    assert len(a1.daily_id) == 8
    assert other_person.daily_id != a1.daily_id
    assert other_board.daily_id != a1.daily_id
    assert tomorrow.daily_id != a1.daily_id


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "t" * 97, "title can be at most 96"),
        ("name", "n" * 33, "name can be at most 32"),
        ("mail", "m" * 65, "mail field can be at most 64"),
        ("body", "b" * 4001, "at most 4000 characters"),
        ("body", "line\n" * 61, "at most 60 lines"),
        ("body", " \n\t\u3000 \n", "write something"),
        ("title", "", "give the thread a title"),
    ],
)
def test_each_input_limit_is_refused_with_a_clear_message(make_board, field, value, message):
    fields = {"title": "A title", "name": "", "mail": "", "body": "Hello"}
    fields[field] = value
    with pytest.raises(InvalidInput) as refusal:
        create_thread(make_board(), poster=poster_from(), **fields)
    assert field in refusal.value.errors
    assert message in refusal.value.errors[field][0]


def test_limits_allow_exactly_the_maximum(make_board):
    thread = create_thread(
        make_board(),
        poster=poster_from(),
        title="t" * 96,
        name="n" * 32,
        mail="m" * 64,
        body="b" * 4000,
    )
    assert thread.posts.get().body == "b" * 4000


def test_controls_bidi_overrides_and_nul_are_removed_and_text_is_nfc(make_thread, make_post):
    thread = make_thread()
    post = make_post(thread=thread, body="a\x00b\u202ec\u2066d\x07e\r\nｶﾞ cafe\u0301")
    assert post.body == "abcde\nｶﾞ café"


def test_ascii_art_keeps_its_spaces_and_line_breaks(client, make_thread, make_post):
    thread = make_thread()
    art = "  ∧＿∧\n （　´∀｀）\n （　　　　）\n   |  |   |"
    make_post(thread=thread, body=art)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "  ∧＿∧\n （　´∀｀）\n （　　　　）\n   |  |   |" in page


def test_posting_from_a_known_address_leaves_no_trace_of_it_in_any_table(make_thread, make_post):
    address = "203.0.113.199"
    thread = make_thread(address=address)
    make_post(thread=thread, address=address)
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = [row[0] for row in cursor.fetchall()]
        dump = []
        for table in tables:
            cursor.execute(f'SELECT t::text FROM "{table}" t')
            dump.extend(row[0] for row in cursor.fetchall())
    text = "\n".join(dump)
    assert thread.title in text  # the dump really holds the posts
    assert address not in text
    assert "203.0.113" not in text
