"""Replies to you, without an account: the posts that anchor (>>N) a post this browser wrote.

The poster cookie is the only thing that knows which posts are yours (forum.yours). When a post
anchors another cookie's post, `note_replies` writes a `Reply` for that cookie in the posting
transaction; after commit, `tell_recipients` pokes each recipient's open pages through the
`/ws/replies/` socket. Cached pages stay the same for everyone: the header's count arrives by a
small request (`replies_count`), and the Replies page lists them without JavaScript.

A signed-in reader's browsers are joined (`PosterLink`) when they use Yoake signed in, so the
replies to posts from any of them reach every one.
"""

from __future__ import annotations

from datetime import datetime

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Max
from django.http import HttpRequest, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from forum.models import Post, PosterLink, RepliesSeen, Reply
from forum.poster import delete_key
from forum.standing import key_hash
from realtime.broadcast import broadcast

REPLIES_PER_PAGE = 50
# The header says "99+" beyond this: counting further costs and tells nobody more.
COUNT_CAP = 99
# A reader signed in on more browsers than this: the oldest no longer bring their replies.
LINKED_BROWSERS_MAX = 20

# The anchored posts whose writers are told: posts still shown (or waiting for a moderator)
# written with a cookie other than the replier's. One statement, inside the posting transaction.
_NOTE_REPLIES = """
INSERT INTO forum_reply (recipient_key, post_id, to_post_id, created_at)
SELECT target.delete_key_hash, %(post)s, target.id, %(now)s
FROM forum_post AS target
WHERE target.thread_id = %(thread)s AND target.number = ANY(%(numbers)s)
  AND target.delete_key_hash <> '' AND target.delete_key_hash <> %(own)s
  AND target.status IN ('visible', 'hidden_pending_review')
ON CONFLICT DO NOTHING
RETURNING recipient_key
"""


def note_replies(post: Post) -> list[str]:
    """Record a Reply for every other writer `post` anchors; returns their cookie hashes.

    Called by forum.posting inside the transaction that stores the post; nothing for a post that
    anchors nobody (no query) or is held for a moderator.
    """
    if not post.reply_to or post.status != Post.Status.VISIBLE:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            _NOTE_REPLIES,
            {
                "post": post.pk,
                "now": post.created_at,
                "thread": post.thread_id,
                "numbers": list(post.reply_to),
                "own": post.delete_key_hash,
            },
        )
        return sorted({row[0] for row in cursor.fetchall()})


def replies_group(key: str) -> str:
    """The channel group of one poster cookie's open pages."""
    return f"replies.{key}"


def tell_recipients(recipients: list[str]) -> None:
    """After commit: every open page of the recipients (and of their other signed-in browsers)
    asks for its count again. Never raises (realtime.broadcast)."""
    if not recipients:
        return
    users = PosterLink.objects.filter(key_hash__in=recipients).values("user_id")
    linked = PosterLink.objects.filter(user_id__in=users).values_list("key_hash", flat=True)
    for key in sorted(set(recipients) | set(linked)):
        broadcast(replies_group(key), {"type": "replies.new"})


def reader_keys(request: HttpRequest) -> list[str]:
    """The cookie hashes whose replies this reader sees: this browser's, and for a signed-in
    reader every browser they have used signed in (this one is joined now if it is new)."""
    own = key_hash(delete_key(request))
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return [own] if own else []
    if own:
        _link(user.pk, own)
    linked = PosterLink.objects.filter(user=user).values_list("key_hash", flat=True)
    return sorted({own, *linked} - {""})


def _link(user_id: int, key: str) -> None:
    """Join this browser to the account (one statement when it already is); a browser joined
    beyond LINKED_BROWSERS_MAX unjoins the longest-joined one."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO forum_posterlink (user_id, key_hash, linked_at) VALUES (%s, %s, now())
            ON CONFLICT (user_id, key_hash) DO NOTHING RETURNING id
            """,
            [user_id, key],
        )
        if cursor.fetchone() is None:
            return
    kept = PosterLink.objects.filter(user_id=user_id).order_by("-linked_at", "-pk")
    PosterLink.objects.filter(user_id=user_id).exclude(
        pk__in=kept.values("pk")[:LINKED_BROWSERS_MAX]
    ).delete()


def _replies(keys: list[str]):
    return Reply.objects.filter(recipient_key__in=keys, post__status=Post.Status.VISIBLE)


_UNSEEN = """
SELECT count(*) FROM (
  SELECT 1 FROM forum_reply AS reply
  JOIN forum_post AS post ON post.id = reply.post_id
  WHERE reply.recipient_key = ANY(%(keys)s) AND post.status = 'visible'
    AND reply.created_at > COALESCE(
      (SELECT max(seen_at) FROM forum_repliesseen WHERE key_hash = ANY(%(keys)s)),
      '-infinity')
  LIMIT %(cap)s
) AS unseen
"""


def unseen_count(keys: list[str]) -> int:
    """Replies shown since these cookies' Replies page was last opened, up to COUNT_CAP + 1
    (one query; none without a cookie)."""
    if not keys:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(_UNSEEN, {"keys": keys, "cap": COUNT_CAP + 1})
        return cursor.fetchone()[0]


def mark_seen(keys: list[str], now: datetime) -> None:
    """The reader opened their Replies page: everything until now is seen, on every browser."""
    RepliesSeen.objects.bulk_create(
        [RepliesSeen(key_hash=key, seen_at=now) for key in keys],
        update_conflicts=True,
        unique_fields=["key_hash"],
        update_fields=["seen_at"],
    )


def last_seen(keys: list[str]) -> datetime | None:
    return RepliesSeen.objects.filter(key_hash__in=keys).aggregate(latest=Max("seen_at"))["latest"]


def count_label(count: int) -> str:
    """What the header says: "Replies", or "N replies to you" (99+ beyond the cap)."""
    if not count:
        return pgettext("header link", "Replies")
    if count > COUNT_CAP:
        return _("%(count)s+ replies to you") % {"count": COUNT_CAP}
    return ngettext("%(count)s reply to you", "%(count)s replies to you", count) % {"count": count}


@never_cache  # different for every browser
@require_GET
def replies_count(request: HttpRequest) -> JsonResponse:
    """{"unseen": N, "label": "...", "posted": bool} for the header's script."""
    keys = reader_keys(request)
    count = unseen_count(keys)
    return JsonResponse({"unseen": count, "label": count_label(count), "posted": bool(keys)})


@never_cache
@require_GET
def replies(request: HttpRequest):
    """The Replies page: newest first, the new ones marked; opening it marks them seen."""
    keys = reader_keys(request)
    seen = last_seen(keys) if keys else None
    listed = (
        _replies(keys)
        .select_related("post__thread__board", "to_post")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(listed, REPLIES_PER_PAGE).get_page(request.GET.get("page"))
    for reply in page:
        reply.is_new = seen is None or reply.created_at > seen
    new = sum(reply.is_new for reply in page)
    if keys and page.number == 1:
        mark_seen(keys, timezone.now())
    return render(
        request,
        "forum/replies.html",
        {"page": page, "has_cookie": bool(keys), "new_label": count_label(new) if new else ""},
    )
