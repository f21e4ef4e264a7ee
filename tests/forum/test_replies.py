"""Replies to you, without an account: the poster cookie knows which posts are yours; a post that
answers one of them (>>N) shows on your Replies page and as "1 reply to you" in the header, and
pages stay the same for every reader."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from django.test import Client

from forum.moderation.posts import delete_post_as_moderator
from forum.posting import create_thread
from tests.factories import poster_from
from tests.realtime.sockets import communicator, next_frame, nothing_more

pytestmark = pytest.mark.django_db

FIRST_POSTER = "first-poster-key"


def browser(key: str | None = None) -> Client:
    client = Client()
    if key:
        client.cookies["yoake_poster"] = key
    return client


def count(client: Client) -> dict:
    response = client.get("/replies/count/")
    assert "no-store" in response["Cache-Control"]
    return response.json()


@pytest.fixture
def night_thread(make_board):
    """A thread started at night by the first poster, on a board without flood control."""
    return create_thread(
        make_board(flood_interval=0),
        poster=poster_from(delete_key=FIRST_POSTER),
        title="Can't sleep again",
        body="Is anyone else awake?",
    )


def test_a_reply_to_your_post_shows_as_one_reply_to_you(night_thread, make_post):
    make_post(thread=night_thread, body=">>1 I'm awake too", poster=poster_from(delete_key="b"))

    assert count(browser(FIRST_POSTER)) == {
        "unseen": 1,
        "label": "1 reply to you",
        "posted": True,
    }
    page = browser(FIRST_POSTER).get("/replies/").content.decode()
    assert "I&#x27;m awake too" in page and "Can&#x27;t sleep again" in page
    assert "replied to your &gt;&gt;1" in page
    assert f'href="{night_thread.get_absolute_url()}#p2"' in page


def test_nobody_else_sees_your_replies(night_thread, make_post):
    make_post(thread=night_thread, body=">>1 hello", poster=poster_from(delete_key="b"))

    assert count(browser("a-stranger"))["unseen"] == 0
    assert "hello" not in browser("a-stranger").get("/replies/").content.decode()
    assert count(browser()) == {"unseen": 0, "label": "Replies", "posted": False}
    assert "has not posted yet" in browser().get("/replies/").content.decode()


def test_answering_your_own_post_is_not_a_reply_to_you(night_thread, make_post):
    make_post(
        thread=night_thread, body=">>1 adding more", poster=poster_from(delete_key=FIRST_POSTER)
    )
    make_post(thread=night_thread, body="no anchor at all", poster=poster_from(delete_key="b"))

    assert count(browser(FIRST_POSTER))["unseen"] == 0


def test_opening_the_replies_page_marks_them_seen_and_newer_ones_count_again(
    night_thread, make_post
):
    make_post(thread=night_thread, body=">>1 first answer", poster=poster_from(delete_key="b"))
    make_post(thread=night_thread, body=">>1 second answer", poster=poster_from(delete_key="c"))
    me = browser(FIRST_POSTER)
    assert count(me)["label"] == "2 replies to you"

    page = me.get("/replies/").content.decode()
    assert page.index("second answer") < page.index("first answer")  # newest first
    assert page.count('class="new-mark"') == 2
    assert count(me)["unseen"] == 0

    make_post(thread=night_thread, body=">>2 and a third", poster=poster_from(delete_key="d"))
    make_post(thread=night_thread, body=">>1 a later one", poster=poster_from(delete_key="d"))
    assert count(me)["unseen"] == 1  # >>2 answers someone else
    page = me.get("/replies/").content.decode()
    assert page.count('class="new-mark"') == 1 and "and a third" not in page


def test_a_reply_a_moderator_deletes_no_longer_counts(night_thread, make_post, make_moderator):
    reply = make_post(
        thread=night_thread, body=">>1 something cruel", poster=poster_from(delete_key="b")
    )
    delete_post_as_moderator(reply, by=make_moderator(), reason="cruel")

    assert count(browser(FIRST_POSTER))["unseen"] == 0
    assert "something cruel" not in browser(FIRST_POSTER).get("/replies/").content.decode()


def test_a_reply_is_escaped_on_the_replies_page(night_thread, make_post):
    make_post(
        thread=night_thread,
        body=">>1 <script>alert(1)</script>",
        poster=poster_from(delete_key="b"),
    )

    page = browser(FIRST_POSTER).get("/replies/").content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_the_count_is_said_in_japanese_to_a_japanese_reader(night_thread, make_post):
    make_post(thread=night_thread, body=">>1 おきてるよ", poster=poster_from(delete_key="b"))
    me = browser(FIRST_POSTER)

    label = me.get("/replies/count/", HTTP_ACCEPT_LANGUAGE="ja").json()["label"]
    assert label == "あなたへのレス 1件"


def test_cached_pages_are_the_same_for_you_and_a_stranger(night_thread, make_post):
    make_post(thread=night_thread, body=">>1 hi", poster=poster_from(delete_key="b"))
    for url in ("/", night_thread.get_absolute_url()):
        mine = browser(FIRST_POSTER).get(url).content
        assert mine == browser("a-stranger").get(url).content
        assert b'href="/replies/" data-replies' in mine


def test_a_signed_in_reader_sees_replies_to_posts_from_their_other_browser(
    night_thread, make_post, make_user
):
    user = make_user()
    phone, laptop = browser(FIRST_POSTER), browser("laptop-key")
    phone.force_login(user)
    laptop.force_login(user)
    count(phone)  # the phone is used signed in once

    make_post(thread=night_thread, body=">>1 from the morning", poster=poster_from(delete_key="b"))

    assert count(laptop)["unseen"] == 1
    assert "from the morning" in laptop.get("/replies/").content.decode()
    assert count(phone)["unseen"] == 0  # seen on one device, seen on all
    # Another account, or nobody signed in, on that laptop's cookie alone: nothing.
    assert count(browser("laptop-key"))["unseen"] == 0


def test_the_count_and_the_page_take_the_same_queries_however_many_replies(
    night_thread, make_post, django_assert_num_queries
):
    me = browser(FIRST_POSTER)
    with django_assert_num_queries(1):
        count(me)
    with django_assert_num_queries(0):  # no cookie: nothing to look up
        count(browser())
    make_post(thread=night_thread, body=">>1 one", poster=poster_from(delete_key="b"))
    me.get("/replies/")
    for n in range(12):
        make_post(thread=night_thread, body=f">>1 more {n}", poster=poster_from(delete_key=f"k{n}"))
    with django_assert_num_queries(4):  # last seen, count, the page, marked seen
        me.get("/replies/")
    with django_assert_num_queries(1):
        count(me)


@pytest.mark.django_db(transaction=True)
async def test_an_open_page_hears_of_a_reply_the_moment_it_is_committed(night_thread, make_post):
    listening = communicator("/ws/replies/", poster_cookie=FIRST_POSTER)
    stranger = communicator("/ws/replies/", poster_cookie="a-stranger")
    assert (await listening.connect(timeout=5))[0] and (await stranger.connect(timeout=5))[0]
    try:
        await sync_to_async(make_post)(
            thread=night_thread, body=">>1 you're not alone", poster=poster_from(delete_key="b")
        )
        assert await next_frame(listening, "replies") == {"type": "replies"}
        assert await nothing_more(stranger)
    finally:
        await listening.disconnect()
        await stranger.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_a_browser_that_never_posted_gets_no_replies_socket():
    socket = communicator("/ws/replies/")
    connected, code = await socket.connect(timeout=5)
    assert not connected and code == 4404


def test_an_account_keeps_at_most_twenty_browsers(night_thread, make_post, make_user):
    from forum.models import PosterLink
    from forum.replies import LINKED_BROWSERS_MAX

    user = make_user()
    for n in range(LINKED_BROWSERS_MAX + 3):
        device = browser(f"device-{n}")
        device.force_login(user)
        count(device)
    assert PosterLink.objects.filter(user=user).count() == LINKED_BROWSERS_MAX
    user.delete()
    assert not PosterLink.objects.exists()
