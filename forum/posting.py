"""Posting, numbering, deleting, reporting and archiving: every change to a board goes through here.

Views, the 2channel bbs.cgi endpoint, consumers and the admin all call these functions, so every
rule (limits, flood control, bans, word filters, risk language, numbering) holds for every way in.
Each function runs in one transaction and announces its change only once it has committed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import Value
from django.utils import timezone
from django.utils.translation import gettext as _

from forum import events, floodcontrol, names, safety, standing, yours
from forum.daily_id import CAPCODE_ID, daily_id
from forum.errors import InvalidInput, RiskLanguage, ThreadClosed
from forum.models import AuditLog, Board, Post, SealedAddress, Thread, is_sage
from forum.personal_info import mask_personal_info
from forum.poster import Poster
from forum.text import (
    body_problem,
    clean_body,
    clean_line,
    disarm_marks,
    line_count,
    render_body,
    reply_targets,
    sign,
)
from review import queue as review_queue
from review.models import Signal
from support.risk import find_risk_phrases
from support.search import search_document

TITLE_MAX = 96
NAME_MAX = 32
MAIL_MAX = 64
BODY_MAX = 4000
BODY_MAX_LINES = 60
CAPCODE_NAME = "Moderator"


@dataclass(frozen=True)
class CleanInput:
    name: str
    tripcode: str
    mail: str
    body: str
    title: str = ""
    # Kinds of personal information masked in the title or body ("phone", "email").
    masked: tuple[str, ...] = ()


def clean_input(
    *, name: str, mail: str, body: str, title: str | None = None, as_moderator: bool = False
) -> CleanInput:
    """Normalise and check what a poster typed; raise InvalidInput naming every field at fault.
    A name claiming a staff role is refused unless the post carries the capcode."""
    errors: dict[str, list[str]] = {}
    name_field = clean_line(name)
    mail = clean_line(mail)
    body = clean_body(body)
    # A name's length counts its #key: the field, as typed, is what has to fit.
    if len(name_field) > NAME_MAX:
        errors.setdefault("name", []).append(
            _("The name can be at most %(max)d characters (it has %(count)d).")
            % {"max": NAME_MAX, "count": len(name_field)}
        )
    refusal = None if as_moderator else names.name_refusal(name_field)
    if refusal:
        errors.setdefault("name", []).append(refusal)
    if len(mail) > MAIL_MAX:
        errors.setdefault("mail", []).append(
            _("The mail field can be at most %(max)d characters (it has %(count)d).")
            % {"max": MAIL_MAX, "count": len(mail)}
        )
    if title is not None:
        title = clean_line(title)
        if not title:
            errors.setdefault("title", []).append(_("Please give the thread a title."))
        elif len(title) > TITLE_MAX:
            errors.setdefault("title", []).append(
                _("The title can be at most %(max)d characters (it has %(count)d).")
                % {"max": TITLE_MAX, "count": len(title)}
            )
    problem = body_problem(body, max_chars=BODY_MAX, max_lines=BODY_MAX_LINES)
    if problem == "empty":
        errors.setdefault("body", []).append(_("Please write something before posting."))
    elif problem == "too_long":
        errors.setdefault("body", []).append(
            _("A post can be at most %(max)d characters (this one has %(count)d).")
            % {"max": BODY_MAX, "count": len(body)}
        )
    elif problem == "too_many_lines":
        errors.setdefault("body", []).append(
            _("A post can have at most %(max)d lines (this one has %(count)d).")
            % {"max": BODY_MAX_LINES, "count": line_count(body)}
        )
    if errors:
        raise InvalidInput(errors)
    signature = sign(name_field)
    body, in_body = mask_personal_info(body)
    title, in_title = mask_personal_info(title) if title else ("", [])
    return CleanInput(
        name=signature.name,
        tripcode=signature.tripcode,
        mail=disarm_marks(mail),
        body=body,
        title=disarm_marks(title) if title else "",
        masked=tuple(dict.fromkeys(in_title + in_body)),
    )


def risk_phrases(*texts: str) -> list[str]:
    """The risk phrases in a post's title and body, each once (support.risk decides them)."""
    found: list[str] = []
    for text in texts:
        for phrase in find_risk_phrases(text):
            if phrase not in found:
                found.append(phrase)
    return found


def _screen(
    board: Board, cleaned: CleanInput, poster: Poster, *, confirm_risk: bool
) -> tuple[CleanInput, bool, bool]:
    """Bans, word filters and risk language. Returns (input after filters, risk?, filter flag?)."""
    safety.check_not_banned(poster.hashes, board=board)
    filtered = safety.apply_word_filters(name=cleaned.name, title=cleaned.title, body=cleaned.body)
    cleaned = CleanInput(
        name=filtered.name,
        tripcode=cleaned.tripcode,
        mail=cleaned.mail,
        body=filtered.body,
        title=filtered.title,
        masked=cleaned.masked,
    )
    risk = risk_phrases(cleaned.title, cleaned.body)
    if risk and not confirm_risk:
        raise RiskLanguage(risk)
    return cleaned, bool(risk), filtered.flagged


@dataclass(frozen=True)
class Admitted:
    """A post that passed every check and holds the poster's flood slot: it only needs a number."""

    cleaned: CleanInput
    poster: Poster
    as_moderator: object  # the staff member posting as Moderator ★, or False
    risk: bool
    flagged: bool


def _admit(
    board: Board, cleaned: CleanInput, poster: Poster, *, confirm_risk: bool, as_moderator, now
) -> Admitted:
    """Everything a post must pass before it gets a number; claims the poster's flood slot last,
    so a refusal for any other reason costs them no wait."""
    cleaned, risk, flagged = _screen(board, cleaned, poster, confirm_risk=confirm_risk)
    floodcontrol.check_not_duplicate(poster.hashes.poster, cleaned.body)
    floodcontrol.claim_post_slot(
        poster.hashes.poster, board.slug, floodcontrol.post_interval(board), now=now
    )
    return Admitted(cleaned, poster, as_moderator, risk, flagged)


def _take_number(thread: Thread, *, bump: bool, now: datetime) -> int:
    """Give the thread its next number under the row lock, or explain why it takes no more."""
    # The same cap as Thread.is_full, applied under the row lock.
    limit = thread.board.post_limit
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE forum_thread
               SET post_count = post_count + 1,
                   modified_at = %s,
                   bumped_at = CASE WHEN %s THEN %s ELSE bumped_at END
             WHERE id = %s AND NOT is_locked AND NOT is_archived AND post_count < %s
         RETURNING post_count
            """,
            [now, bump, now, thread.pk, limit],
        )
        row = cursor.fetchone()
    if row is not None:
        return row[0]
    current = Thread.objects.get(pk=thread.pk)
    if current.is_archived:
        raise ThreadClosed(_("This thread is in the archive and takes no more posts."))
    if current.is_locked:
        raise ThreadClosed(_("This thread has been locked by the moderators."))
    raise ThreadClosed(
        _("This thread has reached %(limit)d posts and is full. Please start a new thread.")
        % {"limit": limit}
    )


def _add_post(thread: Thread, admitted: Admitted, *, bump: bool, now: datetime) -> Post:
    """Number and store an admitted post, inside the caller's transaction."""
    number = _take_number(thread, bump=bump, now=now)
    cleaned, poster, as_moderator = admitted.cleaned, admitted.poster, admitted.as_moderator
    post = Post.objects.create(
        thread=thread,
        number=number,
        body_html=render_body(cleaned.body),
        reply_to=[n for n in reply_targets(cleaned.body) if n < number],
        search_vector=SearchVector(
            Value(search_document(cleaned.title, cleaned.body)), config="simple"
        ),
        name=CAPCODE_NAME if as_moderator else cleaned.name,
        tripcode="" if as_moderator else cleaned.tripcode,
        is_capcode=bool(as_moderator),
        mail=cleaned.mail,
        body=cleaned.body,
        created_at=now,
        daily_id=(
            CAPCODE_ID if as_moderator else daily_id(poster.hashes.poster, thread.board.slug, now)
        ),
        address_hash=poster.hashes.address,
        range_hash_narrow=poster.hashes.narrow,
        range_hash_wide=poster.hashes.wide,
        delete_key_hash=standing.cookie_hash(poster),  # also the key of the cookie's standing
        is_risk_flagged=admitted.risk,
        is_filter_flagged=admitted.flagged,
    )
    # Into the moderators' queue in the same transaction: no risk post can go unseen.
    if admitted.risk:
        review_queue.flag(post, Signal.Source.RISK_LANGUAGE, now=now)
    if admitted.flagged:
        review_queue.flag(post, Signal.Source.WORD_FILTER, now=now)
    SealedAddress.keep(post, poster.hashes)  # only with risk language and a key set
    standing.note_post(poster, now)

    if as_moderator:
        # Imported here because forum.moderation builds on this module.
        from forum.moderation.audit import audit, post_label

        audit(as_moderator, AuditLog.Action.CAPCODE_POST, post, object_repr=post_label(post))
    return post


def create_post(
    thread: Thread,
    *,
    poster: Poster,
    name: str = "",
    mail: str = "",
    body: str,
    confirm_risk: bool = False,
    as_moderator=False,
    now: datetime | None = None,
) -> Post:
    """Add a reply to `thread` with the next number, or raise a PostingRefused / RiskLanguage.

    `as_moderator` is the staff member (checked by the caller) posting as Moderator ★: the
    post and its audit row are written in one transaction.

    Numbers run 1..N without gaps or repeats under any concurrency (the thread row is the lock);
    a `sage` mail does not bump; at the board's cap the thread refuses politely.
    """
    board = thread.board
    cleaned = clean_input(name=name, mail=mail, body=body, as_moderator=as_moderator)
    admitted = _admit(
        board, cleaned, poster, confirm_risk=confirm_risk, as_moderator=as_moderator, now=now
    )
    now = now or timezone.now()
    try:
        with transaction.atomic():
            post = _add_post(thread, admitted, bump=not is_sage(cleaned.mail), now=now)
            transaction.on_commit(lambda: events.post_created(post))
    except Exception:
        floodcontrol.release_post_slot(poster.hashes.poster, board.slug)
        raise
    floodcontrol.remember_body(poster.hashes.poster, admitted.cleaned.body)
    thread.post_count = post.number
    post.masked_personal_info = cleaned.masked  # for the writer's notice (forum.personal_info)
    return post


def _next_key(board: Board, now: datetime) -> int:
    """Thread keys are creation Unix times, unique per board (bumped by one on a collision)."""
    wanted = int(now.timestamp())
    last = (
        Thread.objects.filter(board=board, key__gte=wanted)
        .order_by("-key")
        .values_list("key", flat=True)
        .first()
    )
    return wanted if last is None else last + 1


def create_thread(
    board: Board,
    *,
    poster: Poster,
    title: str,
    name: str = "",
    mail: str = "",
    body: str,
    confirm_risk: bool = False,
    as_moderator=False,
    now: datetime | None = None,
) -> Thread:
    """Start a thread with its first post; past the board's capacity the stalest thread retires."""
    cleaned = clean_input(name=name, mail=mail, body=body, title=title, as_moderator=as_moderator)
    admitted = _admit(
        board, cleaned, poster, confirm_risk=confirm_risk, as_moderator=as_moderator, now=now
    )
    try:
        floodcontrol.claim_thread_quota(poster.hashes.poster, board.slug, board.threads_per_hour)
    except Exception:
        floodcontrol.release_post_slot(poster.hashes.poster, board.slug)
        raise
    now = now or timezone.now()
    try:
        with transaction.atomic():
            # One thread creation per board at a time keeps keys unique and capacity exact.
            Board.objects.select_for_update().only("pk").get(pk=board.pk)
            thread = Thread.objects.create(
                board=board,
                key=_next_key(board, now),
                title=admitted.cleaned.title,
                created_at=now,
                bumped_at=now,
                modified_at=now,
            )
            thread.board = board
            post = _add_post(thread, admitted, bump=True, now=now)
            archived = archive_overflow(board, now=now)
            transaction.on_commit(lambda: events.thread_created(thread, post, archived))
    except Exception:
        floodcontrol.release_post_slot(poster.hashes.poster, board.slug)
        floodcontrol.release_thread_quota(poster.hashes.poster, board.slug)
        raise
    floodcontrol.remember_body(poster.hashes.poster, admitted.cleaned.body)
    thread.post_count = post.number
    thread.masked_personal_info = cleaned.masked  # for the writer's notice
    return thread


def archive_overflow(board: Board, *, now: datetime | None = None) -> list[int]:
    """Move the least recently bumped unpinned threads to the archive until the board fits.

    Returns the ids of the threads archived. Call inside the transaction that added a thread.
    """
    now = now or timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE forum_thread SET is_archived = TRUE, archived_at = %s, modified_at = %s
             WHERE id IN (
                SELECT id FROM forum_thread
                 WHERE board_id = %s AND NOT is_archived AND NOT is_pinned
                 ORDER BY bumped_at ASC, id ASC
                 LIMIT GREATEST(0, (SELECT count(*) FROM forum_thread
                                     WHERE board_id = %s AND NOT is_archived) - %s)
             )
         RETURNING id
            """,
            [now, now, board.pk, board.pk, board.capacity],
        )
        return [row[0] for row in cursor.fetchall()]


def set_post_status(
    post: Post, status: str, reason: str = "", *, now: datetime | None = None
) -> Post:
    """Show, hide or delete a post (its number stays): the one way a post's status changes,
    for posters, reports and moderators. Readers hear of it once the transaction commits."""
    with transaction.atomic():
        Post.objects.filter(pk=post.pk).update(status=status, status_reason=reason)
        Thread.objects.filter(pk=post.thread_id).update(modified_at=now or timezone.now())
        post.status = status
        post.status_reason = reason
        transaction.on_commit(lambda: events.post_changed(post))
    return post


def delete_own_post(post: Post, *, delete_key: str) -> Post:
    """The poster deletes their own post with the key their browser kept. Numbering stays."""
    if not post.is_visible and post.status != Post.Status.HIDDEN_PENDING_REVIEW:
        raise ThreadClosed(_("This post has already been deleted."))
    if not yours.wrote(delete_key, post):
        raise ThreadClosed(
            _("This post was not made from this browser, so it cannot be deleted from here.")
        )
    return set_post_status(post, Post.Status.DELETED_BY_POSTER)
