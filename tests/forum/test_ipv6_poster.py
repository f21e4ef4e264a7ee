"""An IPv6 poster is a /64: one home or phone cannot dodge the limits by changing address.

Flood interval, thread quota, repeated bodies, chat rate, daily IDs and reports all count one /64
as one poster; IPv4 posters stay one address each, even when they share a /24.
"""

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from chat import limits
from chat.rooms import send_message
from forum import moderation
from forum.addresses import hash_address
from forum.errors import Banned, DuplicateBody, FloodControlled
from forum.models import Ban, Post, Report
from forum.moderation import ModerationError
from forum.posting import create_post, create_thread
from forum.reporting import report_post
from tests.chat.factories import make_room  # noqa: F401 (fixture)
from tests.factories import poster_from

pytestmark = pytest.mark.django_db

HOME = "2001:db8:1:2::10"
SAME_HOME = "2001:db8:1:2:aaaa:bbbb:cccc:99"  # same /64, another address
NEIGHBOUR = "2001:db8:1:3::10"  # the next /64: another household
IPV4 = "203.0.113.7"
IPV4_SAME_24 = "203.0.113.8"

ONE_POSTER = [(HOME, SAME_HOME)]
TWO_POSTERS = [(HOME, NEIGHBOUR), (IPV4, IPV4_SAME_24)]


@pytest.mark.parametrize(("first", "second"), ONE_POSTER)
def test_a_second_address_of_the_same_64_waits_out_the_interval(
    settings, make_thread, first, second
):
    settings.YOAKE_POST_INTERVAL = 30
    thread = make_thread()
    create_post(thread, poster=poster_from(first), body="first")
    with pytest.raises(FloodControlled):
        create_post(thread, poster=poster_from(second), body="second")


@pytest.mark.parametrize(("first", "second"), TWO_POSTERS)
def test_another_64_or_another_ipv4_address_does_not_wait(settings, make_thread, first, second):
    settings.YOAKE_POST_INTERVAL = 30
    thread = make_thread()
    create_post(thread, poster=poster_from(first), body="first")
    create_post(thread, poster=poster_from(second), body="second")
    assert thread.posts.count() == 3


def start_two_threads(board, first, second):
    create_thread(board, poster=poster_from(first), title="one", body="a")
    create_thread(board, poster=poster_from(second), title="two", body="b")


@pytest.mark.parametrize(("first", "second"), ONE_POSTER)
def test_one_64_shares_one_thread_quota(make_board, first, second):
    board = make_board(threads_per_hour=1)
    with pytest.raises(FloodControlled):
        start_two_threads(board, first, second)
    assert board.threads.count() == 1


@pytest.mark.parametrize(("first", "second"), TWO_POSTERS)
def test_two_posters_each_have_their_own_thread_quota(make_board, first, second):
    board = make_board(threads_per_hour=1)
    start_two_threads(board, first, second)
    assert board.threads.count() == 2


@pytest.mark.parametrize(("first", "second"), ONE_POSTER)
def test_the_same_body_from_another_address_of_the_64_is_refused(make_thread, first, second):
    thread = make_thread()
    create_post(thread, poster=poster_from(first), body="buy followers here")
    with pytest.raises(DuplicateBody):
        create_post(thread, poster=poster_from(second), body="buy followers here")


@pytest.mark.parametrize(("first", "second"), TWO_POSTERS)
def test_two_posters_may_write_the_same_words(make_thread, first, second):
    thread = make_thread()
    create_post(thread, poster=poster_from(first), body="おやすみなさい")
    create_post(thread, poster=poster_from(second), body="おやすみなさい")
    assert thread.posts.filter(body="おやすみなさい").count() == 2


def chat_five_then(room, first, second):
    for n in range(5):
        send_message(room, sender=hash_address(first), body=f"quick {n}")
    return send_message(room, sender=hash_address(second), body="one more")


@pytest.mark.parametrize(("first", "second"), ONE_POSTER)
def test_one_64_shares_one_chat_rate(make_room, first, second):  # noqa: F811 (fixture)
    with pytest.raises(limits.RateLimited):
        chat_five_then(make_room(), first, second)


@pytest.mark.parametrize(("first", "second"), TWO_POSTERS)
def test_two_posters_each_have_their_own_chat_rate(make_room, first, second):  # noqa: F811
    assert chat_five_then(make_room(), first, second).message.number == 6


@pytest.mark.parametrize(("first", "second"), ONE_POSTER)
def test_one_64_shows_one_daily_id_on_a_board_and_in_a_room(
    make_thread,
    make_room,  # noqa: F811 (fixture)
    first,
    second,
):
    thread, room = make_thread(), make_room()
    one = create_post(thread, poster=poster_from(first), body="a")
    two = create_post(thread, poster=poster_from(second), body="b")
    assert one.daily_id == two.daily_id
    said = send_message(room, sender=hash_address(first), body="a").message
    again = send_message(room, sender=hash_address(second), body="b").message
    assert said.daily_id == again.daily_id


@pytest.mark.parametrize(("first", "second"), TWO_POSTERS)
def test_two_posters_show_two_daily_ids(
    make_thread,
    make_room,  # noqa: F811 (fixture)
    first,
    second,
):
    thread, room = make_thread(), make_room()
    one = create_post(thread, poster=poster_from(first), body="a")
    two = create_post(thread, poster=poster_from(second), body="b")
    assert one.daily_id != two.daily_id
    said = send_message(room, sender=hash_address(first), body="a").message
    other = send_message(room, sender=hash_address(second), body="b").message
    assert said.daily_id != other.daily_id


def test_ipv4_daily_ids_are_the_ones_they_always_were(
    settings,
    make_board,
    make_room,  # noqa: F811 (fixture)
):
    settings.IP_HASH_SECRET = "pinned-secret"
    moment = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
    board = make_board(slug="pinned")
    thread = create_thread(board, poster=poster_from(IPV4), title="t", body="b", now=moment)
    said = send_message(make_room(slug="pinned"), sender=hash_address(IPV4), body="a", now=moment)
    # Worked out from the address hash alone, as before IPv6 posters were counted by /64.
    assert thread.posts.get().daily_id == "2xyUuF3I"
    assert said.message.daily_id == "Y4ZZWLMw"


def report_from(post, *addresses):
    for address in addresses:
        report_post(post, reporter=hash_address(address), reason="spam")
    post.refresh_from_db()


def test_three_reports_from_one_64_count_once_and_do_not_hide_a_post(
    settings, make_thread, make_post
):
    settings.YOAKE_REPORT_HIDE_THRESHOLD = 3
    post = make_post(thread=make_thread())
    report_from(post, HOME, SAME_HOME, "2001:db8:1:2:ffff::1")
    assert post.status == Post.Status.VISIBLE
    assert Report.objects.filter(post=post).count() == 1


def test_reports_from_three_64s_hide_the_post(settings, make_thread, make_post):
    settings.YOAKE_REPORT_HIDE_THRESHOLD = 3
    post = make_post(thread=make_thread())
    report_from(post, HOME, NEIGHBOUR, "2001:db8:1:4::10")
    assert post.status == Post.Status.HIDDEN_PENDING_REVIEW


def test_reports_from_three_ipv4_addresses_of_one_24_still_hide_the_post(
    settings, make_thread, make_post
):
    settings.YOAKE_REPORT_HIDE_THRESHOLD = 3
    post = make_post(thread=make_thread())
    report_from(post, IPV4, IPV4_SAME_24, "203.0.113.9")
    assert post.status == Post.Status.HIDDEN_PENDING_REVIEW


def test_an_address_ban_still_reaches_one_address_of_the_64(make_thread):
    thread = make_thread()
    post = create_post(thread, poster=poster_from(HOME), body="from home")
    Ban.objects.create(kind="address", target_hash=post.address_hash, reason="spam")
    with pytest.raises(Banned):
        create_post(thread, poster=poster_from(HOME), body="again")
    # Bans keep their ranges: the /64 is a narrow ban, chosen by a moderator.
    assert create_post(thread, poster=poster_from(SAME_HOME), body="next door").number == 3


def test_a_ban_by_daily_id_of_a_64_asks_for_the_narrow_range_then_stops_the_home(
    make_thread, make_moderator
):
    thread, moderator = make_thread(), make_moderator()
    post = create_post(thread, poster=poster_from(HOME), body="from home")
    create_post(thread, poster=poster_from(SAME_HOME), body="same ID, another address")
    ban = {"board": thread.board, "daily_id": post.daily_id, "day": timezone.localdate()}
    with pytest.raises(ModerationError) as refused:
        moderation.ban_daily_id(**ban, by=moderator, reason="raid")
    assert "narrow range (/64)" in refused.value.message
    moderation.ban_daily_id(**ban, by=moderator, kind=Ban.Kind.NARROW, reason="raid")
    with pytest.raises(Banned):
        create_post(thread, poster=poster_from("2001:db8:1:2::77"), body="again")
    assert create_post(thread, poster=poster_from(NEIGHBOUR), body="next door").number == 4
