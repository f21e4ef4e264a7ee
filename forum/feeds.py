"""Atom feeds: each board's newest threads and each thread's newest posts, for feed readers.

Django's syndication framework writes the XML. A feed shows what the page shows and no more:
threads on the board (Thread.objects.live(): neither archived nor held in a surge), posts that
are visible. A body goes out as the HTML forum.text.render_body cooked when it was posted (the
one renderer of a post), so what a poster typed stays escaped in every reader; names and titles
are plain text, which the XML writer escapes.

Feeds are cached like their pages (forum.pagecache, same scopes), so a post drops them too.
"""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from config.replicas import read_only
from forum import pagecache
from forum.models import Board, Post, Thread
from forum.text import excerpt

THREADS_IN_FEED = 30
POSTS_IN_FEED = 50


def feed_html(post: Post) -> str:
    """A post's cooked body for a feed reader, which ignores the page's pre-wrap: breaks kept."""
    return post.body_html.replace("\n", "<br>\n") if post.is_visible else ""


def author(post: Post, board: Board) -> str:
    """The name in the post's header: the board's default, a tripcode, or Moderator ★."""
    if post.is_capcode:
        return f"{_('Moderator')} ★"
    name = post.name or board.default_name
    return f"{name} ◆{post.tripcode}" if post.tripcode else name


class BoardFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, board: str) -> Board:
        return get_object_or_404(Board, slug=board)

    def title(self, board: Board) -> str:
        return f"{board.title} · {_('Yoake')}"

    def subtitle(self, board: Board) -> str:
        return board.description

    def link(self, board: Board) -> str:
        return board.get_absolute_url()

    def author_name(self) -> str:
        return _("Yoake")

    def items(self, board: Board) -> list[Thread]:
        threads = list(Thread.objects.filter(board=board).live().order_by("-created_at", "-id"))
        threads = threads[:THREADS_IN_FEED]
        openings = {
            post.thread_id: post
            for post in Post.objects.filter(thread__in=threads, number=1).only(
                "thread_id", "name", "tripcode", "is_capcode", "status", "body_html"
            )
        }
        for thread in threads:
            thread.board = board
            thread.opening = openings.get(thread.pk)
        return threads

    def item_title(self, thread: Thread) -> str:
        return thread.title

    def item_link(self, thread: Thread) -> str:
        return thread.get_absolute_url()

    def item_description(self, thread: Thread) -> str:
        return feed_html(thread.opening) if thread.opening else ""

    def item_author_name(self, thread: Thread) -> str | None:
        return author(thread.opening, thread.board) if thread.opening else None

    def item_pubdate(self, thread: Thread):
        return thread.created_at

    def item_updateddate(self, thread: Thread):
        return thread.bumped_at


class ThreadFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, board: str, key: int) -> Thread:
        try:
            # Held in a surge: on no page, so in no feed (forum.views._thread_or_404's rule).
            return Thread.objects.select_related("board").get(
                board__slug=board, key=key, is_held=False
            )
        except Thread.DoesNotExist:
            raise Http404(_("There is no such thread.")) from None

    def title(self, thread: Thread) -> str:
        return f"{thread.title} · {thread.board.title}"

    def link(self, thread: Thread) -> str:
        return thread.get_absolute_url()

    def author_name(self) -> str:
        return _("Yoake")

    def items(self, thread: Thread) -> list[Post]:
        posts = list(
            Post.objects.filter(thread=thread).visible().order_by("-number")[:POSTS_IN_FEED]
        )
        for post in posts:
            post.thread = thread
        return posts

    def item_title(self, post: Post) -> str:
        return f"{post.number}: {excerpt(post.body, 60)}"

    def item_link(self, post: Post) -> str:
        return post.get_absolute_url()

    def item_description(self, post: Post) -> str:
        return feed_html(post)

    def item_author_name(self, post: Post) -> str:
        return author(post, post.thread.board)

    def item_pubdate(self, post: Post):
        return post.created_at

    def item_updateddate(self, post: Post):
        return post.created_at  # posts are never edited; Atom asks for the date all the same


board_feed = pagecache.cached_page(pagecache.board_scope)(read_only(BoardFeed()))
thread_feed = pagecache.cached_page(pagecache.thread_scope)(read_only(ThreadFeed()))
