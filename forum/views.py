"""Board, thread and archive pages, and the web forms that post to them.

Views only translate HTTP into calls to forum.posting and results into pages. Pages are the same
for every anonymous reader (so forum.pagecache can keep them); the posting forms therefore carry
no CSRF token and are protected instead by same-origin request headers and a SameSite=Strict
poster cookie, which a form on another site can never send (see forum.poster).
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpResponseForbidden,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from config.replicas import read_only
from forum import pagecache, yours
from forum.answers import confirm_first_post, post_again, risk_interstitial
from forum.errors import InvalidInput, PostingRefused, RiskLanguage
from forum.forms import ReplyForm, ReportForm, ThreadForm
from forum.home import HOME_PAGE_TTL, home_page
from forum.models import Board, Post, Thread
from forum.moderation.staff import is_staff_with_mfa
from forum.personal_info import masked_notice
from forum.poster import (
    delete_key,
    has_poster_cookie,
    is_cross_site,
    poster_from,
    set_poster_cookie,
)
from forum.posting import create_post, create_thread, delete_own_post
from forum.preview import preview_page
from forum.reading import moved_to, parse_range
from forum.rendering import render_page_posts, render_thread_rows
from forum.reporting import report_post
from forum.resources import resources_for
from forum.search import page_number
from forum.search import search as run_search
from forum.standing_pass import give_pass
from forum.surge import SurgeCheck, held_notice
from forum.text import clean_line
from support.search import MAX_QUERY_LENGTH

# --- Reading ----------------------------------------------------------------------------------


@pagecache.cached_page(pagecache.home_scope, ttl=HOME_PAGE_TTL)
@read_only
def home(request):
    return render(request, "forum/home.html", home_page(now=timezone.now()))


def _board_or_404(slug: str) -> Board:
    return get_object_or_404(Board, slug=slug)


def _board_page(request, board: Board, *, form=None, status=200):
    threads = Thread.objects.listed_on(board)
    return render(
        request,
        "forum/board.html",
        {
            "board": board,
            "threads_html": render_thread_rows(threads, now=timezone.now()),
            "form": form or ThreadForm(),
            "resources": resources_for(board.slug, (get_language() or "en")[:2]),
            "can_post_as_moderator": is_staff_with_mfa(request.user),
        },
        status=status,
    )


@pagecache.cached_page(pagecache.board_scope)
@read_only
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def board(request, board: str):
    if request.method == "POST":
        return _start_thread(request, _board_or_404(board))
    return _board_page(request, _board_or_404(board))


@read_only
def archive(request, board: str):
    the_board = _board_or_404(board)
    threads = Thread.objects.filter(board=the_board).archived().order_by("-archived_at", "-id")
    page = Paginator(threads, 100).get_page(request.GET.get("page"))
    for thread in page.object_list:
        thread.board = the_board
    return render(request, "forum/archive.html", {"board": the_board, "page": page})


def _thread_or_404(board: str, key: int) -> Thread:
    # A thread held in a surge is on no page until a moderator lets it on (forum.surge).
    thread = Thread.objects.at(board, key, held=False)
    if thread is None:
        raise Http404(_("There is no such thread."))
    return thread


def _thread_page(request, thread: Thread, spec: str | None = None, *, form=None, status=200):
    selection = parse_range(spec, thread.post_count)
    if selection is None:
        raise Http404(_("That is not a range of posts."))
    return render(
        request,
        "forum/thread.html",
        {
            "board": thread.board,
            "thread": thread,
            "posts_html": render_page_posts(thread, selection),
            "selection": selection,
            "form": form or ReplyForm(),
            "report_reasons": ReportForm.base_fields["reason"].choices,
            "can_post_as_moderator": is_staff_with_mfa(request.user),
        },
        status=status,
    )


@pagecache.cached_page(pagecache.thread_scope)
@read_only
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def thread(request, board: str, key: int, spec: str | None = None):
    try:
        found = _thread_or_404(board, key)
    except Http404:
        # A GET only: a reply form posted to the old address is not sent on by browsers.
        moved = moved_to(board, key, spec) if request.method != "POST" else None
        if moved is None:
            raise
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{moved}?{query}" if query else moved)
    if request.method == "POST":
        return _reply(request, found)
    return _thread_page(request, found, spec)


@read_only
def search(request):
    q = clean_line(request.GET.get("q", ""))[:MAX_QUERY_LENGTH]
    page = page_number(request.GET.get("page"))
    results = run_search(q, page=page, language=get_language()[:2]) if q else None
    return render(request, "forum/search.html", {"q": q, "results": results})


# --- Posting ----------------------------------------------------------------------------------


def _refuse_cross_site(request):
    """Posting forms carry no CSRF token; forum.poster tells a cross-site form by its headers."""
    if is_cross_site(request):
        return HttpResponseForbidden(_("Posting from another site is not allowed."))
    return None


def _wants_capcode(request):
    """The staff member posting as Moderator ★ (only past the admin's MFA bar), or False."""
    wants = bool(request.POST.get("as_moderator")) and is_staff_with_mfa(request.user)
    return request.user if wants else False


def _submit(request, *, action: str, form, page, do, board, thread=None):
    """Shared POST flow for replies and new threads; `page(form, status)` is the full page (to
    edit after the rules), a refusal answers with the form alone (forum.answers.post_again)."""
    refused = _refuse_cross_site(request)
    if refused:
        return refused
    if request.POST.get("preview"):  # stores nothing, so no rules or cookie first
        return preview_page(
            request, form, board=board, thread=thread, as_moderator=bool(_wants_capcode(request))
        )
    if not has_poster_cookie(request):
        return confirm_first_post(request, action=action)
    if request.POST.get("edit"):
        return page(form, 200)
    again = partial(post_again, request, form, board=board, thread=thread)
    try:
        return do()
    except RiskLanguage:
        return risk_interstitial(request, action=action)
    except SurgeCheck as check:
        form.add_error(None, check.message)
        return again(429, surge_check=check)
    except InvalidInput as invalid:
        for field_name, messages in invalid.errors.items():
            for message in messages:
                form.add_error(field_name if field_name in form.fields else None, message)
        return again(400)
    except PostingRefused as refusal:
        form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        return again(429 if hasattr(refusal, "wait") else 403)


def _with_pass(request, response, posted):
    """A poster with standing keeps a pass past crowds (forum.standing_pass)."""
    if not posted.by_newcomer:
        give_pass(response, delete_key(request))
    return response


def _tell_if_masked(request, posted) -> None:
    """The page the writer lands on says why part of what they wrote is masked."""
    if posted.masked_personal_info:
        messages.info(request, masked_notice())


def _reply(request, thread: Thread):
    form = ReplyForm(request.POST)
    form.is_valid()  # bound, so the page shows what was typed; the rules are in forum.posting

    def do():
        post = create_post(
            thread,
            poster=poster_from(request),
            name=request.POST.get("name", ""),
            mail=request.POST.get("mail", ""),
            body=request.POST.get("body", ""),
            confirm_risk=bool(request.POST.get("confirm_risk")),
            as_moderator=_wants_capcode(request),
            proof=request.POST.get("altcha", ""),
        )
        _tell_if_masked(request, post)
        answer = HttpResponseRedirect(f"{thread.get_absolute_url()}#p{post.number}")
        return _with_pass(request, answer, post)

    return _submit(
        request,
        action=thread.get_absolute_url(),
        form=form,
        page=lambda f, status: _thread_page(request, thread, form=f, status=status),
        board=thread.board,
        thread=thread,
        do=do,
    )


def _start_thread(request, board: Board):
    form = ThreadForm(request.POST)
    form.is_valid()

    def do():
        thread = create_thread(
            board,
            poster=poster_from(request),
            title=request.POST.get("title", ""),
            name=request.POST.get("name", ""),
            mail=request.POST.get("mail", ""),
            body=request.POST.get("body", ""),
            confirm_risk=bool(request.POST.get("confirm_risk")),
            as_moderator=_wants_capcode(request),
            proof=request.POST.get("altcha", ""),
        )
        _tell_if_masked(request, thread)
        if thread.is_held:
            messages.info(request, held_notice())
            return HttpResponseRedirect(board.get_absolute_url())
        return _with_pass(request, HttpResponseRedirect(thread.get_absolute_url()), thread)

    return _submit(
        request,
        action=board.get_absolute_url(),
        form=form,
        page=lambda f, status: _board_page(request, board, form=f, status=status),
        board=board,
        do=do,
    )


def _post_or_404(board: str, key: int, number: int) -> Post:
    thread = _thread_or_404(board, key)
    post = get_object_or_404(Post, thread=thread, number=number)
    post.thread = thread
    return post


@csrf_exempt
@require_http_methods(["GET", "POST"])
def delete_post(request, board: str, key: int, number: int):
    post = _post_or_404(board, key, number)
    if request.method == "GET":
        mine = yours.wrote(delete_key(request), post)
        return render(request, "forum/delete_post.html", {"post": post, "yours": mine})
    refused = _refuse_cross_site(request)
    if refused:
        return refused
    try:
        delete_own_post(post, delete_key=delete_key(request))
    except PostingRefused as refusal:
        return render(
            request, "forum/delete_post.html", {"post": post, "error": refusal.message}, status=403
        )
    return HttpResponseRedirect(post.get_absolute_url())


@csrf_exempt
@require_http_methods(["GET", "POST"])
def report(request, board: str, key: int, number: int):
    post = _post_or_404(board, key, number)
    if request.method == "GET":
        page = render(request, "forum/report.html", {"post": post, "form": ReportForm()})
        # Reports need the poster cookie, like posts: a reader who never posted gets it here.
        return page if has_poster_cookie(request) else set_poster_cookie(page)
    refused = _refuse_cross_site(request)
    if refused:
        return refused
    form = ReportForm(request.POST)
    if not has_poster_cookie(request):
        # A form on another site never carries the SameSite=Strict cookie; a reader whose
        # browser just lacked it gets it now and can send the report again.
        form.add_error(
            None,
            _(
                "Your browser did not send this site's cookie, so the report was not sent. "
                "Please check the reason and send it again."
            ),
        )
        page = render(request, "forum/report.html", {"post": post, "form": form}, status=403)
        return set_poster_cookie(page)
    if not form.is_valid():
        return render(request, "forum/report.html", {"post": post, "form": form}, status=400)
    report_post(
        post,
        reporter=poster_from(request),
        reason=form.cleaned_data["reason"],
        detail=form.cleaned_data["detail"],
    )
    return render(request, "forum/report_thanks.html", {"post": post})
