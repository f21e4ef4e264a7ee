"""Read-side helpers: which posts a read.cgi range shows, and what each post's header says."""

from __future__ import annotations

import re
from collections import namedtuple
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db import connections
from django.utils import timezone
from django.utils.safestring import SafeString

from forum.dates import post_date, weekdays_for
from forum.models import Post, Thread, ThreadMove

# 2channel read.cgi suffixes: l50, l50n, 50, 50n, 1-100, 1-100n, 100-, -100.
RANGE = re.compile(
    r"^(?:l(?P<last>\d{1,4})|(?P<start>\d{1,4})?(?P<dash>-)?(?P<end>\d{1,4})?)(?P<n>n)?$"
)


@dataclass(frozen=True)
class Selection:
    """Which numbers a page shows: a range, plus post 1 unless the `n` suffix asked otherwise."""

    first: int
    last: int
    with_opening_post: bool


def parse_range(spec: str | None, post_count: int) -> Selection | None:
    """Turn a read.cgi suffix into a Selection; None when the suffix is not one."""
    top = max(post_count, 1)
    if not spec:
        return Selection(1, top, True)
    match = RANGE.match(spec)
    if not match or spec in ("n", "-"):
        return None
    with_first = match.group("n") is None
    if match.group("last"):
        count = int(match.group("last"))
        return Selection(max(1, top - count + 1), top, with_first)
    start, dash, end = match.group("start"), match.group("dash"), match.group("end")
    if start and not dash:
        number = int(start)
        return Selection(number, number, with_first)
    if not start and not end:
        return None
    first = int(start) if start else 1
    last = int(end) if end else top
    if last < first:
        first, last = last, first
    return Selection(first, last, with_first)


# What post_views reads from each post (a Post, or a row fetched with these fields).
POST_VIEW_FIELDS = (
    "number",
    "name",
    "tripcode",
    "is_capcode",
    "mail",
    "created_at",
    "daily_id",
    "status",
    "body_html",
    "reply_to",
)


@dataclass(slots=True)
class PostView:
    """Everything the post partial shows; built once per post per render."""

    post: object  # the Post, or a row with POST_VIEW_FIELDS
    number: int
    name: str
    tripcode: str
    is_capcode: bool
    is_default_name: bool
    mail: str
    time_text: str
    time_iso: str
    daily_id: str
    status: str
    body_html: str
    backlinks: list[int] = field(default_factory=list)

    @property
    def is_visible(self) -> bool:
        return Post.shows(self.status)


def backlinks(posts: Iterable[tuple[int, str, list[int]]]) -> dict[int, list[int]]:
    """For each post number, the shown posts among `posts` ((number, status, reply_to) each)
    that reply to it, in order: the backlinks under it."""
    replies: dict[int, list[int]] = {}
    for number, status, reply_to in posts:
        if reply_to and Post.shows(status):
            for target in reply_to:
                replies.setdefault(target, []).append(number)
    return replies


def post_views(thread: Thread, posts: list[Post], *, backlinks_from: list[Post]) -> list[PostView]:
    """Header data and body HTML for `posts`; backlinks counted over `backlinks_from`."""
    replies = backlinks((other.number, other.status, other.reply_to) for other in backlinks_from)
    view = viewer(thread)
    return [view(post, replies.get(post.number, [])) for post in posts]


def viewer(thread: Thread):
    """`view(post, backlinks)`: the PostView of one post of `thread`, in the active language and
    time zone."""
    default_name = thread.board.default_name
    weekdays = weekdays_for()
    zone = timezone.get_current_timezone()
    shows = Post.shows

    def view(post, backlinks: list[int]) -> PostView:
        local = post.created_at.astimezone(zone)
        return PostView(
            post,
            post.number,
            post.name or default_name,
            post.tripcode,
            post.is_capcode,
            not post.name,
            post.mail,
            post_date(local, weekdays),
            local.isoformat(timespec="milliseconds"),
            post.daily_id,
            post.status,
            # Cooked HTML (forum.text.render_body); SafeString, not mark_safe: a thousand
            # calls through mark_safe's lazy-string check were measurable.
            SafeString(post.body_html) if shows(post.status) else "",
            backlinks,
        )

    return view


# A thread page's row: what its article shows (forum.rendering.render_page_posts keeps articles
# by exactly these), then the numbers the post replies to.
PAGE_FIELDS = (
    "number",
    "name",
    "tripcode",
    "is_capcode",
    "mail",
    "posted_us",
    "daily_id",
    "status",
    "body_html",
    "replies",
)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# The time as whole microseconds since 1970 (EXTRACT gives an exact numeric) and the replies as
# text ("{3,5}"): psycopg's datetime and array loaders were most of the cost of fetching a
# thousand posts, and a page whose articles are kept needs neither.
_ROW_COLUMNS = """number, name, tripcode, is_capcode, mail,
       (EXTRACT(EPOCH FROM created_at) * 1000000)::bigint, daily_id, status, body_html,
       reply_to::text"""
_ON_THE_PAGE = """thread_id = %(thread)s
   AND (number BETWEEN %(first)s AND %(last)s OR (%(opening)s AND number = 1))"""
# (Every piece of these statements is ours: the values go as parameters.)
_PAGE_ROWS = f"SELECT {_ROW_COLUMNS} FROM forum_post WHERE {_ON_THE_PAGE} ORDER BY number"  # noqa: S608
# A thread page's index: each post's number, id and version, and what its backlinks need. The
# version is PostgreSQL's xmin, the transaction that wrote the row as it now is: any change to a
# post (a deletion, a masked body, an edit in the admin) writes a new one.
_PAGE_INDEX = (
    "SELECT number, id, xmin::text::bigint, status, reply_to::text"  # noqa: S608
    f" FROM forum_post WHERE {_ON_THE_PAGE} ORDER BY number"
)
_ROWS_BY_ID = (
    f"SELECT id, xmin::text::bigint, {_ROW_COLUMNS} FROM forum_post WHERE id = ANY(%(ids)s)"  # noqa: S608
)


def _fetch(sql: str, params: dict) -> list[tuple]:
    with connections[Post.objects.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _on_the_page(thread: Thread, selection: Selection) -> dict:
    return {
        "thread": thread.pk,
        "first": selection.first,
        "last": selection.last,
        "opening": selection.with_opening_post,
    }


def page_rows(thread: Thread, selection: Selection) -> list[tuple]:
    """The posts of `thread` that `selection` shows, as PAGE_FIELDS tuples, in order. In SQL of
    its own: through the ORM (values_list, annotations, a converter per row) fetching a
    thousand posts cost three times as much CPU."""
    return _fetch(_PAGE_ROWS, _on_the_page(thread, selection))


def page_index(thread: Thread, selection: Selection) -> list[tuple]:
    """page_rows without what the posts say: (number, id, version, status, replies) tuples,
    in order."""
    return _fetch(_PAGE_INDEX, _on_the_page(thread, selection))


def rows_by_id(ids: list[int]) -> dict[int, tuple[int, tuple]]:
    """{id: (version, PAGE_FIELDS tuple)} for these posts."""
    return {row[0]: (row[1], row[2:]) for row in _fetch(_ROWS_BY_ID, {"ids": list(ids)})}


def row_post(row: tuple):
    """A page row as post_views and viewer() read a post."""
    fields = dict(zip(PAGE_FIELDS, row, strict=True))
    fields["created_at"] = EPOCH + timedelta(microseconds=fields.pop("posted_us"))
    fields["reply_to"] = reply_numbers(fields.pop("replies"))
    return _PageRow(**fields)


def reply_numbers(replies: str) -> list[int]:
    """The numbers of an array's text form: "{3,5}" → [3, 5]."""
    return [int(number) for number in replies[1:-1].split(",")] if replies != "{}" else []


_PageRow = namedtuple("_PageRow", POST_VIEW_FIELDS)


def moved_to(board: str, key: int, spec: str | None) -> str | None:
    """The address a thread moved away from here now has (with the same range), if any."""
    move = (
        ThreadMove.objects.select_related("thread__board")
        .filter(from_board__slug=board, from_key=key)
        .first()
    )
    if move is None:
        return None
    url = move.thread.get_absolute_url()
    return f"{url}{spec}" if spec else url
