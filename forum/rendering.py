"""The HTML of posts, for whole pages and for live updates alike: THE post partial.

A thread page can hold a thousand posts, and this loop was most of an uncached page's time: as a
Django template, then as a Jinja2 template (py-spy: attribute lookups and the template's own
calls, a third of the render). It is plain Python now, one f-string per part of a post, about
three times faster again. Nothing is escaped automatically here, so the rule is explicit: the
only values a poster typed are name, tripcode and mail, each passed through `escape`; the body
arrives cooked (escaped) by forum.text.render_body; everything else is a number, a generated
ID, a time or one of our labels (escaped once in _labels). tests/forum/test_rendering.py holds
this module to that. "Delete my post" is hidden on every post: the page is the same for every
reader, and static/js/yours.js shows it on the reader's own (forum/yours.py).

A thread page keeps each post's article (all but its backlinks) in the process that rendered it
(Articles): a busy thread's page is rendered again after every reply, and then only the new post
is. An article is found by every value it shows, so no change to a post, its board or the
reader's language can meet an old one.
"""

from __future__ import annotations

import html
import sys
import threading
from collections import OrderedDict
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from markupsafe import escape

from forum.charts import Chart
from forum.dates import weekdays_for
from forum.models import Board, Post, Thread
from forum.reading import (
    PAGE_FIELDS,
    PostView,
    Selection,
    backlinks,
    page_index,
    page_rows,
    reply_numbers,
    row_post,
    rows_by_id,
    viewer,
)

DELETED_BY_POSTER = Post.Status.DELETED_BY_POSTER
DELETED_BY_MODERATOR = Post.Status.DELETED_BY_MODERATOR


def _labels() -> dict[str, str]:
    """Our labels on every post, escaped, in the active language: made once per language (a
    reply's live frames drew them seven times per language)."""
    language = get_language()
    labels = _LABELS.get(language)
    if labels is None:
        labels = _LABELS[language] = _make_labels()
    return labels


_LABELS: dict[str | None, dict[str, str]] = {}


def _make_labels() -> dict[str, str]:
    return {
        key: str(escape(label))
        for key, label in {
            "moderator": _("Moderator"),
            "deleted_by_poster": _("This post was deleted by the poster."),
            "deleted_by_moderator": _("あぼーん — this post was deleted by a moderator."),
            "hidden": _("This post is hidden until a moderator has looked at it."),
            "replies": _("Replies:"),
            "report": _("Report"),
            "delete": _("Delete my post"),
        }.items()
    }


def _article(p: PostView, actions: str, labels: dict[str, str]) -> tuple[str, str]:
    """A post's article in two parts, before and after its backlinks (which change as replies
    arrive; the rest only with the post)."""
    n = p.number
    if not p.is_visible:
        if p.status == DELETED_BY_POSTER:
            said = labels["deleted_by_poster"]
        elif p.status == DELETED_BY_MODERATOR:
            said = labels["deleted_by_moderator"]
        else:
            said = labels["hidden"]
        return (
            f'<article class="post deleted" id="p{n}" data-number="{n}">\n'
            f'<div class="post-header"><a class="post-number" href="#p{n}">{n}</a></div>\n'
            f'<div class="post-body">{said}</div>\n',
            "\n\n</article>\n",
        )
    if p.is_capcode:
        name = f'<span class="post-name capcode">{labels["moderator"]} ★</span>'
    elif p.tripcode:
        trip = f'<span class="trip">◆{escape(p.tripcode)}</span>'
        name = f'<span class="post-name">{escape(p.name)} {trip}</span>'
    else:
        name = f'<span class="post-name">{escape(p.name)}</span>'
    mail = f'\n<span class="post-mail">[{escape(p.mail)}]</span>' if p.mail else ""
    return (
        f'<article class="post" id="p{n}" data-number="{n}">\n'
        f'<div class="post-header"><a class="post-number" href="#p{n}">{n}</a>\n{name}{mail}\n'
        f'<time datetime="{p.time_iso}">{p.time_text}</time>\n'
        f'<span class="post-id">ID:{p.daily_id}</span></div>\n'
        f'<div class="post-body">{p.body_html}</div>\n',
        f'\n<div class="post-actions"><a href="{actions}{n}/report/" rel="nofollow">'
        f'{labels["report"]}</a><span class="own-post-action" data-yours hidden> · '
        f'<a href="{actions}{n}/delete/" rel="nofollow">{labels["delete"]}</a></span></div>\n'
        "</article>\n",
    )


def _backlinks(numbers: list[int], labels: dict[str, str]) -> str:
    if not numbers:
        return ""
    links = "".join(
        f'<a class="anchor" href="#p{m}" data-anchor="{m}">&gt;&gt;{m}</a> ' for m in numbers
    )
    return f'<div class="backlinks">{labels["replies"]} {links}</div>'


def render_posts(views: list[PostView], *, board: Board, thread: Thread) -> SafeString:
    """The markup of `views` in order, exactly as a thread page shows them."""
    actions = f"/post/{board.slug}/{thread.key}/"
    labels = _labels()
    parts = []
    for view in views:
        head, tail = _article(view, actions, labels)
        parts += (head, _backlinks(view.backlinks, labels), tail)
    return SafeString("".join(parts))


class Articles:
    """Each process's rendered articles (without backlinks), by everything one depends on,
    bounded by size, least recently used out first. A busy thread's page is rendered again
    after every reply; with its articles kept, only the new post is."""

    # What an entry costs besides its article and body: the key's tuples and small values and
    # the dictionary's slot.
    OVERHEAD = 400

    def __init__(self):
        self.size = 0
        self._articles: OrderedDict[tuple, tuple[str, str, int]] = OrderedDict()
        self._lock = threading.Lock()  # Django answers in several threads of a process

    def get_many(self, keys: list[tuple]) -> list[tuple[str, str, int] | None]:
        with self._lock:
            found = [self._articles.get(key) for key in keys]
            for key, article in zip(keys, found, strict=True):
                if article is not None:
                    self._articles.move_to_end(key)
        return found

    def put_many(self, items: list[tuple[tuple, tuple[str, str, int]]], limit: int) -> None:
        with self._lock:
            for key, article in items:
                if key in self._articles:
                    continue
                self._articles[key] = article
                self.size += article[2]
            while self.size > limit:
                _, old = self._articles.popitem(last=False)
                self.size -= old[2]

    def clear(self) -> None:
        with self._lock:
            self._articles.clear()
            self.size = 0

    def __len__(self) -> int:
        return len(self._articles)


ARTICLES = Articles()
_STATUS = PAGE_FIELDS.index("status")


def render_page_posts(thread: Thread, selection: Selection) -> SafeString:
    """The markup of the posts a thread page shows, exactly as render_posts writes them, from
    this process's kept articles where it can. An article is kept by its post and the post's
    version (forum.reading.page_index: any change to a post is a new one) and by everything
    else it shows: the thread's address, the board's default name, the language, its weekday
    names and labels, and the time zone. A page whose articles are all kept reads only its
    index; the others read the posts it misses (a thread's first render reads them all)."""
    board = thread.board
    actions = f"/post/{board.slug}/{thread.key}/"
    labels = _labels()
    limit = settings.YOAKE_POST_ARTICLES_MB * 2**20
    if not limit:
        rows = page_rows(thread, selection)
        replies = backlinks((row[0], row[_STATUS], reply_numbers(row[-1])) for row in rows)
        view = viewer(thread)
        parts = []
        for row in rows:
            head, tail = _article(view(row_post(row), []), actions, labels)
            parts += (head, _backlinks(replies.get(row[0]), labels), tail)
        return SafeString("".join(parts))
    page = (
        thread.pk,
        actions,
        board.default_name,
        get_language(),
        weekdays_for(),
        tuple(labels.values()),
        timezone.get_current_timezone(),
    )
    index = page_index(thread, selection)
    replies = backlinks(
        (number, status, reply_numbers(text)) for number, _, _, status, text in index
    )
    found = ARTICLES.get_many([(page, post_id, version) for _, post_id, version, _, _ in index])
    missing = [row[1] for row, article in zip(index, found, strict=True) if article is None]
    if missing:
        fetched = rows_by_id(missing)
        view = viewer(thread)
        new = []
        for position, (_, post_id, _, _, _) in enumerate(index):
            if found[position] is not None or post_id not in fetched:
                continue
            # Kept under the version read with its text, which is newer if it just changed.
            version, row = fetched[post_id]
            head, tail = _article(view(row_post(row), []), actions, labels)
            found[position] = (
                head,
                tail,
                sys.getsizeof(head) + sys.getsizeof(tail) + Articles.OVERHEAD,
            )
            new.append(((page, post_id, version), found[position]))
        ARTICLES.put_many(new, limit)
    parts = []
    for (number, *_), article in zip(index, found, strict=True):
        if article is not None:
            parts += (article[0], _backlinks(replies.get(number), labels), article[1])
    return SafeString("".join(parts))


def _momentum(value: float) -> str:
    # As the template filter floatformat:1 wrote it: half up, one decimal.
    return str(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def render_thread_rows(threads: list[Thread], *, now) -> SafeString:
    """The rows of a board's thread list (forum/board.html). Three hundred rows through the
    template language were most of an uncached board page (py-spy: variable lookups and the
    date filters); the one value a poster typed, the title, is escaped here."""
    zone = timezone.get_current_timezone()
    pinned = html.escape(_("Pinned"))
    locked = html.escape(_("Locked"))
    full = html.escape(_("full"))
    per_day = html.escape(_("Posts per day since the thread began"))
    rows = []
    for thread in threads:
        bumped = thread.bumped_at.astimezone(zone)
        marks = ""
        if thread.is_pinned:
            marks += f'<span class="pinned" title="{pinned}">📌</span> '
        if thread.is_locked:
            marks += f'<span title="{locked}">🔒</span> '
        title = html.escape(thread.title)
        is_full = f' <span class="muted">({full})</span>' if thread.is_full() else ""
        rows.append(
            f'    <tr>\n      <td>{marks}<a href="{thread.get_absolute_url()}">{title}</a>{is_full}'
            f'</td>\n      <td class="num">{thread.post_count}</td>\n'
            f'      <td class="num wide" title="{per_day}">{_momentum(thread.momentum(now))}</td>\n'
            f'      <td class="wide"><time datetime="{bumped.isoformat()}">'
            f"{bumped.year:04d}/{bumped.month:02d}/{bumped.day:02d} "
            f"{bumped.hour:02d}:{bumped.minute:02d}</time></td>\n    </tr>\n"
        )
    return SafeString("".join(rows))


def render_sparkline(chart: Chart) -> SafeString:
    """A board's posts per hour as a small SVG (the home page's board cards). Seven boards of 24
    bars through the template language were a sixth of an uncached home page (cProfile: the loop,
    an include per board and a date filter per bar); every value here is a number or our label."""
    total = chart.total
    label = ngettext(
        "%(counter)s post in the last 24 hours", "%(counter)s posts in the last 24 hours", total
    ) % {"counter": total}
    bars = "".join(
        f'<rect x="{bar.x}" y="{bar.y}" width="4" height="{bar.height}"><title>'
        f"{timezone.localtime(bar.hour):%H}:00 · {bar.count}</title></rect>"
        for bar in chart.bars
        if bar.height
    )
    return SafeString(
        f'<svg class="sparkline" viewBox="0 0 {chart.width} {chart.height}" width="{chart.width}"'
        f' height="{chart.height}" role="img" aria-label="{label}"><title>{label}</title>{bars}'
        "</svg>\n"
    )
