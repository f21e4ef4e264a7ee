"""Watched threads: a reader's list of threads, with how many posts came since their last visit.

An account keeps the list in the database; a visitor keeps it in a cookie (`yoake_watched`), so
the watched page works for both, without JavaScript.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import WATCHED_THREADS_MAX, WatchedThread
from accounts.preferences import PreferenceError
from forum.models import BOARD_SLUG, Thread

COOKIE = "yoake_watched"
# A visitor's cookie has room for fewer threads than an account: cookies travel with every request.
COOKIE_MAX = 40
ONE_YEAR = 365 * 24 * 3600
_ENTRY = re.compile(rf"^({BOARD_SLUG})-(\d{{1,12}})-(\d{{1,4}})$")
THREAD_NAME = re.compile(rf"^({BOARD_SLUG})/(\d{{1,12}})$")


@dataclass
class Watched:
    thread: Thread
    seen_count: int

    @property
    def new_count(self) -> int:
        return max(0, self.thread.post_count - self.seen_count)

    @property
    def name(self) -> str:
        return f"{self.thread.board.slug}/{self.thread.key}"


def thread_named(name: str) -> Thread | None:
    """The thread a page calls "board/key", if it exists."""
    match = THREAD_NAME.match(name or "")
    if not match:
        return None
    return (
        Thread.objects.select_related("board")
        .filter(board__slug=match.group(1), key=int(match.group(2)))
        .first()
    )


# --- Visitors: a cookie of "board-key-seen" entries joined by "." ---------------------------------


def read_cookie(request) -> dict[tuple[str, int], int]:
    entries: dict[tuple[str, int], int] = {}
    for part in request.COOKIES.get(COOKIE, "").split(".")[:COOKIE_MAX]:
        match = _ENTRY.match(part)
        if match:
            entries[(match.group(1), int(match.group(2)))] = int(match.group(3))
    return entries


def write_cookie(response, entries: dict[tuple[str, int], int]) -> None:
    if not entries:
        response.delete_cookie(COOKIE)
        return
    value = ".".join(f"{slug}-{key}-{seen}" for (slug, key), seen in entries.items())
    response.set_cookie(
        COOKIE, value, max_age=ONE_YEAR, samesite="Lax", secure=not settings.DEBUG, httponly=True
    )


# --- Both -----------------------------------------------------------------------------------------


def watched_threads(request) -> list[Watched]:
    """The reader's watched threads, those with new posts first, then by last bump."""
    if request.user.is_authenticated:
        rows = WatchedThread.objects.filter(user=request.user).select_related("thread__board")
        watched = [Watched(row.thread, row.seen_count) for row in rows]
    else:
        entries = read_cookie(request)
        if not entries:
            return []
        wanted = Q()
        for slug, key in entries:
            wanted |= Q(board__slug=slug, key=key)
        threads = Thread.objects.select_related("board").filter(wanted)
        watched = [Watched(t, entries[(t.board.slug, t.key)]) for t in threads]
    watched.sort(key=lambda w: (w.new_count == 0, -w.thread.bumped_at.timestamp()))
    return watched


def watched_names(request) -> list[str]:
    if request.user.is_authenticated:
        return [
            f"{slug}/{key}"
            for slug, key in WatchedThread.objects.filter(user=request.user).values_list(
                "thread__board__slug", "thread__key"
            )
        ]
    return [f"{slug}/{key}" for slug, key in read_cookie(request)]


def watch(request, response, thread: Thread) -> None:
    """Start watching; posts already there count as seen."""
    if request.user.is_authenticated:
        if (
            not WatchedThread.objects.filter(user=request.user, thread=thread).exists()
            and WatchedThread.objects.filter(user=request.user).count() >= WATCHED_THREADS_MAX
        ):
            raise PreferenceError(
                _("You can watch at most %(max)d threads. Stop watching some first.")
                % {"max": WATCHED_THREADS_MAX}
            )
        WatchedThread.objects.update_or_create(
            user=request.user,
            thread=thread,
            defaults={"seen_count": thread.post_count, "seen_at": timezone.now()},
        )
        return
    entries = read_cookie(request)
    entry = (thread.board.slug, thread.key)
    if entry not in entries and len(entries) >= COOKIE_MAX:
        raise PreferenceError(
            _(
                "This browser can watch at most %(max)d threads. Stop watching some first, "
                "or sign in to keep more."
            )
            % {"max": COOKIE_MAX}
        )
    entries[entry] = thread.post_count
    write_cookie(response, entries)


def unwatch(request, response, thread: Thread) -> None:
    if request.user.is_authenticated:
        WatchedThread.objects.filter(user=request.user, thread=thread).delete()
        return
    entries = read_cookie(request)
    entries.pop((thread.board.slug, thread.key), None)
    write_cookie(response, entries)


def mark_seen(request, response, thread: Thread, seen: int | None = None) -> None:
    """Remember that the reader has seen the thread up to `seen` posts (default: all of them).

    Only a watched thread is touched: visiting a thread does not start watching it.
    """
    seen = thread.post_count if seen is None else max(0, min(seen, thread.post_count))
    if request.user.is_authenticated:
        WatchedThread.objects.filter(user=request.user, thread=thread).update(
            seen_count=seen, seen_at=timezone.now()
        )
        return
    entries = read_cookie(request)
    entry = (thread.board.slug, thread.key)
    if entry in entries and entries[entry] != seen:
        entries[entry] = seen
        write_cookie(response, entries)
