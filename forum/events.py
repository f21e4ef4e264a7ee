"""What happens after a board change has committed: caches dropped, readers told.

forum.posting and forum.moderation schedule these with transaction.on_commit, so nobody hears of
a post that was rolled back; a board saved anywhere (the admin saves the model) reaches
`board_changed` the same way. Each event drops the cached pages (forum.pagecache) and the
2channel files (forum.twoch, through its one entry point) that show the change. Live delivery to
connected readers is forum.live's job. Accepted posts and threads are counted here for /metrics
(config.metrics), so a rolled-back post never counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from config import metrics
from forum import live, pagecache, replies
from forum.models import Board, Post, Thread
from forum.twoch.cache import files_changed


def post_created(post: Post) -> None:
    """A reply: the home page shows its thread's count and last post, and a first reply takes the
    thread off the home page's "waiting for a first reply" (forum.home)."""
    board, keys = post.thread.board.slug, [post.thread.key]
    metrics.post_accepted(board)
    # The post's time is its thread's last change (forum.posting wrote both at once).
    pages = _pages(board, keys, home=True)
    _refresh(board, pages, thread_keys=keys, thread_list=True, changed_at=post.created_at)
    _announce("post_created", post)
    # The writers it answers see "1 reply to you" on their open pages (forum.replies).
    replies.tell_recipients(getattr(post, "reply_recipients", []))


def post_changed(post: Post) -> None:
    """A post was deleted, hidden or restored: its placeholder replaces it everywhere. Home too:
    a thread whose first post is gone waits for nobody (forum.home)."""
    board, keys = post.thread.board.slug, [post.thread.key]
    # subject.txt stays: it counts dat lines, and a deleted post keeps its line.
    _refresh(board, _pages(board, keys, home=True), thread_keys=keys)
    _announce("post_changed", post)


def thread_created(thread: Thread, post: Post, archived_ids: list[int]) -> None:
    """A new thread, and the threads it pushed into the archive (their pages say so)."""
    board, keys = thread.board.slug, [thread.key]
    metrics.thread_started(board)
    if archived_ids:
        keys += Thread.objects.filter(pk__in=archived_ids).values_list("key", flat=True)
    _refresh(board, _pages(board, keys, home=True), thread_keys=keys, thread_list=True)
    _announce("thread_created", post)


def thread_changed(thread: Thread) -> None:
    """Locked, pinned, archived, moved or retitled by a moderator."""
    board, keys = thread.board.slug, [thread.key]
    _refresh(board, _pages(board, keys, home=True), thread_keys=keys, thread_list=True)


def board_changed(board: Board) -> None:
    """A board's title, names, rules or post limit changed. They show on the home page, the
    board page, every thread page of the board (archived ones too) and its 2channel files.

    Board edits are rare, so each thread page's scope is dropped by name (one query, one Redis
    round trip) rather than making every cached page read a second, per-board generation.
    """
    keys = Thread.objects.filter(board=board).values_list("key", flat=True)
    _refresh(board.slug, _pages(board.slug, keys, home=True), board_files=True)


@receiver(post_save, sender=Board)
def board_saved(instance: Board, **kwargs) -> None:
    """Boards are edited in the admin, which saves the model: the event follows the commit."""
    transaction.on_commit(lambda: board_changed(instance))


def _pages(board: str, thread_keys: Iterable[int], *, home: bool = False) -> list[str]:
    """The cached pages that show these threads: theirs, the board page and, if asked, home."""
    scopes = [pagecache.thread_scope(board, key) for key in thread_keys]
    scopes.append(pagecache.board_scope(board))
    if home:
        scopes.append(pagecache.home_scope())
    return scopes


def _refresh(
    board: str,
    pages: list[str],
    *,
    thread_keys: Iterable[int] = (),
    thread_list: bool = False,
    board_files: bool = False,
    changed_at: datetime | None = None,
) -> None:
    """Forget these cached pages, and tell forum.twoch which of the board's files changed."""
    pagecache.invalidate(*pages)
    files_changed(
        board,
        thread_keys=thread_keys,
        thread_list=thread_list,
        board_files=board_files,
        changed_at=changed_at,
    )


def _announce(event: str, post: Post) -> None:
    # Never raises: with Redis down the change still stands and the page still answers.
    live.announce(event, post)
