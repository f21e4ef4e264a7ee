"""A signed note, kept by a browser with standing, that lets its requests past a crowd.

In a raid the server's queue fills with newcomers' requests; people the site already trusts
should notice nothing (issue 12). A browser whose cookie has standing (level 1 or more, when it
last posted) gets this cookie: the first characters of its poster cookie's keyed hash, signed,
for a day. config.concurrency lets requests carrying a valid one through a lane of their own.
It proves nothing on its own: it must match the poster cookie sent beside it, so copying it to
another browser is useless, and it says nothing about who anyone is.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing

from forum.addresses import keyed_digest
from forum.poster import POSTER_COOKIE

PASS_COOKIE = "yoake_standing"
PASS_AGE = 24 * 3600
_SALT = "yoake.standing-pass"
_KEPT = 16  # characters of the cookie hash in the note


def give_pass(response, delete_key: str) -> None:
    """Called when a poster with standing has just posted, with their cookie's delete key."""
    if not delete_key:
        return
    note = signing.dumps(keyed_digest("delete", delete_key)[:_KEPT], salt=_SALT)
    response.set_cookie(
        PASS_COOKIE,
        note,
        max_age=PASS_AGE,
        httponly=True,
        samesite="Strict",
        secure=not settings.DEBUG,
    )


def has_pass(cookies: dict[str, str]) -> bool:
    """Whether these cookies carry a valid pass for the poster cookie beside it."""
    note, key = cookies.get(PASS_COOKIE), cookies.get(POSTER_COOKIE)
    if not note or not key:
        return False
    try:
        kept = signing.loads(note, salt=_SALT, max_age=PASS_AGE)
    except signing.BadSignature:
        return False
    return kept == keyed_digest("delete", key)[:_KEPT]
