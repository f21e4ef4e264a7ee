"""A thread's dat, byte for byte: names, tripcodes, sage, deletions, emoji, ASCII art, the cap."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation
from django.utils.translation import gettext

from forum.models import Post
from forum.posting import create_post, delete_own_post
from tests.factories import poster_from
from tests.forum.helpers import fill_thread

pytestmark = pytest.mark.django_db

# 2026-03-01 18:04:05.67 UTC is Monday 2 March, 03:04:05.67 in Japan.
START = datetime(2026, 3, 1, 18, 4, 5, 670000, tzinfo=UTC)
TITLE = '夜ふかし <雑談> & "話そう"'
ART = "   ∧＿∧\n  （ ´∀｀）  <  おやすみ\n  /    |"


def _ids(thread) -> dict[int, str]:
    return dict(Post.objects.filter(thread=thread).values_list("number", "daily_id"))


def _date(seconds: int) -> str:
    return f"2026/03/02(月) 03:04:{5 + seconds:02d}.67"


@pytest.fixture
def evening(night, make_thread):
    """Eight posts covering every way a dat line can look."""
    thread = make_thread(board=night, title=TITLE, body="眠れない人、集まれ", now=START)

    def reply(n: int, **kwargs):
        kwargs.setdefault("poster", poster_from(f"192.0.2.{n}", delete_key=f"key-{n}"))
        return create_post(thread, now=START + timedelta(seconds=n - 1), **kwargs)

    reply(2, name="ななし#istrip", mail="sage", body=">>1\nこんばんは")
    reply(3, name="◆偽物☆", body="おはよう😀")
    reply(4, body=ART)
    gone = reply(5, body="消します")
    delete_own_post(gone, delete_key="key-5")
    reply(6, name="#tripcode", body="トリップだけ")
    reply(7, body="お知らせです", as_moderator=True)
    reply(8, body="typed &#128512; and &amp; and &#8238; and &#x1F600;")
    return thread


def test_the_dat_has_one_exact_line_per_post_and_the_title_on_line_one(client, evening):
    ids = _ids(evening)
    with translation.override("ja"):
        moderator = gettext("Moderator")
    expected = (
        f"名無しさん<><>{_date(0)} ID:{ids[1]}<> 眠れない人、集まれ <>"
        "夜ふかし &lt;雑談&gt; &amp; &quot;話そう&quot;\n"
        f"ななし </b>◆/WG5qp963c <b><>sage<>{_date(1)} ID:{ids[2]}<> &gt;&gt;1 <br> こんばんは <>\n"
        f"◇偽物☆<><>{_date(2)} ID:{ids[3]}<> おはよう&#128512; <>\n"
        f"名無しさん<><>{_date(3)} ID:{ids[4]}<>"
        "    ∧＿∧ <br>   （ ´∀｀）  &lt;  おやすみ <br>   /    | <>\n"
        "あぼーん<>あぼーん<>あぼーん<>あぼーん<>\n"
        f"名無しさん </b>◆3GqYIJ3Obs <b><><>{_date(5)} ID:{ids[6]}<> トリップだけ <>\n"
        f"{moderator} </b>★<b><><>{_date(6)} ID:???<> お知らせです <>\n"
        f"名無しさん<><>{_date(7)} ID:{ids[8]}<>"
        " typed &#128512; and &amp;amp; and &amp;#8238; and &#x1F600; <>\n"
    ).encode("cp932")
    response = client.get(f"/night/dat/{evening.key}.dat")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=Shift_JIS"
    assert response.content == expected


def test_every_line_has_exactly_five_fields(client, evening):
    lines = client.get(f"/night/dat/{evening.key}.dat").content.split(b"\n")
    assert lines[-1] == b""
    assert [line.count(b"<>") for line in lines[:-1]] == [4] * 8


def test_a_deleted_opening_post_keeps_the_title(client, night, make_thread):
    thread = make_thread(board=night, title="消えた")
    first = Post.objects.get(thread=thread, number=1)
    first.thread = thread
    delete_own_post(first, delete_key="test-delete-key")
    content = client.get(f"/night/dat/{thread.key}.dat").content
    assert content == "あぼーん<>あぼーん<>あぼーん<>あぼーん<>消えた\n".encode("cp932")


def test_a_post_hidden_for_review_is_an_abone_line_too(client, night, make_thread, make_post):
    thread = make_thread(board=night)
    make_post(thread=thread, body="reported")
    Post.objects.filter(thread=thread, number=2).update(status=Post.Status.HIDDEN_PENDING_REVIEW)
    lines = client.get(f"/night/dat/{thread.key}.dat").content.split(b"\n")
    assert lines[1] == "あぼーん<>あぼーん<>あぼーん<>あぼーん<>".encode("cp932")
    assert b"reported" not in b"".join(lines)


def test_a_full_thread_ends_with_the_1001_line(client, night, make_thread):
    thread = make_thread(board=night)
    fill_thread(thread, 1000)
    lines = client.get(f"/night/dat/{thread.key}.dat").content.split(b"\n")
    assert len(lines) == 1002 and lines[-1] == b""
    assert lines[999].startswith(b"\x96\xbc\x96\xb3\x82\xb5\x82\xb3\x82\xf1<>sage<>")  # 名無しさん
    assert lines[1000] == (
        "１００１<><>Over 1000 Thread<>このスレッドは１０００を超えました。<br>"
        "もう書けないので、新しいスレッドを立ててくださいです。。。<>"
    ).encode("cp932")


def test_a_board_with_a_lower_cap_says_its_own_number(client, make_board, make_thread):
    board = make_board(slug="small", post_limit=5)
    thread = make_thread(board=board)
    fill_thread(thread, 5)
    last = client.get(f"/small/dat/{thread.key}.dat").content.split(b"\n")[5]
    assert last.decode("cp932").startswith("６<><>Over 5 Thread<>このスレッドは５を超えました。")


def test_a_thread_one_short_of_the_cap_has_no_1001_line(client, night, make_thread):
    thread = make_thread(board=night)
    fill_thread(thread, 999)
    content = client.get(f"/night/dat/{thread.key}.dat").content
    assert content.count(b"\n") == 999
    assert b"Over 1000 Thread" not in content


def test_an_archived_thread_is_gone_for_browsers(client, night, make_thread):
    thread = make_thread(board=night)
    thread.is_archived = True
    thread.archived_at = thread.created_at
    thread.save()
    # Gone from dat/, as on 2channel servers: sent on to its kako copy (tests/twoch/test_kako.py).
    fallen = client.get(f"/night/dat/{thread.key}.dat")
    assert fallen.status_code == 302 and "/kako/" in fallen["Location"]
    assert client.get(f"/night/dat/{thread.key + 1}.dat").status_code == 404
    assert client.get("/nosuchboard/dat/1.dat").status_code == 404
