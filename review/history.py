"""The poster beside the item: what else the same poster wrote in the last 30 days, what was
reported and decided about it, and their bans.

"The same poster" is the same keyed address hash, the same /64 (IPv6) or /24 (IPv4), or the same
daily ID on the same board that day. Only the hashes are compared, in the database; none is shown,
so nothing here lets a moderator recover an address.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from chat.models import Message
from forum.models import Ban, Post
from forum.moderation.bans import local_day_bounds
from review.models import ReviewItem

DAYS = 30
LIMIT = 30


@dataclass
class PosterHistory:
    posts: list[Post] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    earlier_items: list[ReviewItem] = field(default_factory=list)
    bans: list[Ban] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.posts or self.messages or self.earlier_items or self.bans)


def _same_sender(source, *, daily_id_scope: Q | None) -> Q:
    # An emptied (purged) hash matches nothing: "" would otherwise match every purged row.
    same = Q(pk__in=[])
    if source.address_hash:
        same |= Q(address_hash=source.address_hash)
    if source.range_hash_narrow:
        same |= Q(range_hash_narrow=source.range_hash_narrow)
    if daily_id_scope is not None and source.daily_id:
        same |= daily_id_scope
    return same


def _same_day(moment: datetime) -> tuple[datetime, datetime]:
    """The local day a daily ID lived (forum.moderation.local_day_bounds), for a range lookup."""
    start, end = local_day_bounds(timezone.localdate(moment))
    return start, end - timedelta(microseconds=1)


def poster_history(item: ReviewItem, *, now: datetime | None = None) -> PosterHistory:
    """Everything the moderator needs to judge the poster of `item`, in five queries."""
    now = now or timezone.now()
    since = now - timedelta(days=DAYS)
    source = item.target
    if item.post_id:
        post = item.post
        by_id = Q(
            daily_id=post.daily_id,
            thread__board_id=post.thread.board_id,
            created_at__range=_same_day(post.created_at),
        )
        post_filter = _same_sender(post, daily_id_scope=by_id)
        message_filter = _same_sender(post, daily_id_scope=None)
    else:
        message = item.message
        by_id = Q(
            daily_id=message.daily_id,
            room_id=message.room_id,
            created_at__range=_same_day(message.created_at),
        )
        post_filter = _same_sender(message, daily_id_scope=None)
        message_filter = _same_sender(message, daily_id_scope=by_id)
    posts = list(
        Post.objects.filter(post_filter, created_at__gte=since)
        .exclude(pk=item.post_id or 0)
        .select_related("thread__board")
        .defer("body_html", "search_vector")
        .order_by("-created_at")[:LIMIT]
    )
    messages = list(
        Message.objects.filter(message_filter, created_at__gte=since)
        .exclude(pk=item.message_id or 0)
        .select_related("room")
        .order_by("-created_at")[:LIMIT]
    )
    earlier = list(
        ReviewItem.objects.filter(
            Q(post__in=[p.pk for p in posts])
            | Q(message__in=[m.pk for m in messages])
            | Q(**({"post": item.post_id} if item.post_id else {"message": item.message_id})),
        )
        .exclude(pk=item.pk)
        .select_related("post__thread__board", "message__room", "resolved_by")
        .prefetch_related("signals")
        .order_by("-opened_at")[:LIMIT]
    )
    hashes = {
        h for h in (source.address_hash, source.range_hash_narrow, source.range_hash_wide) if h
    }
    bans = list(
        Ban.objects.filter(target_hash__in=hashes).select_related("board").order_by("-created_at")
    )
    return PosterHistory(posts=posts, messages=messages, earlier_items=earlier, bans=bans)
