"""Your posts: which posts of a thread this browser wrote, known by its poster cookie alone.

A post keeps the keyed hash of the cookie it was written with (`delete_key_hash`, the key of the
cookie's standing too). Thread pages are cached alike for every reader and the cookie is
HttpOnly, so the page never says which posts are yours: static/js/yours.js asks
`your_posts` (a small same-origin request the cookie travels with) and shows "Delete my post"
on those alone. Without JavaScript the same address is a page listing them.
"""

from __future__ import annotations

import secrets

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from forum.models import Post, Thread
from forum.poster import delete_key
from forum.standing import key_hash

# The posts their writer may still delete (forum.posting.delete_own_post).
DELETABLE = (Post.Status.VISIBLE, Post.Status.HIDDEN_PENDING_REVIEW)


def wrote(cookie_key: str, post: Post) -> bool:
    """Whether `post` was written with the poster cookie whose key is `cookie_key`."""
    key = key_hash(cookie_key)
    return bool(key and post.delete_key_hash) and secrets.compare_digest(key, post.delete_key_hash)


def posts_written_with(cookie_key: str, thread: Thread) -> list[Post]:
    """The posts of `thread` written with this poster cookie that it may still delete, in
    order. One query on the cookie's index; none without a cookie."""
    key = key_hash(cookie_key)
    if not key:
        return []
    posts = Post.objects.filter(thread=thread, delete_key_hash=key, status__in=DELETABLE)
    return list(posts.order_by("number").only("number", "body", "created_at", "status"))


@never_cache  # different for every browser: never kept by a cache along the way
@require_GET
def your_posts(request, board: str, key: int):
    """JSON {"numbers": [...]} for the thread page's script; a page listing them otherwise."""
    thread = Thread.objects.at(board, key)
    if thread is None:
        raise Http404(_("There is no such thread."))
    posts = posts_written_with(delete_key(request), thread)
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"numbers": [post.number for post in posts]})
    for post in posts:
        post.thread = thread
    return render(request, "forum/your_posts.html", {"thread": thread, "posts": posts})
