"""Posting, numbering, deleting, reporting and archiving: every change to a board goes through here.

Views, the 2channel bbs.cgi endpoint, consumers and the admin all call these functions, so every
rule (limits, flood control, bans, word filters, risk language, numbering) holds for every way in.
Each function runs in one transaction and announces its change only once it has committed.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import Field, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from forum import events, floodcontrol, links, safety, standing, surge, yours
from forum.composing import CAPCODE_NAME, CleanInput, clean_input, risk_phrases
from forum.daily_id import CAPCODE_ID, daily_id
from forum.errors import RiskLanguage, ThreadClosed
from forum.models import AuditLog, Board, Post, SealedAddress, Thread, is_sage
from forum.poster import Poster
from forum.replies import note_replies
from forum.text import render_body, reply_targets
from review import queue as review_queue
from review.models import Signal
from support.search import search_document


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
    passage: surge.Passage = surge.OPEN  # held for a moderator in a surge?


def _admit(
    board: Board, cleaned: CleanInput, poster: Poster, *, new_thread=False, **how
) -> Admitted:
    """Everything a post must pass before it gets a number; claims the poster's flood slot last,
    so a refusal for any other reason costs them no wait. `how`: confirm_risk, as_moderator,
    proof (a surge check's solution) and now."""
    cleaned, risk, flagged = _screen(board, cleaned, poster, confirm_risk=how["confirm_risk"])
    links.check_first_post_links(poster, cleaned.body, now=how["now"])
    floodcontrol.check_not_duplicate(poster.hashes.poster, cleaned.body)
    passage = surge.OPEN
    if not how["as_moderator"]:
        passage = surge.admit(
            board, poster, new_thread=new_thread, proof=how["proof"], now=how["now"]
        )
    floodcontrol.claim_post_slot(
        poster.hashes.poster, board.slug, floodcontrol.post_interval(board), now=how["now"]
    )
    return Admitted(cleaned, poster, how["as_moderator"], risk, flagged, passage)


# The thread's next number and the post stored under it, in one statement: the thread's row is
# locked from this statement to the commit, so nothing else (and no trip back to Python) may
# wait in between. The cap is Thread.is_full's, applied under the row lock; an anchor to a
# number not yet given (>>N past the post's own) is no reply.
_NUMBER_AND_STORE = """
WITH numbered AS (
    UPDATE forum_thread
       SET post_count = post_count + 1,
           modified_at = %(now)s,
           bumped_at = CASE WHEN %(bump)s THEN %(now)s ELSE bumped_at END
     WHERE id = %(thread)s AND NOT is_locked AND NOT is_archived AND post_count < %(limit)s
 RETURNING post_count
)
INSERT INTO forum_post ({columns})
SELECT {values} FROM numbered
RETURNING id, number, reply_to
"""
_EARLIER_REPLIES = (
    "ARRAY(SELECT n FROM unnest(%(reply_to)s::smallint[]) WITH ORDINALITY AS t(n, i)"
    " WHERE n < numbered.post_count ORDER BY i)"
)
# As SearchVector(Value(document), config="simple") writes it (forum.search reads it so).
_SEARCH_VECTOR = "to_tsvector('simple'::regconfig, COALESCE(%(search_document)s, ''))"


@functools.cache
def _store_statement() -> tuple[str, tuple[Field, ...]]:
    """_NUMBER_AND_STORE for every column of a post, and the fields whose values it takes as
    they are: built once per process (compiled per post, the INSERT was a tenth of a reply)."""
    quote = connection.ops.quote_name
    columns, values, plain = [], [], []
    for field in Post._meta.local_concrete_fields:
        if field.primary_key:
            continue
        columns.append(quote(field.column))
        if field.name == "number":
            values.append("numbered.post_count")
        elif field.name == "reply_to":
            values.append(_EARLIER_REPLIES)
        elif field.name == "search_vector":
            values.append(_SEARCH_VECTOR)
        else:
            assert not hasattr(field, "get_placeholder"), field  # one %s per value below
            values.append(f"%({field.column})s")
            plain.append(field)
    statement = _NUMBER_AND_STORE.format(columns=", ".join(columns), values=", ".join(values))
    return statement, tuple(plain)


def _number_and_store(post: Post, *, bump: bool, now: datetime, search_text: str) -> None:
    """Store `post` (every field set but its number and search vector, which `search_text`
    makes) with the thread's next number, or explain why the thread takes no more. Its anchors
    to later numbers are dropped from `reply_to`."""
    thread = post.thread
    statement, plain = _store_statement()
    params = {"now": now, "bump": bump, "thread": thread.pk, "limit": thread.board.post_limit}
    params["reply_to"], params["search_document"] = post.reply_to, search_text
    for field in plain:
        params[field.column] = field.get_db_prep_save(field.pre_save(post, True), connection)
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        row = cursor.fetchone()
    if row is not None:
        post.pk, post.number, post.reply_to = row
        # As stored, should anything save the post again (built, not compiled: cheap).
        post.search_vector = SearchVector(Value(search_text), config="simple")
        post._state.adding, post._state.db = False, connection.alias
        return
    limit = thread.board.post_limit
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
    cleaned, poster, as_moderator = admitted.cleaned, admitted.poster, admitted.as_moderator
    post = Post(
        thread=thread,
        body_html=render_body(cleaned.body),
        reply_to=reply_targets(cleaned.body),  # the later numbers dropped once it has its own
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
        status=Post.Status.HIDDEN_PENDING_REVIEW if admitted.passage.held else Post.Status.VISIBLE,
    )
    # Before the number: the cookie's own row, so no other poster waits on it.
    post.by_newcomer = standing.note_post(poster, now)  # forum.surge counts newcomers' posts
    search_text = search_document(cleaned.title, cleaned.body)
    _number_and_store(post, bump=bump, now=now, search_text=search_text)
    # Into the moderators' queue in the same transaction: no risk post can go unseen.
    if admitted.risk:
        review_queue.flag(post, Signal.Source.RISK_LANGUAGE, now=now)
    if admitted.flagged:
        review_queue.flag(post, Signal.Source.WORD_FILTER, now=now)
    if admitted.passage.held:
        review_queue.flag(post, Signal.Source.HELD, detail="surge", now=now)
    SealedAddress.keep(post, poster.hashes)  # only with risk language and a key set
    post.reply_recipients = note_replies(post)  # told after commit (forum.events)

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
    proof: str = "",
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
    now = now or timezone.now()
    admitted = _admit(
        board,
        cleaned,
        poster,
        confirm_risk=confirm_risk,
        as_moderator=as_moderator,
        proof=proof,
        now=now,
    )
    try:
        with transaction.atomic():
            post = _add_post(thread, admitted, bump=not is_sage(cleaned.mail), now=now)
            transaction.on_commit(lambda: events.post_created(post))
    except Exception:
        floodcontrol.release_post_slot(poster.hashes.poster, board.slug)
        raise
    floodcontrol.remember_body(poster.hashes.poster, admitted.cleaned.body)
    surge.note_activity(board, new_thread=False, newcomer=post.by_newcomer, now=now)
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
    proof: str = "",
    now: datetime | None = None,
) -> Thread:
    """Start a thread with its first post; past the board's capacity the stalest thread retires."""
    cleaned = clean_input(name=name, mail=mail, body=body, title=title, as_moderator=as_moderator)
    now = now or timezone.now()
    admitted = _admit(
        board,
        cleaned,
        poster,
        new_thread=True,
        confirm_risk=confirm_risk,
        as_moderator=as_moderator,
        proof=proof,
        now=now,
    )
    try:
        floodcontrol.claim_thread_quota(poster.hashes.poster, board.slug, board.threads_per_hour)
    except Exception:
        floodcontrol.release_post_slot(poster.hashes.poster, board.slug)
        raise
    passage = admitted.passage
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
                is_held=passage.held,
                archive_first=passage.archive_first,
            )
            thread.board = board
            post = _add_post(thread, admitted, bump=True, now=now)
            if not passage.held:  # a held thread is on no list until a moderator lets it on
                archived = archive_overflow(board, now=now)
                transaction.on_commit(lambda: events.thread_created(thread, post, archived))
    except Exception:
        floodcontrol.release_post_slot(poster.hashes.poster, board.slug)
        floodcontrol.release_thread_quota(poster.hashes.poster, board.slug)
        raise
    floodcontrol.remember_body(poster.hashes.poster, admitted.cleaned.body)
    surge.note_activity(board, new_thread=True, newcomer=post.by_newcomer, now=now)
    thread.post_count = post.number
    thread.masked_personal_info = cleaned.masked  # for the writer's notice
    thread.by_newcomer = post.by_newcomer  # no standing pass (forum.standing_pass) for them
    return thread


def archive_overflow(board: Board, *, now: datetime | None = None) -> list[int]:
    """Move the least recently bumped unpinned threads to the archive until the board fits;
    threads newcomers started in a surge go first (forum.surge), and held ones do not count.

    Returns the ids of the threads archived. Call inside the transaction that added a thread.
    """
    now = now or timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE forum_thread SET is_archived = TRUE, archived_at = %s, modified_at = %s
             WHERE id IN (
                SELECT id FROM forum_thread
                 WHERE board_id = %s AND NOT is_archived AND NOT is_pinned AND NOT is_held
                 ORDER BY archive_first DESC, bumped_at ASC, id ASC
                 LIMIT GREATEST(0, (SELECT count(*) FROM forum_thread
                                     WHERE board_id = %s AND NOT is_archived AND NOT is_held)
                                   - %s)
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
