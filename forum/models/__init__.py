"""The forum's models, one module per idea: boards, threads and posts (`boards`), what
moderators work with (`moderation`) and addresses sealed for an emergency (`sealed`).
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
from forum.models.sealed import SealedAddress, SealedAddressBase

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
    "Report",
    "ReportedPost",
    "SealedAddress",
    "SealedAddressBase",
    "Thread",
    "ThreadMove",
    "ThreadQuerySet",
    "WordFilter",
    "is_sage",
    "validate_board_slug",
]
