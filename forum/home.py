"""What the home page shows: the boards with their day's activity, the latest threads across
boards, and the threads still waiting for a first reply, so nobody who posts at night is left
unanswered without anyone noticing.

Everything here is read in a fixed number of queries (five in all) whatever the forum's size.
The page is cached for anonymous readers (forum.pagecache): every new thread and post drops it
(forum.events), and the 10-minute mark a thread crosses into "waiting" comes with no event at
all, so the cached copy lives HOME_PAGE_TTL seconds at most.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Subquery, Sum
from django.db.models.functions import TruncHour

from forum.charts import hourly_bars
from forum.models import Board, Post, Thread

LATEST_THREADS = 10
WAITING_THREADS = 5
# A first post counts as unanswered once it has waited this long: long enough for a reply in
# an ordinary hour, short enough that a late-night post is noticed the same night.
WAITING_AFTER = timedelta(minutes=10)
# How stale a cached home page may be: the waiting list's boundary moves by the clock alone.
HOME_PAGE_TTL = 30


def waiting_for_first_reply(*, now: datetime, limit: int = WAITING_THREADS) -> list[Thread]:
    """Live, open threads whose first post is still alone WAITING_AFTER after it was written,
    newest first. Pinned threads (the team's own) and threads whose first post was deleted or is
    hidden for a moderator are not waiting for anyone. One query."""
    opening_post_shown = Post.objects.visible().filter(thread=OuterRef("pk"), number=1)
    return list(
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


def latest_threads(*, limit: int = LATEST_THREADS) -> list[Thread]:
    """The newest live threads across every board, each with `last_post_at`. One query."""
    last_post = Post.objects.filter(thread=OuterRef("pk")).order_by("-number").values("created_at")
    return list(
        Thread.objects.live()
        .annotate(last_post_at=Subquery(last_post[:1]))
        .order_by("-created_at", "-id")[:limit]
    )


def boards_with_activity(*, now: datetime) -> list[Board]:
    """Every board with its live thread and post totals and a chart of the last day's posts
    per hour (`thread_total`, `post_total`, `chart`). Three queries."""
    boards = list(Board.objects.all())
    totals = {
        row["board"]: row
        for row in Thread.objects.live()
        .values("board")
        .annotate(threads=Count("id"), posts=Sum("post_count"))
    }
    hourly: dict[int, dict] = {}
    for row in (
        Post.objects.filter(created_at__gte=now - timedelta(hours=24))
        .annotate(hour=TruncHour("created_at"))
        .values("thread__board", "hour")
        .annotate(n=Count("id"))
    ):
        hourly.setdefault(row["thread__board"], {})[row["hour"]] = row["n"]
    for board in boards:
        board.thread_total = totals.get(board.pk, {}).get("threads", 0)
        board.post_total = totals.get(board.pk, {}).get("posts") or 0
        board.chart = hourly_bars(hourly.get(board.pk, {}), now=now)
    return boards


def home_page(*, now: datetime) -> dict:
    """The home page's context: boards, latest threads and threads waiting for a first reply.
    Threads get their board from the boards already read, so no query per thread."""
    boards = boards_with_activity(now=now)
    by_id = {board.pk: board for board in boards}
    latest = latest_threads()
    waiting = waiting_for_first_reply(now=now)
    for thread in [*latest, *waiting]:
        thread.board = by_id[thread.board_id]
    return {"boards": boards, "latest_threads": latest, "waiting_threads": waiting}
