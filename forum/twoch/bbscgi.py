"""`POST /test/bbs.cgi`: replies and new threads from 2channel browsers (2ch.md §5).

The view turns the 2channel form into a call to forum.posting, exactly like the web forms, so
every rule holds; it answers with the pages the browsers recognise: 書きこみました (success),
2ch_X:error (refused), Samba24 (posting too fast, so the browser counts down) and ■ 書き込み確認 ■
(confirm, then the browser posts the page's form again by itself).

Dedicated browsers have no CSRF token. A post therefore needs the poster cookie (SameSite=Strict,
the same one the web forms use): a client without it gets the confirmation page, which sets it.
A form on another site can never send that cookie, so it can never post.
"""

from __future__ import annotations

import codecs
import html
import re

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from forum.composing import risk_phrases
from forum.errors import FloodControlled, PostingRefused, RiskLanguage, ThreadQuotaReached
from forum.floodcontrol import post_interval
from forum.models import BOARD_SLUG, Board, Thread
from forum.personal_info import masked_notice
from forum.poster import (
    delete_key,
    has_poster_cookie,
    is_cross_site,
    poster_from,
    set_poster_cookie,
)
from forum.posting import create_post, create_thread
from forum.standing_pass import give_pass
from forum.surge import held_notice
from forum.twoch import dat
from support.helplines import help_lines_for

# The hidden field a risk confirmation page adds; its presence means "post it anyway".
CONFIRM_FIELD = "yoake_confirm"
# The fields JDim sends, in its order (2ch.md §5.1); a confirmation page hands them back.
FORM_FIELDS = ("bbs", "key", "time", "subject", "FROM", "mail", "MESSAGE")
# JDim takes the number as the board's interval and counts down from its own last post, so it
# is the interval SETTING.TXT gives (BBS_SAMBA24), never the seconds left (2ch.md §5.2).
SAMBA = "ERROR: Samba24:Caution {interval} 秒たたないと書けません。"
_META = '<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">'
_LONE_NUMBER = re.compile(r"(?<= )[0-9]+(?= )")


# --- Pages ---------------------------------------------------------------------------------------


def _text(message: list[str]) -> str:
    """A message as it may stand inside the page's <b>: escaped, lines as <br>.

    JDim reads any " 12 " in an error as a Samba interval and would lock posting for that many
    seconds, so a number standing between spaces is written with full-width digits.
    """
    lines = [_LONE_NUMBER.sub(lambda m: dat.full_width(m.group(0)), line) for line in message]
    return "<br>".join(html.escape(line, quote=False) for line in lines)


def _page(body: str) -> HttpResponse:
    # Always 200: browsers read nothing but the status line of any other answer.
    return HttpResponse(dat.encode(body), content_type=dat.CONTENT_TYPE_HTML)


def success_page(thread: Thread, *, notice: str = "") -> HttpResponse:
    """書きこみました; `notice` (why part of the post is masked) stands above the link, and
    after a post with risk language the help lines (`thread.help_after_posting`, see `_post`)."""
    url = thread.get_absolute_url()
    note = f"{_text([notice])}<br><br>" if notice else ""
    # A browser that confirms by itself never showed its writer the confirmation page.
    if help_lines := getattr(thread, "help_after_posting", None):
        note += f"{_text(help_lines)}<br><br>"
    return _page(
        f"<html><!-- 2ch_X:true --><head>{_META}<title>書きこみました。</title></head>\n"
        f"<body>書きこみが終わりました。<br><br>{note}"
        f'<a href="{url}">{html.escape(thread.title)}</a></body></html>\n'
    )


def error_page(*lines: str) -> HttpResponse:
    """2channel's error page; JDim shows the innermost <b>. Never sets a cookie (a first-contact
    error with a cookie would look like a cookie confirmation and be posted again)."""
    return _page(
        f"<html><head>{_META}<title>ＥＲＲＯＲ！</title></head>\n"
        f"<body><!-- 2ch_X:error --><b>ＥＲＲＯＲ：{_text(list(lines))}</b></body></html>\n"
    )


def samba_page(error: FloodControlled, *, interval: int) -> HttpResponse:
    """Posting too fast, in the form browsers parse to count the seconds down. The seconds
    left (longer for a repeat offender) are in the message below, in full-width digits, which
    browsers do not read as the interval."""
    return _page(
        f"<html><head>{_META}<title>ＥＲＲＯＲ！</title></head>\n"
        "<body><!-- 2ch_X:error --><b>"
        f"{SAMBA.format(interval=interval)}<br>{_text([error.message])}</b></body></html>\n"
    )


def _attribute(value: str) -> str:
    """An attribute value in numeric references only: whether or not a browser decodes them
    before posting the form again, bbs.cgi turns them back into the same characters."""
    for character in "&<>\"'\r\n":
        value = value.replace(character, f"&#{ord(character)};")
    return value


def confirmation_page(fields: dict[str, str], message: list[str], *, risk: bool) -> HttpResponse:
    """■ 書き込み確認 ■: what was typed, `message` (JDim shows the <b> in its dialog) and a form
    with every field, which the browser posts again once the writer agrees."""
    preview = "".join(
        f"<li>{label}: {html.escape(fields.get(name, ''))}</li>\n"
        for label, name in (
            (_("Title"), "subject"),
            (_("Name"), "FROM"),
            (_("Mail"), "mail"),
        )
        if fields.get(name)
    )
    body = html.escape(fields.get("MESSAGE", "")).replace("\n", "<br>")
    inputs = "".join(
        f'<input type="hidden" name="{name}" value="{_attribute(fields[name])}">\n'
        for name in FORM_FIELDS
        if name in fields
    )
    if risk:
        inputs += f'<input type="hidden" name="{CONFIRM_FIELD}" value="1">\n'
    return _page(
        f"<html><!-- 2ch_X:cookie --><head>{_META}<title>■ 書き込み確認 ■</title></head>\n"
        f"<body>\n<ul>\n{preview}<li>{body}</li>\n</ul>\n<b>{_text(message)}</b>\n"
        '<form method="POST" action="/test/bbs.cgi">\n'
        f'{inputs}<input type="submit" name="submit" value="{_attribute(_("Post it"))}">\n'
        "</form>\n</body></html>\n"
    )


def _help_lines(request: HttpRequest) -> list[str]:
    lines = []
    for line in help_lines_for(request):
        reach = line.phone_display if line.phone else line.url
        lines.append(f"{line.name}: {reach}" if reach else line.name)
    return lines


def help_after_posting(request: HttpRequest) -> list[str]:
    """What 書きこみました says after a post with risk language: the help lines again."""
    return [_("You are not alone. If you want to talk to someone now:"), *_help_lines(request)]


def first_post_message() -> list[str]:
    """The same words the web shows before a browser's first post."""
    return [
        _(
            "Welcome. Yoake is anonymous: nobody here knows who you are, and we never store your "
            "address."
        ),
        _("Share feelings freely. Please never post methods, places or plans of self-harm."),
        _("Do not post anything that could identify you or anyone else."),
        _("Be kind. If something is wrong, use Report instead of arguing."),
    ]


def risk_message(request: HttpRequest) -> list[str]:
    """The risk interstitial's words, and at most three help lines open now."""
    return [
        _("It sounds like things are really hard right now"),
        _(
            "Thank you for putting it into words. You can still post this: people here read and "
            "reply. If you are thinking about ending your life, or might act on it soon, please "
            "also talk to someone now."
        ),
        *_help_lines(request),
    ]


# --- The form ------------------------------------------------------------------------------------


# The charsets 2channel browsers send, by codec; Shift_JIS is read as cp932, which they mean.
CHARSETS = {"shift_jis": dat.ENCODING, "cp932": dat.ENCODING, "euc_jp": "euc_jp", "utf-8": "utf-8"}
# Names browsers use that Python's codecs do not know.
_CHARSET_ALIASES = {"windows-31j": "cp932", "x-sjis": "shift_jis", "x-euc-jp": "euc_jp"}


class UnsupportedCharset(ValueError):
    """The Content-Type names a charset no 2channel browser sends (rot13, base64, utf-16…)."""


def _charset(request: HttpRequest) -> str:
    charset = request.content_params.get("charset", "").strip().strip('"').lower()
    if not charset:
        return dat.ENCODING
    try:
        codec = codecs.lookup(_CHARSET_ALIASES.get(charset, charset)).name
    except LookupError:
        codec = None
    if codec not in CHARSETS:
        raise UnsupportedCharset(charset)
    return CHARSETS[codec]


def read_fields(request: HttpRequest) -> dict[str, str]:
    """The posted 2channel fields, as text: cp932 unless the Content-Type names a charset, and
    numeric references (how browsers send emoji) turned back into characters. Raises
    UnsupportedCharset for a charset outside CHARSETS; bytes that do not decode become U+FFFD.

    The body is parsed here because Django's request.POST refuses urlencoded forms in anything
    but UTF-8; QueryDict still applies Django's limits on size and number of fields.
    """
    form = QueryDict(request.body, encoding=_charset(request))
    return {
        name: dat.unescape_references(form[name])
        for name in (*FORM_FIELDS, CONFIRM_FIELD)
        if name in form
    }


def _post(request: HttpRequest, board: Board, thread: Thread | None, fields: dict[str, str]):
    common = {
        "poster": poster_from(request),
        "name": fields.get("FROM", ""),
        "mail": fields.get("mail", ""),
        "body": fields.get("MESSAGE", ""),
        "confirm_risk": bool(fields.get(CONFIRM_FIELD)),
    }
    if thread is not None:
        post = create_post(thread, **common)
        thread.masked_personal_info = post.masked_personal_info
        thread.by_newcomer = post.by_newcomer
    else:
        thread = create_thread(board, title=fields.get("subject", ""), **common)
    if common["confirm_risk"] and risk_phrases(fields.get("subject", ""), common["body"]):
        thread.help_after_posting = help_after_posting(request)
    return thread


def _needs_risk_confirmation(fields: dict[str, str]) -> bool:
    if fields.get(CONFIRM_FIELD):
        return False
    return bool(risk_phrases(fields.get("subject", ""), fields.get("MESSAGE", "")))


@csrf_exempt
@require_POST
def bbs_cgi(request: HttpRequest) -> HttpResponse:
    try:
        fields = read_fields(request)
    except UnsupportedCharset:
        return error_page(
            _("That character set is not supported; send Shift_JIS, EUC-JP or UTF-8.")
        )
    except (RequestDataTooBig, TooManyFieldsSent):
        return error_page(_("That form is too large to post."))
    if is_cross_site(request):
        return error_page(_("Posting from another site is not allowed."))
    slug = fields.get("bbs", "")
    board = Board.objects.filter(slug=slug).first() if re.fullmatch(BOARD_SLUG, slug) else None
    if board is None:
        return error_page(_("There is no such board."))
    thread = None
    if fields.get("key"):
        key = fields["key"]
        thread = (
            Thread.objects.select_related("board").filter(board=board, key=key).first()
            if key.isascii() and key.isdigit()
            else None
        )
        if thread is None:
            return error_page(_("There is no such thread."))
    if not has_poster_cookie(request):
        # Browsers confirm only once per post, so a first post that also needs the risk
        # confirmation gets both in this one page.
        risk = _needs_risk_confirmation(fields)
        message = first_post_message() + (risk_message(request) if risk else [])
        return set_poster_cookie(confirmation_page(fields, message, risk=risk))
    try:
        thread = _post(request, board, thread, fields)
    except RiskLanguage:
        return confirmation_page(fields, risk_message(request), risk=True)
    except ThreadQuotaReached as quota:
        # A plain error, not Samba: the browser would otherwise stop all posting for an hour.
        return error_page(quota.message)
    except FloodControlled as flood:
        return samba_page(flood, interval=post_interval(board))
    except PostingRefused as refusal:
        return error_page(refusal.message)
    if thread.is_held:  # a new thread in a surge, waiting for a moderator (forum.surge)
        return success_page(thread, notice=held_notice())
    page = success_page(thread, notice=masked_notice() if thread.masked_personal_info else "")
    if not thread.by_newcomer:
        give_pass(page, delete_key(request))  # past crowds (forum.standing_pass)
    return page
