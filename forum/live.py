"""Live threads: what readers are sent when a post arrives or changes, and how it is sent.

forum.events calls `announce` once a change has committed. The post (and the posts it replies
to, whose backlinks changed) is rendered by forum.rendering.render_posts, the renderer the page
uses, once per language, into ready-to-send WebSocket frames; consumers only pick their reader's
language. They go out through realtime.broadcast, which never raises: with Redis down the boards
work on and live updates stop.

Frames sent to a thread's readers (JSON):
    {"type": "posts", "posts": [{"number": 12, "html": "<article …>"}, …]}
        each post either replaces the article with that number or, if new, is inserted in order;
    {"type": "reload"}  more was missed than a catch-up replays: reload the page.
"""

from __future__ import annotations

import json
import logging
from collections import namedtuple
from collections.abc import Iterable

from django.db.models import Case, F, Q, TextField, Value, When
from django.utils import translation

from forum import rendering
from forum.models import Post, Thread
from forum.reading import POST_VIEW_FIELDS, post_views
from realtime.broadcast import broadcast, has_listeners, languages

logger = logging.getLogger(__name__)

# A reconnecting reader is replayed at most this many posts; beyond it, a reload is cheaper.
CATCH_UP_LIMIT = 200


def thread_group(board_slug: str, key: int) -> str:
    return f"thread.{board_slug}.{key}"


# --- rendering ----------------------------------------------------------------------------------


# A post as the renderer reads it (forum.reading.post_views takes rows as well as Posts).
_PostRow = namedtuple("_PostRow", POST_VIEW_FIELDS)
_WITHOUT_HTML = [name for name in POST_VIEW_FIELDS if name != "body_html"]


def _with_repliers(thread: Thread, numbers: Iterable[int]) -> tuple[list, list]:
    """The posts `numbers`, and every later post that may reply to them (for backlinks)."""
    numbers = sorted(set(numbers))
    if not numbers:
        return [], []
    chosen = Q(number__in=numbers)
    may_reply = Q(status=Post.Status.VISIBLE, reply_to__overlap=numbers)
    # Only the chosen posts are rendered; the others only lend their numbers to backlinks, so
    # their bodies stay in the database (a post everyone answers, >>1, has hundreds of them).
    rows = (
        Post.objects.filter(thread=thread, number__gte=numbers[0])
        .filter(chosen | may_reply)
        .annotate(
            shown_html=Case(
                When(chosen, then=F("body_html")), default=Value(""), output_field=TextField()
            )
        )
        .order_by("number")
        .values_list(*_WITHOUT_HTML, "shown_html")
    )
    loaded = [
        _PostRow(body_html=row[-1], **dict(zip(_WITHOUT_HTML, row[:-1], strict=True)))
        for row in rows
    ]
    wanted = set(numbers)
    return [post for post in loaded if post.number in wanted], loaded


def render_posts(thread: Thread, numbers: Iterable[int], language: str) -> list[dict]:
    """[{"number", "html"}] for `numbers`, with backlinks, in `language`. One query."""
    return _render(thread, *_with_repliers(thread, numbers), language)


def _render(thread: Thread, chosen: list[Post], repliers: list[Post], language: str) -> list[dict]:
    if not chosen:
        return []
    board = thread.board
    with translation.override(language):
        views = post_views(thread, chosen, backlinks_from=repliers)
        # One item per post (a client places each by its number), each by the page's renderer.
        return [
            {
                "number": view.number,
                "html": rendering.render_posts([view], board=board, thread=thread),
            }
            for view in views
        ]


def posts_frame(items: list[dict]) -> str:
    return json.dumps({"type": "posts", "posts": items}, ensure_ascii=False)


def frames_for(
    thread: Thread, numbers: Iterable[int], *, fresh: Post | None = None
) -> dict[str, str]:
    """One ready frame per language, from one query (none for a new post that replies to none:
    nothing else changed, and nothing can reply to it yet)."""
    if fresh is not None and not fresh.reply_to:
        chosen = repliers = [fresh]
    else:
        chosen, repliers = _with_repliers(thread, numbers)
    return {
        language: posts_frame(_render(thread, chosen, repliers, language))
        for language in languages()
    }


def _affected(post: Post) -> list[int]:
    """The post itself and the earlier posts it replies to (their backlinks change with it)."""
    return [post.number, *post.reply_to]


def announce(event: str, post: Post) -> None:
    """Tell the thread's readers about a committed change. Never raises."""
    try:
        if event not in ("post_created", "post_changed"):
            return  # nobody reads a thread that has only just been created
        thread = post.thread
        group = thread_group(thread.board.slug, thread.key)
        if not has_listeners(group):
            return  # nobody has the thread open: no frames to draw (realtime.broadcast)
        message = {
            "type": "thread.post" if event == "post_created" else "thread.changed",
            "number": post.number,
            "frames": frames_for(
                thread, _affected(post), fresh=post if event == "post_created" else None
            ),
        }
        broadcast(group, message)
    except Exception:  # a live update must never turn a saved post into an error page
        logger.exception("could not announce %s", event)


# --- catching up (consumers call these in a worker thread) ---------------------------------------


def catch_up(
    thread: Thread, after: int, language: str, *, upto: int | None = None
) -> tuple[list[str], int]:
    """Frames for a reader who has everything up to `after`, and the highest number they carry.

    They hold the later posts (up to `upto`), the posts those reply to, and, on a reconnect
    (`upto` None), placeholders for every post deleted or hidden so far. No frames when nothing
    is missing; a reload frame when more is missing than a catch-up replays.
    """
    missing = Post.objects.filter(thread=thread, number__gt=after)
    if upto is not None:
        missing = missing.filter(number__lte=upto)
    rows = list(missing.order_by("number").values_list("number", "reply_to")[: CATCH_UP_LIMIT + 1])
    if len(rows) > CATCH_UP_LIMIT:
        return [json.dumps({"type": "reload"})], after
    numbers = [number for number, _replies in rows]
    for _number, replies in rows:
        numbers += [n for n in replies if n <= after]
    if upto is None and after > 0:
        numbers += (
            Post.objects.filter(thread=thread, number__lte=after)
            .exclude(status=Post.Status.VISIBLE)
            .values_list("number", flat=True)
        )
    highest = rows[-1][0] if rows else after
    if not numbers:
        return [], highest
    return [posts_frame(render_posts(thread, numbers, language))], highest
