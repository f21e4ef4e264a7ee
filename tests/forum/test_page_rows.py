"""forum.reading.page_rows: a thread page's posts as plain rows, read by SQL of its own."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forum.models import Post
from forum.reading import EPOCH, PAGE_FIELDS, Selection, page_rows

pytestmark = pytest.mark.django_db


def as_the_orm_reads(post: Post) -> dict:
    replies = "{" + ",".join(map(str, post.reply_to)) + "}"
    posted_us = (post.created_at - EPOCH) // timedelta(microseconds=1)
    return {
        **{name: getattr(post, name) for name in PAGE_FIELDS[:5]},
        "posted_us": posted_us,
        **{name: getattr(post, name) for name in ("daily_id", "status", "body_html")},
        "replies": replies,
    }


def test_rows_hold_what_each_post_shows_in_page_order(make_thread, make_post):
    thread = make_thread()
    make_post(thread=thread, body=">>1 <b>not bold</b>", name="夜更かし#key", mail="sage")
    make_post(thread=thread, body=">>2 >>1", now=timezone.now() + timedelta(microseconds=7))
    Post.objects.filter(thread=thread, number=2).update(status=Post.Status.DELETED_BY_POSTER)

    rows = page_rows(thread, Selection(1, 3, True))

    expected = [as_the_orm_reads(post) for post in thread.posts.order_by("number")]
    assert [dict(zip(PAGE_FIELDS, row, strict=True)) for row in rows] == expected


@pytest.mark.parametrize(
    ("selection", "numbers"),
    [
        (Selection(4, 6, True), [1, 4, 5, 6]),
        (Selection(4, 6, False), [4, 5, 6]),
        (Selection(1, 2, True), [1, 2]),
        (Selection(9, 20, False), [9, 10]),
    ],
)
def test_rows_are_the_selected_range_with_the_opening_post_when_asked(
    make_thread, make_post, selection, numbers
):
    thread = make_thread()
    for _ in range(9):
        make_post(thread=thread)
    assert [row[0] for row in page_rows(thread, selection)] == numbers
