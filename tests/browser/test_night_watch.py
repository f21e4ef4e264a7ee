"""The night watch in a real browser: a risk post made through the web, through bbs.cgi and in
chat each reaches the top of a queue page that is already open, within five seconds and with no
report; the moderator claims one and resolves it with "delete and ban" in one form.

The queue and an item are photographed at 375 px and 1280 px in the night theme, and neither page
is wider than the screen.
"""

from __future__ import annotations

import urllib.parse
import urllib.request

import pytest

from forum.models import AuditLog, Ban, Post
from forum.reporting import report_post
from review.models import ReviewItem
from tests.browser.conftest import sign_in_to_admin
from tests.factories import poster_from
from tests.twoch.conftest import JDIM_HEADERS

pytestmark = pytest.mark.django_db(transaction=True)

RISKY = "もう死にたい、今夜で終わりにしたい"
QUEUE = "/admin/review/reviewitem/"


def risk_rows(mod):
    """The rows at the top of the queue: those marked as a risk of harm."""
    return mod.locator("#result_list tbody tr", has=mod.locator(".risk-marker"))


def post_through_bbs_cgi(asgi_server, thread, text):
    fields = {
        "bbs": thread.board.slug,
        "key": str(thread.key),
        "time": "1",
        "FROM": "",
        "mail": "sage",
        "MESSAGE": text,
        "yoake_confirm": "1",
    }
    body = urllib.parse.urlencode(fields, encoding="cp932").encode()
    request = urllib.request.Request(
        asgi_server + "/test/bbs.cgi",
        data=body,
        headers={
            **JDIM_HEADERS,
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"{asgi_server}/{thread.board.slug}/",
            "Cookie": "yoake_poster=night-watch-jdim",
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read().decode("cp932")


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_risk_from_web_bbs_cgi_and_chat_reaches_an_open_queue_and_is_resolved_in_one_form(
    page,
    moderator_page,
    asgi_server,
    make_board,
    make_thread,
    make_post,
    make_room,
    make_moderator,
    make_risk_phrase,
    artifacts,
):
    make_risk_phrase(phrase="死にたい", language="ja")
    # Every post here comes from 127.0.0.1: no flood interval between them.
    thread = make_thread(title="眠れない夜", board=make_board(flood_interval=0))
    room = make_room()
    moderator = make_moderator(username="night-watch")
    # An older report of spam waits in the queue already: every risk item must go above it.
    spam = make_post(thread=thread, body="cheap pills here")
    report_post(spam, reporter=poster_from("198.51.100.40").hashes, reason="spam")
    mod = moderator_page
    sign_in_to_admin(mod, asgi_server, moderator)
    mod.goto(asgi_server + QUEUE)
    assert "no risk items waiting" in mod.locator("#open-risk").inner_text()

    # 1. Through the web: the calm risk page, then "Post it".
    page.goto(asgi_server + thread.get_absolute_url())
    page.fill("#id_body", RISKY + " (web)")
    page.get_by_role("button", name="Post reply").click()
    page.get_by_role("button", name="I understand, post it").click()
    page.get_by_role("button", name="Post it").click()
    page.locator("#p3").wait_for()
    risk_rows(mod).get_by_text("(web)").wait_for(timeout=5000)

    # 2. Through bbs.cgi, as a 2channel browser that confirmed the risk page.
    answer = post_through_bbs_cgi(asgi_server, thread, RISKY + " (jdim)")
    assert "書きこみました" in answer, answer
    risk_rows(mod).get_by_text("(jdim)").wait_for(timeout=5000)

    # 3. In chat: help first, the message held, then Send again.
    page.goto(asgi_server + room.get_absolute_url())
    page.locator("#chat-log[data-live='open']").wait_for()
    page.fill("#id_body", RISKY + " (chat)")
    page.get_by_role("button", name="Send", exact=True).click()
    page.locator("#chat-help .chat-held").wait_for(timeout=5000)
    assert not ReviewItem.objects.filter(message__isnull=False).exists()
    assert page.input_value("#id_body") == RISKY + " (chat)"
    page.get_by_role("button", name="Send", exact=True).click()
    risk_rows(mod).get_by_text("(chat)").wait_for(timeout=5000)

    assert ReviewItem.objects.filter(is_risk=True).count() == 3
    assert risk_rows(mod).count() == 3
    assert "cheap pills" in mod.locator("#result_list tbody tr").last.inner_text()
    assert "3 risk items waiting" in mod.locator("#open-risk").inner_text()
    assert fits(mod)
    mod.screenshot(path=artifacts / "review-queue-1280-night.png", full_page=True)

    # The web post: open it, claim it, delete and ban in one form.
    web_post = Post.objects.get(thread=thread, body__endswith="(web)")
    mod.locator("#result_list a", has_text=f"/{thread.key}/{web_post.number}").click()
    mod.get_by_role("button", name="Claim it: I am handling this").click()
    mod.locator(".review-state", has_text="claimed by night-watch").wait_for()
    assert fits(mod)
    mod.screenshot(path=artifacts / "review-item-1280-night.png", full_page=True)
    mod.get_by_text("Delete and ban", exact=True).first.click()
    mod.select_option("#id_delete_and_ban-duration", "7d")
    mod.fill("#id_delete_and_ban-reason", "Please talk to a crisis line; posting paused for a week")
    mod.get_by_role("button", name="Delete and ban").click()
    mod.wait_for_url("**" + QUEUE)
    mod.get_by_text("is resolved").wait_for()

    item = ReviewItem.objects.get(post=web_post)
    web_post.refresh_from_db()
    assert item.outcome == ReviewItem.Outcome.DELETED_AND_BANNED
    assert web_post.status == Post.Status.DELETED_BY_MODERATOR
    ban = Ban.objects.get()
    assert ban.expires_at is not None
    assert list(AuditLog.objects.order_by("id").values_list("action", flat=True)) == [
        AuditLog.Action.CLAIM_REVIEW,
        AuditLog.Action.DELETE_POST,
        AuditLog.Action.BAN,
    ]

    # The poster tries again and is told why.
    page.goto(asgi_server + thread.get_absolute_url())
    page.fill("#id_body", "hello again")
    page.get_by_role("button", name="Post reply").click()
    refusal = page.locator(".errors", has_text="posting paused for a week")
    refusal.wait_for()
    assert "The ban ends on" in refusal.inner_text()

    # The same pages on a phone at night.
    mod.set_viewport_size({"width": 375, "height": 800})
    mod.goto(asgi_server + QUEUE)
    mod.screenshot(path=artifacts / "review-queue-375-night.png", full_page=True)
    assert fits(mod), "the queue scrolls sideways at 375 px"
    other = ReviewItem.objects.unresolved().first()
    mod.goto(asgi_server + f"/admin/review/reviewitem/{other.pk}/change/")
    assert fits(mod), "an item scrolls sideways at 375 px"
    mod.screenshot(path=artifacts / "review-item-375-night.png", full_page=True)
    assert [e for e in mod.console_errors if "favicon" not in e] == []
