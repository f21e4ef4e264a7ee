"""Bans by a post's or message's hashes, by daily ID, or by network range; changed and lifted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.models import AuditLog, Ban, Board, Post
from forum.moderation.audit import ModerationError, audit, clean_reason, post_label
from forum.standing import reset_cookies, reset_standing


def _check_ban_fields(kind: str, scope: str, board: Board | None, expires_at) -> None:
    if kind not in Ban.Kind.values:
        raise ModerationError(_("Please choose what to ban."))
    if scope not in Ban.Scope.values:
        raise ModerationError(_("Please choose where the ban applies."))
    if scope == Ban.Scope.BOARD and board is None:
        raise ModerationError(_("A ban on one board needs that board."))
    if expires_at is not None and expires_at <= timezone.now():
        raise ModerationError(_("The expiry must be in the future."))


def _create_ban(
    *,
    by,
    target_hash: str,
    kind: str,
    scope: str,
    board: Board | None,
    expires_at,
    reason: str,
    **details,
) -> Ban:
    ban = Ban.objects.create(
        kind=kind,
        target_hash=target_hash,
        scope=scope,
        board=board if scope == Ban.Scope.BOARD else None,
        expires_at=expires_at,
        reason=reason,
        created_by=by if getattr(by, "pk", None) else None,
    )
    audit(
        by,
        AuditLog.Action.BAN,
        ban,
        reason=reason,
        object_repr=ban_label(ban),
        kind=kind,
        scope=scope,
        board=board.slug if board is not None and scope == Ban.Scope.BOARD else None,
        expires_at=expires_at.isoformat() if expires_at else None,
        **details,
    )
    return ban


def ban_label(ban: Ban) -> str:
    where = f"/{ban.board.slug}/" if ban.board_id else ban.get_scope_display()
    return f"#{ban.pk} {ban.get_kind_display()} · {where}"


def poster_hash(source, kind: str) -> str:
    """The hash a ban of this `kind` on the sender of a post or message would keep ("" once
    purged)."""
    return {
        Ban.Kind.ADDRESS: source.address_hash,
        Ban.Kind.NARROW: source.range_hash_narrow,
        Ban.Kind.WIDE: source.range_hash_wide,
    }.get(kind, "")


# Earlier bans of a poster count for this long when suggesting the length of the next one.
BAN_MEMORY = timedelta(days=90)
# The suggested length after 0, 1 and 2 earlier bans; after more, a ban with no end (None).
BAN_STEPS = (timedelta(days=1), timedelta(days=7), timedelta(days=30))


@dataclass(frozen=True)
class BanSuggestion:
    """How often this poster was banned within BAN_MEMORY, and the length that suggests
    (None: no end, the ban lasts until lifted)."""

    earlier_bans: int
    length: timedelta | None


def ban_suggestion(source) -> BanSuggestion:
    """The suggestion for banning the sender of `source` (a post or chat message): bans of its
    address or its narrow range (/24, /64) made in the last BAN_MEMORY, wherever they applied,
    lifted or not. The wide range is left out: it holds too many other people."""
    hashes = [h for h in (source.address_hash, source.range_hash_narrow) if h]
    count = (
        Ban.objects.filter(
            target_hash__in=hashes, created_at__gte=timezone.now() - BAN_MEMORY
        ).count()
        if hashes
        else 0
    )
    return BanSuggestion(count, BAN_STEPS[count] if count < len(BAN_STEPS) else None)


def suggest_ban_length(source) -> timedelta | None:
    """How long a ban of the sender of `source` should last: 1 day, then 7, then 30, then no
    end (None) as earlier bans within 90 days add up (see ban_suggestion)."""
    return ban_suggestion(source).length


def ban_poster(
    post: Post,
    *,
    by,
    kind: str = Ban.Kind.ADDRESS,
    scope: str = Ban.Scope.SITE,
    board: Board | None = None,
    expires_at: datetime | None = None,
    reason: str,
) -> Ban:
    """Ban whoever wrote `post`: their address, or everyone in its /24 (/64) or /16 (/48).

    With scope "board" and no board given, the ban covers the post's own board. Nobody learns
    an address: the ban keeps the post's hash. The reason is shown to the banned poster.
    """
    if scope == Ban.Scope.BOARD and board is None:
        board = post.thread.board
    return ban_sender(
        post,
        label=post_label(post),
        by=by,
        kind=kind,
        scope=scope,
        board=board,
        expires_at=expires_at,
        reason=reason,
    )


def ban_sender(
    source,
    *,
    label: str,
    by,
    kind: str = Ban.Kind.ADDRESS,
    scope: str = Ban.Scope.SITE,
    board: Board | None = None,
    expires_at: datetime | None = None,
    reason: str,
) -> Ban:
    """Ban whoever sent `source`: anything that keeps the sender's hashes (a post, a chat
    message). `label` names it in the log and in messages ("/night/1700000000/5", "lounge#12")."""
    reason = clean_reason(reason, required=True)
    _check_ban_fields(kind, scope, board, expires_at)
    target = poster_hash(source, kind)
    if not target:
        raise ModerationError(
            _("The address hashes of %(post)s have been purged, so its poster cannot be banned.")
            % {"post": label}
        )
    with transaction.atomic():
        reset_standing(source)  # a post's cookie; a chat message keeps none
        return _create_ban(
            by=by,
            target_hash=target,
            kind=kind,
            scope=scope,
            board=board,
            expires_at=expires_at,
            reason=reason,
            post=label,
            daily_id=source.daily_id,
        )


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    """Daily IDs change at local midnight (forum.daily_id), so a day is a local day."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def ban_daily_id(
    *,
    board: Board,
    daily_id: str,
    day: date,
    by,
    kind: str = Ban.Kind.ADDRESS,
    scope: str = Ban.Scope.SITE,
    expires_at: datetime | None = None,
    reason: str,
) -> Ban:
    """Ban the poster who had `daily_id` on `board` on `day`, found through their posts.

    The ID itself cannot be turned back into anything; the posts made under it carry the hash.
    """
    reason = clean_reason(reason, required=True)
    daily_id = (daily_id or "").strip().removeprefix("ID:")
    _check_ban_fields(kind, scope, board, expires_at)
    start, end = local_day_bounds(day)
    field = {
        Ban.Kind.ADDRESS: "address_hash",
        Ban.Kind.NARROW: "range_hash_narrow",
        Ban.Kind.WIDE: "range_hash_wide",
    }[kind]
    posts = Post.objects.filter(
        thread__board=board, daily_id=daily_id, created_at__gte=start, created_at__lt=end
    ).exclude(is_capcode=True)  # all capcode posts share one ID (forum.daily_id.CAPCODE_ID)
    hashes = set(posts.exclude(**{field: ""}).values_list(field, flat=True).distinct()[:2])
    if not hashes:
        raise ModerationError(
            _(
                "No post on /%(board)s/ on %(day)s has the ID %(id)s with its address hash "
                "still kept."
            )
            % {"board": board.slug, "day": day.isoformat(), "id": daily_id}
        )
    # An IPv6 /64 is one poster with one ID (AddressHashes.poster), from many addresses.
    networks = posts.order_by().values_list("range_hash_narrow", flat=True).distinct()
    if len(hashes) > 1 and len(networks[:2]) == 1:
        raise ModerationError(
            _(
                "The ID %(id)s was used from several addresses of one home network (IPv6); "
                "ban its narrow range (/64) instead."
            )
            % {"id": daily_id}
        )
    if len(hashes) > 1:  # two posters sharing an 8-character ID on one board and day
        raise ModerationError(
            _("The ID %(id)s belongs to more than one poster that day; ban from a post instead.")
            % {"id": daily_id}
        )
    with transaction.atomic():
        reset_cookies(posts.order_by().values_list("delete_key_hash", flat=True).distinct())
        return _create_ban(
            by=by,
            target_hash=hashes.pop(),
            kind=kind,
            scope=scope,
            board=board,
            expires_at=expires_at,
            reason=reason,
            daily_id=daily_id,
            daily_id_board=board.slug,
            day=day.isoformat(),
        )


def change_ban(
    ban: Ban,
    *,
    by,
    scope: str,
    board: Board | None,
    expires_at: datetime | None,
    reason: str,
) -> Ban:
    """Change where a ban applies, until when, or the reason the poster sees."""
    reason = clean_reason(reason, required=True)
    if scope not in Ban.Scope.values:
        raise ModerationError(_("Please choose where the ban applies."))
    if scope == Ban.Scope.BOARD and board is None:
        raise ModerationError(_("A ban on one board needs that board."))
    with transaction.atomic():
        current = Ban.objects.select_for_update().get(pk=ban.pk)
        if not current.target_hash and (expires_at is None or expires_at > timezone.now()):
            # Purged 30 days after it ended (purge_address_hashes): it could match nobody.
            raise ModerationError(
                _("Ban %(ban)s ended long ago and its hash is purged, so it cannot be renewed.")
                % {"ban": f"#{ban.pk}"}
            )
        before = {
            "scope": current.scope,
            "board": current.board.slug if current.board_id else None,
            "expires_at": current.expires_at.isoformat() if current.expires_at else None,
            "reason": current.reason,
        }
        current.scope = scope
        current.board = board if scope == Ban.Scope.BOARD else None
        current.expires_at = expires_at
        current.reason = reason
        current.save(update_fields=["scope", "board", "expires_at", "reason"])
        after = {
            "scope": current.scope,
            "board": current.board.slug if current.board_id else None,
            "expires_at": current.expires_at.isoformat() if current.expires_at else None,
            "reason": current.reason,
        }
        changed = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
        audit(
            by,
            AuditLog.Action.CHANGE_BAN,
            current,
            reason=reason,
            object_repr=ban_label(current),
            changed=changed,
        )
    return current


def lift_ban(ban: Ban, *, by, reason: str = "") -> Ban:
    """End a ban now. The row stays, so the history of bans stays readable."""
    reason = clean_reason(reason, required=False)
    now = timezone.now()
    with transaction.atomic():
        current = Ban.objects.select_for_update().get(pk=ban.pk)
        if not current.is_active(now):
            raise ModerationError(_("Ban %(ban)s has already ended.") % {"ban": f"#{ban.pk}"})
        current.expires_at = now
        current.save(update_fields=["expires_at"])
        audit(by, AuditLog.Action.LIFT_BAN, current, reason=reason, object_repr=ban_label(current))
    return current
