"""The forum's models, one module per idea: boards, threads and posts (`boards`), what
moderators work with (`moderation`), addresses sealed for an emergency (`sealed`) and a poster
cookie's standing (`standing`), replies to a poster (`replies`); `sql` reads SQL of our own into
them.
Everything is importable from `forum.models`."""

from forum.models.boards import (
    BOARD_SLUG,
    MAX_POSTS_PER_THREAD,
    RESERVED_SLUGS,
    Bilingual,
    Board,
    Post,
    PostQuerySet,
    Thread,
    ThreadMove,
    ThreadQuerySet,
    is_sage,
    validate_board_slug,
)
from forum.models.moderation import (
    AuditLog,
    Ban,
    BanQuerySet,
    Report,
    ReportedPost,
    WordFilter,
)
from forum.models.replies import PosterLink, RepliesSeen, Reply
from forum.models.sealed import SealedAddress, SealedAddressBase
from forum.models.standing import Standing
from forum.models.surge import SurgeState

__all__ = [
    "BOARD_SLUG",
    "MAX_POSTS_PER_THREAD",
    "RESERVED_SLUGS",
    "AuditLog",
    "Ban",
    "BanQuerySet",
    "Bilingual",
    "Board",
    "Post",
    "PostQuerySet",
    "PosterLink",
    "RepliesSeen",
    "Reply",
    "Report",
    "ReportedPost",
    "SealedAddress",
    "SealedAddressBase",
    "Standing",
    "SurgeState",
    "Thread",
    "ThreadMove",
    "ThreadQuerySet",
    "WordFilter",
    "is_sage",
    "validate_board_slug",
]
