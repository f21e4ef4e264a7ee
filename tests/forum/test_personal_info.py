"""Phone numbers and e-mail addresses are masked wherever people write, and the writer is told
why; dates, anchors, thread keys, prices and the site's own help lines are left as written."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async

from chat.models import Message
from forum.models import Post
from forum.personal_info import mask_personal_info
from forum.posting import create_post, create_thread
from tests.factories import poster_from
from tests.realtime.sockets import next_frame
from tests.twoch.conftest import post_bbs_cgi, reply_form

NOTICE = "what looked like a phone number or an e-mail address masked"


def no_help_lines() -> list[str]:
    return []


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("電話は090-1234-5678です", "電話は090-****-****です"),
        ("03-1234-5678", "03-****-****"),
        ("(03) 1234-5678", "(03) ****-****"),
        ("0120-123-456", "0120-***-***"),
        ("09012345678", "090********"),
        ("+81 90 1234 5678", "+81 ** **** ****"),
        ("+81-90-1234-5678", "+81-**-****-****"),
        ("０９０−１２３４−５６７８", "０９０−****−****"),
        ("０９０ー１２３４ー５６７８", "０９０ー****ー****"),
        ("０９０－１２３４－５６７８", "０９０－****－****"),
        ("０９０１２３４５６７８", "０９０********"),
        ("+44 20 7946 0958", "+44 ** **** ****"),
        ("+1 (415) 555-0100", "+1 (***) ***-****"),
        ("call (415) 555-0100", "call (415) ***-****"),
        ("tel:090-1234-5678", "tel:090-****-****"),
    ],
)
def test_phone_numbers_in_many_formats_are_masked(typed, shown):
    assert mask_personal_info(typed, shareable=no_help_lines) == (shown, ["phone"])


@pytest.mark.parametrize(
    "typed",
    [
        "write to me: owl.night+1@example.co.jp",
        "ｏｗｌ＠ｅｘａｍｐｌｅ．ｃｏｍ",
        "Owl_99@mail.example.org",
    ],
)
def test_email_addresses_are_masked(typed):
    masked, kinds = mask_personal_info(typed, shareable=no_help_lines)
    assert kinds == ["email"]
    assert "@example" not in masked and "＠" not in masked and "***@***" in masked


@pytest.mark.parametrize(
    "typed",
    [
        "2026-12-01",
        "2026/12/01 09:30:00",
        "12:30〜13:45",
        ">>123",
        ">>1-5",
        ">>1000",
        "https://yoake.example/test/read.cgi/night/1764635265/",
        "/night/1764635265/",
        "スレ 1764635265 を見て",
        "◆0120123456",
        "¥12,000",
        "1,200円",
        "2026年 3月",
        "3.0123456789",
        "ID:AbCd0123",
        "１２３４５６７８９０",
        "(´・ω・`)",
        "user@localhost",
    ],
)
def test_look_alikes_are_left_as_written(typed):
    assert mask_personal_info(typed, shareable=no_help_lines) == (typed, [])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed",
    [
        "よりそいホットライン 0120-279-338",
        "0570-064-556 にかけて",
        "119",
        "#7119",
        "+81 120 279 338",
    ],
)
def test_the_help_lines_the_site_lists_can_be_shared(typed):
    assert mask_personal_info(typed) == (typed, [])


@pytest.mark.django_db
def test_a_help_line_added_by_the_moderators_can_be_shared_too(make_help_line):
    make_help_line(phone="0312345678")
    assert mask_personal_info("03-1234-5678") == ("03-1234-5678", [])
    make_help_line(phone="0311112222", active=False)
    assert mask_personal_info("03-1111-2222") == ("03-****-****", ["phone"])


@pytest.mark.django_db
def test_the_stored_post_and_its_thread_title_carry_the_masked_text(make_board):
    board = make_board()
    thread = create_thread(
        board,
        poster=poster_from("203.0.113.40"),
        title="連絡は 090-1111-2222",
        body="mail me: owl@example.com",
    )
    assert thread.title == "連絡は 090-****-****"
    post = thread.posts.get(number=1)
    assert post.body == "mail me: ***@***"
    assert "example.com" not in post.body_html
    assert thread.masked_personal_info == ("phone", "email")


@pytest.mark.django_db
def test_a_post_without_personal_information_is_stored_as_typed(make_thread):
    post = create_post(
        make_thread(), poster=poster_from("203.0.113.41"), body=">>1 2026-12-01 12:30 ¥1,200"
    )
    assert post.body == ">>1 2026-12-01 12:30 ¥1,200"
    assert post.masked_personal_info == ()


@pytest.mark.django_db
def test_the_web_writer_lands_on_the_thread_with_a_notice_and_the_masked_text(client, make_thread):
    thread = make_thread()
    client.cookies["yoake_poster"] = "k"
    response = client.post(
        thread.get_absolute_url(), {"body": "ここに電話して ０９０−１２３４−５６７８"}, follow=True
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert NOTICE in page and "against the rules" in page
    assert "０９０−****−****" in page and "１２３４" not in page
    assert Post.objects.get(thread=thread, number=2).body == "ここに電話して ０９０−****−****"
    # The notice is the writer's alone: the next reader of the page does not see it.
    assert NOTICE not in client.get(thread.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_a_post_with_nothing_to_mask_gets_no_notice(client, make_thread):
    thread = make_thread()
    client.cookies["yoake_poster"] = "k"
    page = client.post(thread.get_absolute_url(), {"body": "おやすみ"}, follow=True)
    assert NOTICE not in page.content.decode()


@pytest.mark.django_db
def test_bbs_cgi_says_why_and_the_dat_shows_the_masked_text(jdim, night, make_thread):
    thread = make_thread(board=night)
    response = post_bbs_cgi(jdim, reply_form("night", thread.key, body="メールは owl@example.com"))
    text = response.content.decode("cp932")
    assert "書きこみました" in text
    assert "伏せ字" in text and "個人情報" in text  # JDim asks in Japanese
    dat = jdim.get(f"/night/dat/{thread.key}.dat").content.decode("cp932")
    assert "メールは ***@***" in dat and "example.com" not in dat


@pytest.mark.django_db
def test_the_no_js_chat_form_masks_and_tells_the_sender(client, make_room):
    make_room(slug="lounge")
    response = client.post("/chat/lounge/", {"body": "DMして 080-2222-3333"}, follow=True)
    assert NOTICE in response.content.decode()
    assert Message.objects.get().body == "DMして 080-****-****"


@pytest.mark.django_db(transaction=True)
async def test_the_chat_socket_masks_and_its_sent_frame_carries_the_notice(connect, make_room):
    await sync_to_async(make_room)(slug="lounge")
    socket = await connect("/ws/chat/lounge/")
    await socket.send_json_to(
        {"type": "send", "handle": "", "body": "+81 90 1234 5678 まで", "nonce": "p1"}
    )
    sent = await next_frame(socket, "sent", passing=("presence", "messages"))
    assert sent["nonce"] == "p1" and NOTICE in sent["notice"]
    message = await sync_to_async(Message.objects.get)()
    assert message.body == "+81 ** **** **** まで"
