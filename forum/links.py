"""Links in a post, and the one limit on them: a browser's first post holds at most one.

Spam arrives from fresh browsers, and a first post full of links is nearly always spam, while a
person writing for the first time rarely needs more than one. So a poster cookie that has never
posted (no standing row, forum.standing) may share one link; from its second post on, any
number. A link is what forum.text links (http://, https://, and 2channel's ttp:// and ttps://)
and also a bare `www.` address, which readers copy by hand.
"""

from __future__ import annotations

import re
from datetime import datetime
from html import escape

from django.utils.translation import gettext as _

from forum import standing
from forum.errors import PostingRefused
from forum.poster import Poster
from forum.text import URL

FIRST_POST_MAX_LINKS = 1

# `www.` and a host with a dot after it, not inside a word or an address: "www" alone is
# laughter, and "lolwww." is not a link.
_WWW = re.compile(r"(?<![A-Za-z0-9._\-/@])www\.[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+", re.IGNORECASE)


def count_links(body: str) -> int:
    """How many links a body holds: every URL forum.text would link, and bare `www.` addresses
    outside of them."""
    # Matched on escaped text, as forum.text renders it, so both agree on where a URL ends.
    escaped = escape(body)
    urls = len(URL.findall(escaped))
    rest = URL.sub(" ", escaped)
    return urls + len(_WWW.findall(rest))


def check_first_post_links(poster: Poster, body: str, *, now: datetime | None = None) -> None:
    """Refuse a body with more than one link from a poster cookie that has never posted.

    Raises PostingRefused on the body field, saying how many links it has and that later posts
    may hold more. The database is asked only when the body has two links or more. `now` is the
    posting clock every check is given; whether a cookie has posted does not depend on it.
    """
    count = count_links(body)
    if count <= FIRST_POST_MAX_LINKS:
        return
    if standing.has_been_seen(standing.cookie_hash(poster)):
        return
    # Always two or more here, so the one plural form is enough in every language Yoake speaks.
    raise PostingRefused(
        _(
            "This post has %(count)d links. The first post from a browser can hold one link, "
            "so please keep one and take out the others for now. After this first post, you "
            "can share more."
        )
        % {"count": count},
        field="body",
    )
