"""Preview before posting: the post as it will look, drawn by the thread page's own renderer.

A preview stores nothing and claims nothing: no number, no flood slot, no poster cookie, no
rules page. What was typed is cleaned and checked by forum.composing exactly as a post is, so a
preview shows the same errors, the same tripcode and the same masked phone numbers. Bans, word
filters, risk language and flood control are left to the real post: a preview that ran them
would let anyone probe the moderators' filters for free.

The answer is the form again with the preview above it, and nothing heavy around it (like
forum.answers.post_again): previews are not rate-limited, so they must stay cheap.
"""

from __future__ import annotations

import re

from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from forum.composing import CAPCODE_NAME, CleanInput, clean_input
from forum.daily_id import CAPCODE_ID, daily_id
from forum.errors import InvalidInput
from forum.models import Board, Post, Thread
from forum.moderation.staff import is_staff_with_mfa
from forum.poster import poster_from
from forum.reading import post_views
from forum.rendering import render_posts
from forum.text import render_body, reply_targets

# A preview is of no post yet, so it has nothing to report or delete. The actions are the one
# block of the partial made only of Yoake's own markup (a body is escaped: it holds no tags).
_ACTIONS = re.compile(r'<div class="post-actions">.*?</div>', re.S)


def preview_page(request, form, *, board: Board, thread: Thread | None, as_moderator: bool):
    """The form with what was typed and, when it passes the checks, the post as it will look;
    otherwise the same errors a post would get (status 400, like a refused post)."""
    try:
        cleaned = clean_input(
            name=request.POST.get("name", ""),
            mail=request.POST.get("mail", ""),
            body=request.POST.get("body", ""),
            title=None if thread else request.POST.get("title", ""),
            as_moderator=as_moderator,
        )
    except InvalidInput as invalid:
        for field_name, messages in invalid.errors.items():
            for message in messages:
                form.add_error(field_name if field_name in form.fields else None, message)
        cleaned = None
    return render(
        request,
        "forum/preview.html",
        {
            "board": board,
            "thread": thread,
            "form": form,
            "action": (thread or board).get_absolute_url(),
            "can_post_as_moderator": is_staff_with_mfa(request.user),
            "cleaned": cleaned,
            "preview": (
                preview_html(request, cleaned, board=board, thread=thread, capcode=as_moderator)
                if cleaned
                else ""
            ),
        },
        status=200 if cleaned else 400,
    )


def preview_html(
    request, cleaned: CleanInput, *, board: Board, thread: Thread | None, capcode: bool
) -> SafeString:
    """The post's markup from forum.rendering, as the thread page will show it once posted:
    the number it would take now, this reader's daily ID for the board, the time now."""
    now = timezone.now()
    number = thread.post_count + 1 if thread else 1
    shown_in = thread or Thread(board=board, key=0, title=cleaned.title)
    shown_in.board = board
    post = Post(
        number=number,
        name=CAPCODE_NAME if capcode else cleaned.name,
        tripcode="" if capcode else cleaned.tripcode,
        is_capcode=capcode,
        mail=cleaned.mail,
        created_at=now,
        daily_id=CAPCODE_ID
        if capcode
        else daily_id(poster_from(request).hashes.poster, board.slug, now),
        status=Post.Status.VISIBLE,
        body_html=render_body(cleaned.body),
        reply_to=[n for n in reply_targets(cleaned.body) if n < number],
    )
    views = post_views(shown_in, [post], backlinks_from=[])
    html = render_posts(views, board=board, thread=shown_in)
    return mark_safe(_ACTIONS.sub("", html))  # noqa: S308 (the renderer's own, safe markup)
