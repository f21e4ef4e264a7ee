"""What 2channel browsers read: subject.txt, SETTING.TXT, head.txt, dat files and bbsmenu.html.

Views only speak HTTP the way the browsers do (2ch.md §2): Last-Modified, If-Modified-Since
(304 only when the client already has every byte), `Range: bytes=S-` (206 or 416), gzip for whole
answers, HEAD with the headers of GET; an archived thread's dat moves to its kako address
(302). The bytes come from forum.twoch.dat, kept in Redis by forum.twoch.cache. Posting
(test/bbs.cgi) lives in forum.twoch.bbscgi.

Django implements neither ranges nor a safe conditional GET for them, so nothing here may go
through ConditionalGetMiddleware or GZipMiddleware (neither is installed; keep it that way).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from config.middleware import database_failed, database_unavailable_response
from config.outages import DATABASE_DOWN
from config.replicas import read_only, replica_reads
from forum.composing import BODY_MAX, BODY_MAX_LINES, MAIL_MAX, NAME_MAX, TITLE_MAX
from forum.floodcontrol import post_interval
from forum.models import BOARD_SLUG, Board, Post, Thread
from forum.twoch import cache, dat

_RANGE = re.compile(r"^\s*bytes=(\d{1,12})-\s*$")
_GZIP = re.compile(r"\bgzip\b")
SITE_NAME = "夜明け Yoake"
# config.settings' YOAKE_SITE_URL when the environment leaves it unset.
DEFAULT_SITE_URL = "http://localhost:8000"
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


def render_dat(board: str, key: int, *, archived: bool = False) -> cache.Rendered | None:
    """The dat of a live thread (of an archived one with `archived`, for its kako address);
    None for any other (browsers: DAT落ち)."""
    thread = Thread.objects.at(board, key)
    if thread is None or thread.is_archived != archived or thread.is_held:
        return None
    posts = list(Post.objects.filter(thread=thread).order_by("number").only(*_DAT_FIELDS))
    # Fullness from the posts read, so the over-limit line always matches the lines above it.
    text = dat.dat_text(
        thread.title,
        posts,
        board_text(thread.board),
        is_full=len(posts) >= thread.board.post_limit,
    )
    return cache.Rendered(dat.encode(text), int(thread.modified_at.timestamp()))


def render_subject(board: str) -> cache.Rendered | None:
    the_board = Board.objects.filter(slug=board).first()
    if the_board is None:
        return None
    limit = the_board.post_limit
    rows = Thread.objects.filter(board=the_board).live().by_bump()
    text = dat.subject_text(
        (key, title, dat.dat_line_count(count, is_full=count >= limit))
        for key, title, count in rows.values_list("key", "title", "post_count")
    )
    return cache.Rendered(dat.encode(text))


def render_setting(board: str) -> cache.Rendered | None:
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
        samba_interval=post_interval(the_board),
    )
    return cache.Rendered(dat.encode(text))


def render_head(board: str) -> cache.Rendered | None:
    the_board = Board.objects.filter(slug=board).first()
    if the_board is None:
        return None
    return cache.Rendered(dat.encode(dat.head_text(board_text(the_board).rules)))


# --- HTTP --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _File:
    """One 2channel file: where its copy lives, how to make it, what it is."""

    scope: str
    render: Callable[[], cache.Rendered | None]
    content_type: str = dat.CONTENT_TYPE_TEXT
    # Where the file went when it is gone (a fallen thread's dat: its kako address), if anywhere.
    moved_to: Callable[[], str | None] | None = None


def kako_path(board: str, key: int | str) -> str:
    """The archive (過去ログ) address of a dat, laid out as 2channel servers do:
    /BOARD/kako/first 4 digits/first 5 digits/KEY.dat (2ch.md §2.3)."""
    key = str(key)
    return f"/{board}/kako/{key[:4]}/{key[:5]}/{key}.dat"


def _archived_path(board: str, key: str) -> str | None:
    archived = Thread.objects.filter(board__slug=board, key=int(key)).archived().exists()
    return kako_path(board, key) if archived else None


def _dat_file(board: str, key: str) -> _File:
    return _File(
        cache.dat_scope(board, int(key)),
        lambda: render_dat(board, int(key)),
        moved_to=lambda: _archived_path(board, key),
    )


def _kako_file(board: str, key: str) -> _File:
    return _File(
        cache.kako_scope(board, int(key)), lambda: render_dat(board, int(key), archived=True)
    )


def _board_file(board: str, name: str) -> _File:
    if name == "subject.txt":
        return _File(cache.subject_scope(board), lambda: render_subject(board))
    if name == "SETTING.TXT":
        return _File(cache.setting_scope(board), lambda: render_setting(board))
    return _File(cache.head_scope(board), lambda: render_head(board), dat.CONTENT_TYPE_HTML)


def wanted(request: HttpRequest) -> tuple[int | None, bool]:
    """(Range start or None, gzip?). gzip only for whole answers: a resumed download appends
    raw bytes (2ch.md §2.3). Only the open-ended `bytes=S-` that browsers send is honoured."""
    match = _RANGE.match(request.headers.get("Range", ""))
    start = int(match.group(1)) if match else None
    return start, start is None and bool(_GZIP.search(request.headers.get("Accept-Encoding", "")))


def _gone(request: HttpRequest, moved_to: str | None) -> HttpResponse:
    """A fallen dat: 302 to its archive copy, as 2channel servers answer (JDim shows DAT落ち
    either way; from 0.12 it reads the copy), else 404. Location is absolute: older JDim
    cannot resolve any other."""
    if moved_to is None:
        return HttpResponse(b"", status=404, content_type=dat.CONTENT_TYPE_TEXT)
    response = HttpResponse(b"", status=302, content_type=dat.CONTENT_TYPE_TEXT)
    response["Location"] = absolute_url(request, moved_to)
    response["Content-Length"] = "0"
    return response


def answer(
    request: HttpRequest, content_type: str, cached: cache.Cached, start: int | None
) -> HttpResponse:
    """The response for a cached copy, by the browsers' rules for 304, 206 and 416. `request`
    needs only its method and headers (forum.pagecopies answers with a stand-in)."""
    headers = {"Accept-Ranges": "bytes", "Cache-Control": "no-cache", "Vary": "Accept-Encoding"}
    if cached.modified is not None:
        headers["Last-Modified"] = http_date(cached.modified)
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    unchanged = since is not None and cached.modified is not None and since >= cached.modified
    length, body = cached.length, cached.content
    if cached.is_gzip:
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
        headers.pop("Content-Encoding", None)
        response = HttpResponse(status=304, headers=headers)
        del response["Content-Type"]
        return response
    response = HttpResponse(
        b"" if request.method == "HEAD" else body,
        status=status,
        content_type=content_type,
        headers=headers,
    )
    # Set here so HEAD reports the length GET would send (nothing else may recompute it).
    response["Content-Length"] = str(len(body))
    return response


def _serve(request: HttpRequest, file: _File) -> HttpResponse:
    start, gzipped = wanted(request)
    try:
        # A copy rendered here is kept for every browser (config.replicas).
        with replica_reads(fills_cache=True):
            cached = cache.fetch(file.scope, file.render, gzipped=gzipped, start=start or 0)
            if cached is None:
                return _gone(request, file.moved_to() if file.moved_to else None)
    except DATABASE_DOWN as error:
        # Answered before the middleware that turns this into a 503 for pages: the same 503.
        database_failed(error)
        return database_unavailable_response(request)
    response = answer(request, file.content_type, cached, start)
    # This process keeps the whole copy too, when the request came through forum.pagecopies.
    keep = getattr(request, "scope", {}).get("yoake.keep_file")
    if keep is not None and cached.modified is not None:
        whole = cache.whole_copy(file.scope)
        if whole is not None and whole.modified == cached.modified:
            keep(
                file.scope,
                whole,
                content_type=file.content_type,
                inner={name for name, _ in response.items()},
            )
    return response


@require_http_methods(["GET", "HEAD"])
def dat_file(request: HttpRequest, board: str, key: str) -> HttpResponse:
    return _serve(request, _dat_file(board, key))


@require_http_methods(["GET", "HEAD"])
def kako_dat_file(request: HttpRequest, board: str, four: str, five: str, key: str) -> HttpResponse:
    """An archived thread's dat at its kako address, served like a live one (ranges, 304)."""
    file = _kako_or_none(board, key, four=four, five=five)
    return _gone(request, None) if file is None else _serve(request, file)


@require_http_methods(["GET", "HEAD"])
def subject_txt(request: HttpRequest, board: str) -> HttpResponse:
    return _serve(request, _board_file(board, "subject.txt"))


@require_http_methods(["GET", "HEAD"])
def setting_txt(request: HttpRequest, board: str) -> HttpResponse:
    return _serve(request, _board_file(board, "SETTING.TXT"))


@require_http_methods(["GET", "HEAD"])
def head_txt(request: HttpRequest, board: str) -> HttpResponse:
    return _serve(request, _board_file(board, "head.txt"))


KAKO = r"kako/(?P<four>\d{1,4})/(?P<five>\d{1,5})/(?P<kako>\d{1,12})\.dat"
_FILES = re.compile(
    rf"^/(?P<board>{BOARD_SLUG})/"
    r"(?:(?P<name>subject\.txt|SETTING\.TXT|head\.txt)|dat/(?P<key>\d{1,12})\.dat"
    rf"|{KAKO})$"
)


def _kako_or_none(board: str, key: str, *, four: str, five: str) -> _File | None:
    """The kako file, if its directories are the key's own first digits."""
    return _kako_file(board, key) if (four, five) == (key[:4], key[:5]) else None


def _file_of(request: HttpRequest) -> _File | None:
    match = _FILES.match(request.path_info) if request.method in ("GET", "HEAD") else None
    if match is None:
        return None
    if match["key"]:
        return _dat_file(match["board"], match["key"])
    if match["kako"]:
        # A wrong directory goes on to the URLconf, which answers 404.
        return _kako_or_none(match["board"], match["kako"], four=match["four"], five=match["five"])
    return _board_file(match["board"], match["name"])


class TwoChannelFilesMiddleware:
    """Answer GET and HEAD for the 2channel files before sessions, locale, auth and routing.

    Browsers poll subject.txt and dats all night, and these answers need nothing from the rest
    of the stack; skipping it lets a cached dat go out at about the rate of a static file
    (bench/twoch.py). Without this middleware the same views answer through the URLconf.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        file = _file_of(request)
        return self.get_response(request) if file is None else _serve(request, file)


def absolute_url(request: HttpRequest, path: str) -> str:
    """`path` on this site, for the browsers. JDim sends Host without the port, so the
    configured site URL (YOAKE_SITE_URL) is used once it is set; the request only when not."""
    if settings.YOAKE_SITE_URL != DEFAULT_SITE_URL:
        return settings.YOAKE_SITE_URL + path
    return request.build_absolute_uri(path)


@read_only
@require_http_methods(["GET", "HEAD"])
def bbsmenu(request: HttpRequest) -> HttpResponse:
    """All boards, for browsers that take a board list (JDim: 外部BBSMENU, ≥ 0.11)."""
    boards = [
        (absolute_url(request, board.get_absolute_url()), board_text(board).title)
        for board in Board.objects.all()
    ]
    body = dat.encode(dat.bbsmenu_text(SITE_NAME, boards))
    response = HttpResponse(
        b"" if request.method == "HEAD" else body, content_type=dat.CONTENT_TYPE_HTML
    )
    response["Content-Length"] = str(len(body))
    return response
