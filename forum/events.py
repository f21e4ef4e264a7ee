"""What happens after a board change has committed: caches dropped, readers told.

forum.posting schedules these with transaction.on_commit, so nobody hears of a post that
was rolled back. Live delivery to connected readers is forum.live's job.
"""

from __future__ import annotations

from forum import live, pagecache
from forum.twoch import cache as bbscache


def _scopes(thread) -> list[str]:
    board = thread.board.slug
    return [pagecache.thread_scope(board, thread.key), pagecache.board_scope(board)]


def _bbs_scopes(thread) -> list[str]:
    """The 2channel files a thread change shows up in: its dat and its board's subject.txt."""
    board = thread.board.slug
    return [bbscache.dat_scope(board, thread.key), bbscache.subject_scope(board)]


def post_created(post) -> None:
    pagecache.invalidate(*_scopes(post.thread))
    bbscache.touch(*_bbs_scopes(post.thread))
    _announce("post_created", post)


def post_changed(post) -> None:
    """A post was deleted, hidden or restored: its placeholder replaces it everywhere."""
    pagecache.invalidate(*_scopes(post.thread))
    bbscache.touch(bbscache.dat_scope(post.thread.board.slug, post.thread.key))
    _announce("post_changed", post)


def thread_created(thread, post, archived_ids: list[int]) -> None:
    pagecache.invalidate(*_scopes(thread), pagecache.home_scope())
    bbscache.touch(*_bbs_scopes(thread))
    if archived_ids:
        from forum.models import Thread

        for key in Thread.objects.filter(pk__in=archived_ids).values_list("key", flat=True):
            pagecache.invalidate(pagecache.thread_scope(thread.board.slug, key))
            bbscache.touch(bbscache.dat_scope(thread.board.slug, key))
    _announce("thread_created", post)


def thread_changed(thread) -> None:
    """Locked, pinned, archived, moved or retitled by a moderator."""
    pagecache.invalidate(*_scopes(thread), pagecache.home_scope())
    bbscache.touch(*_bbs_scopes(thread))


def _announce(event: str, post) -> None:
    # Never raises: with Redis down the change still stands and the page still answers.
    live.announce(event, post)
