"""What the home page shows: the boards with their day's activity, the latest threads across
boards, and the threads still waiting for a first reply, so nobody who posts at night is left
unanswered without anyone noticing.

Everything here is read in a fixed number of queries (three in all) whatever the forum's size.
The page is cached for anonymous readers (forum.pagecache): every new thread and post drops it
(forum.events), and the 10-minute mark a thread crosses into "waiting" comes with no event at
all, so the cached copy lives HOME_PAGE_TTL seconds at most.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime, timedelta

from django.db.models import Count, DateTimeField, Exists, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncHour

from forum.charts import hourly_bars
from forum.models import Board, Post, Thread
from forum.models.sql import compiled_once, instances_from_sql

LATEST_THREADS = 10
WAITING_THREADS = 5
# A first post counts as unanswered once it has waited this long: long enough for a reply in
# an ordinary hour, short enough that a late-night post is noticed the same night.
WAITING_AFTER = timedelta(minutes=10)
# How stale a cached home page may be: the waiting list's boundary moves by the clock alone.
HOME_PAGE_TTL = 30


def _waiting(*, now: datetime, limit: int):
    opening_post_shown = Post.objects.visible().filter(thread=OuterRef("pk"), number=1)
    return (
        Thread.objects.live()
        .filter(
            is_locked=False,
            is_pinned=False,
            post_count=1,
            created_at__lte=now - WAITING_AFTER,
        )
        .filter(Exists(opening_post_shown))
        .order_by("-created_at", "-id")[:limit]
    )


def _latest(*, limit: int):
    last_post = Post.objects.filter(thread=OuterRef("pk")).order_by("-number").values("created_at")
    return (
        Thread.objects.live()
        .annotate(last_post_at=Subquery(last_post[:1]))
        .order_by("-created_at", "-id")[:limit]
    )


def waiting_for_first_reply(*, now: datetime, limit: int = WAITING_THREADS) -> list[Thread]:
    """Live, open threads whose first post is still alone WAITING_AFTER after it was written,
    newest first. Pinned threads (the team's own) and threads whose first post was deleted or is
    hidden for a moderator are not waiting for anyone. One query."""
    return list(_waiting(now=now, limit=limit))


def latest_threads(*, limit: int = LATEST_THREADS) -> list[Thread]:
    """The newest live threads across every board, each with `last_post_at`. One query."""
    return list(_latest(limit=limit))


def _latest_and_waiting(*, now: datetime):
    latest = _latest(limit=LATEST_THREADS).annotate(listed=Value("latest"))
    waiting = _waiting(now=now, limit=WAITING_THREADS).annotate(
        last_post_at=Value(None, output_field=DateTimeField()), listed=Value("waiting")
    )
    return latest.union(waiting, all=True)


# Any time at all: _latest_and_waiting_sql compiles the query with it.
_STAND_IN = datetime(2000, 1, 1, tzinfo=UTC)


@functools.cache
def _latest_and_waiting_sql() -> tuple[str, tuple, int, list[str]]:
    """_latest_and_waiting as SQL, the position of the waiting threads' cut-off among its
    parameters, and the names of its columns after the thread's own: compiled once per
    process, since building the UNION and its subqueries cost twenty times PostgreSQL's
    answer."""
    union = _latest_and_waiting(now=_STAND_IN + WAITING_AFTER)
    return *compiled_once(union, _STAND_IN), list(union.query.annotation_select)


def latest_and_waiting(*, now: datetime) -> tuple[list[Thread], list[Thread]]:
    """latest_threads() and waiting_for_first_reply() in one query (a UNION ALL)."""
    sql, params, cut_off, extra = _latest_and_waiting_sql()
    params = (*params[:cut_off], now - WAITING_AFTER, *params[cut_off + 1 :])
    threads = instances_from_sql(Thread, sql, params, extra, using=Thread.objects.all().db)
    # A UNION keeps neither part's order: newest first again, as each part picked them.
    threads.sort(key=lambda thread: (thread.created_at, thread.id), reverse=True)
    return (
        [thread for thread in threads if thread.listed == "latest"],
        [thread for thread in threads if thread.listed == "waiting"],
    )


def _boards_with_totals():
    live = Thread.objects.live().filter(board=OuterRef("pk")).order_by().values("board")
    return Board.objects.annotate(
        thread_total=Coalesce(Subquery(live.annotate(n=Count("id")).values("n")), 0),
        post_total=Coalesce(Subquery(live.annotate(n=Sum("post_count")).values("n")), 0),
    )


@functools.cache
def _boards_with_totals_sql() -> tuple[str, tuple, list[str]]:
    """_boards_with_totals as SQL, compiled once per process, as _latest_and_waiting_sql."""
    query = _boards_with_totals().query
    return *query.sql_with_params(), list(query.annotation_select)


def boards_with_activity(*, now: datetime) -> list[Board]:
    """Every board with its live thread and post totals and a chart of the last day's posts
    per hour (`thread_total`, `post_total`, `chart`). Two queries."""
    boards = instances_from_sql(Board, *_boards_with_totals_sql(), using=Board.objects.all().db)
    hourly: dict[int, dict] = {}
    for row in (
        Post.objects.filter(created_at__gte=now - timedelta(hours=24))
        .annotate(hour=TruncHour("created_at"))
        .values("thread__board", "hour")
        .annotate(n=Count("id"))
    ):
        hourly.setdefault(row["thread__board"], {})[row["hour"]] = row["n"]
    for board in boards:
        board.chart = hourly_bars(hourly.get(board.pk, {}), now=now)
    return boards


def home_page(*, now: datetime) -> dict:
    """The home page's context: boards, latest threads and threads waiting for a first reply.
    Threads get their board from the boards already read, so no query per thread."""
    boards = boards_with_activity(now=now)
    by_id = {board.pk: board for board in boards}
    latest, waiting = latest_and_waiting(now=now)
    for thread in [*latest, *waiting]:
        thread.board = by_id[thread.board_id]
    return {"boards": boards, "latest_threads": latest, "waiting_threads": waiting}
