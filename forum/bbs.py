"""What 2channel browsers read: subject.txt, SETTING.TXT, head.txt, dat files and bbsmenu.html.

Views only speak HTTP the way the browsers do (2ch.md §2): Last-Modified, If-Modified-Since
(304 only when the client already has every byte), `Range: bytes=S-` (206 or 416), gzip for whole
answers, HEAD with the headers of GET. The bytes come from forum.dat, kept in Redis by
forum.bbscache. Posting (test/bbs.cgi) lives in forum.bbscgi.

Django implements neither ranges nor a safe conditional GET for them, so nothing here may go
through ConditionalGetMiddleware or GZipMiddleware (neither is installed; keep it that way).
"""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from forum import bbscache, dat
from forum.models import Board, Post, Thread
from forum.posting import BODY_MAX, BODY_MAX_LINES, MAIL_MAX, NAME_MAX, TITLE_MAX

_RANGE = re.compile(r"^\s*bytes=(\d{1,12})-\s*$")
_GZIP = re.compile(r"\bgzip\b")
SITE_NAME = "夜明け Yoake"
_DAT_FIELDS = (
    "number",
    "name",
    "tripcode",
    "is_capcode",
    "mail",
    "body",
    "created_at",
    "daily_id",
    "status",
)


def board_text(board: Board) -> dat.BoardText:
    """The board as the 2channel files name it: in Japanese, the browsers' language."""
    with translation.override("ja"):
        capcode_name = _("Moderator")
    return dat.BoardText(
        slug=board.slug,
        title=board.title_ja or board.title_en,
        default_name=board.default_name_ja or board.default_name_en,
        capcode_name=capcode_name,
        rules=board.rules_ja or board.rules_en,
        post_limit=board.post_limit,
    )


# --- Rendering (on a cache miss) ---------------------------------------------------------------


def render_dat(board: str, key: int) -> bbscache.Rendered | None:
    """The dat of a live thread; None for an unknown or archived one (browsers: DAT落ち)."""
    thread = Thread.objects.select_related("board").filter(board__slug=board, key=key).first()
    if thread is None or thread.is_archived:
        return None
    posts = list(Post.objects.filter(thread=thread).order_by("number").only(*_DAT_FIELDS))
    # Fullness from the posts read, so the over-limit line always matches the lines above it.
    text = dat.dat_text(
        thread.title,
        posts,
        board_text(thread.board),
        is_full=len(posts) >= thread.board.post_limit,
    )
    return bbscache.Rendered(dat.encode(text), int(thread.modified_at.timestamp()))


def render_subject(board: str) -> bbscache.Rendered | None:
    the_board = Board.objects.filter(slug=board).first()
    if the_board is None:
        return None
    limit = the_board.post_limit
    rows = Thread.objects.filter(board=the_board).live().by_bump()
    text = dat.subject_text(
        (key, title, dat.dat_line_count(count, is_full=count >= limit))
        for key, title, count in rows.values_list("key", "title", "post_count")
    )
    return bbscache.Rendered(dat.encode(text))


def render_setting(board: str) -> bbscache.Rendered | None:
    the_board = Board.objects.filter(slug=board).first()
    if the_board is None:
        return None
    text = dat.setting_text(
        board_text(the_board),
        title_max=TITLE_MAX,
        name_max=NAME_MAX,
        mail_max=MAIL_MAX,
        body_max=BODY_MAX,
        body_max_lines=BODY_MAX_LINES,
    )
    return bbscache.Rendered(dat.encode(text))


def render_head(board: str) -> bbscache.Rendered | None:
    the_board = Board.objects.filter(slug=board).first()
    if the_board is None:
        return None
    return bbscache.Rendered(dat.encode(dat.head_text(board_text(the_board).rules)))


# --- HTTP --------------------------------------------------------------------------------------


def _not_found() -> HttpResponse:
    return HttpResponse(b"", status=404, content_type=dat.CONTENT_TYPE_TEXT)


def _respond(request: HttpRequest, scope: str, render) -> HttpResponse:
    """Answer GET/HEAD for one 2channel file with the browsers' caching and resume rules."""
    match = _RANGE.match(request.headers.get("Range", ""))
    start = int(match.group(1)) if match else None
    # gzip only for whole answers: a resumed download appends raw bytes (2ch.md §2.3).
    gzipped = start is None and bool(_GZIP.search(request.headers.get("Accept-Encoding", "")))
    cached = bbscache.fetch(scope, render, gzipped=gzipped, start=start or 0)
    if cached is None:
        return _not_found()
    headers = {"Accept-Ranges": "bytes", "Cache-Control": "no-cache", "Vary": "Accept-Encoding"}
    if cached.modified is not None:
        headers["Last-Modified"] = http_date(cached.modified)

    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    unchanged = since is not None and cached.modified is not None and since >= cached.modified
    length, body = cached.length, cached.content
    if gzipped:
        headers["Content-Encoding"] = "gzip"
        status = 304 if unchanged else 200
    # A client asking from length-1 (JDim) or length (HEAD update check) has every byte;
    # only then may a 304 stand, since Last-Modified has one-second resolution.
    elif unchanged and (start is None or length - 1 <= start <= length):
        status = 304
    elif start is None:
        status = 200
    elif start >= length:
        # More bytes than exist: something was deleted (あぼーん); the browser re-fetches.
        status = 416
        headers["Content-Range"] = f"bytes */{length}"
    else:
        status = 206
        headers["Content-Range"] = f"bytes {start}-{length - 1}/{length}"
    if status == 304:
        response = HttpResponse(status=304)
        for name, value in headers.items():
            if name != "Content-Encoding":
                response[name] = value
        return response
    response = HttpResponse(
        b"" if request.method == "HEAD" else body,
        status=status,
        content_type=dat.CONTENT_TYPE_TEXT,
        headers=headers,
    )
    # Set here so HEAD reports the length GET would send (nothing else may recompute it).
    response["Content-Length"] = str(len(body))
    return response


def _dat(request: HttpRequest, board: str, key: str) -> HttpResponse:
    return _respond(
        request, bbscache.dat_scope(board, int(key)), lambda: render_dat(board, int(key))
    )


def _subject(request: HttpRequest, board: str) -> HttpResponse:
    return _respond(request, bbscache.subject_scope(board), lambda: render_subject(board))


def _setting(request: HttpRequest, board: str) -> HttpResponse:
    return _respond(request, bbscache.setting_scope(board), lambda: render_setting(board))


def _head(request: HttpRequest, board: str) -> HttpResponse:
    response = _respond(request, bbscache.head_scope(board), lambda: render_head(board))
    if response.status_code in (200, 206):
        response["Content-Type"] = dat.CONTENT_TYPE_HTML
    return response


dat_file = require_http_methods(["GET", "HEAD"])(_dat)
subject_txt = require_http_methods(["GET", "HEAD"])(_subject)
setting_txt = require_http_methods(["GET", "HEAD"])(_setting)
head_txt = require_http_methods(["GET", "HEAD"])(_head)

_FILES = re.compile(
    r"^/(?P<board>[a-z0-9_]{1,16})/"
    r"(?:(?P<file>subject\.txt|SETTING\.TXT|head\.txt)|dat/(?P<key>\d{1,12})\.dat)$"
)
_BY_NAME = {"subject.txt": _subject, "SETTING.TXT": _setting, "head.txt": _head}


class TwoChannelFilesMiddleware:
    """Answer GET and HEAD for the 2channel files before sessions, locale, auth and routing.

    Browsers poll subject.txt and dats all night and these answers need nothing from the rest
    of the stack, so skipping it lets a cached dat go out at nearly the rate of a static file
    (bench/twoch.py). Without this middleware the same views answer through the URLconf.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        match = _FILES.match(request.path_info) if request.method in ("GET", "HEAD") else None
        if match is None:
            return self.get_response(request)
        if match["key"]:
            return _dat(request, match["board"], match["key"])
        return _BY_NAME[match["file"]](request, match["board"])


@require_http_methods(["GET", "HEAD"])
def bbsmenu(request: HttpRequest) -> HttpResponse:
    """All boards, for browsers that take a board list (JDim: 外部BBSMENU, ≥ 0.11)."""
    boards = [
        (request.build_absolute_uri(board.get_absolute_url()), board_text(board).title)
        for board in Board.objects.all()
    ]
    body = dat.encode(dat.bbsmenu_text(SITE_NAME, boards))
    response = HttpResponse(
        b"" if request.method == "HEAD" else body, content_type=dat.CONTENT_TYPE_HTML
    )
    response["Content-Length"] = str(len(body))
    return response
