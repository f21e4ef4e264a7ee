"""Names that claim a role: only the Moderator ★ capcode may look like the site's staff.

The one rule for boards (web and bbs.cgi, through forum.composing.clean_input) and chat handles
(chat.rooms): a name that says Moderator, 管理人, Admin… or carries ★ is refused on the name
field, unless the post is made with the capcode (whose name the site writes itself).
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext as _

from forum.tripcode import split_name

# Compared after squashing (see `squashed`), so full-width, case and spacing variants match.
ROLE_WORDS = ("moderator", "administrator", "モデレーター", "管理人", "削除人", "運営")
# "admin" alone also sits inside ordinary words (badminton), so it counts as a whole word only.
_ADMIN = re.compile(r"(?<![a-z])admin(?![a-z])")
# ★ marks a capcode on 2channel; a typed ☆ stays (it is what 2channel turns a typed ★ into).
CAPCODE_MARK = "★"
# Dropped before comparing: separators, punctuation, symbols, controls and invisible formats
# (letters, marks and the katakana long vowel ー stay).
_DROPPED = ("Z", "P", "S", "C")


def squashed(text: str) -> str:
    """NFKC, casefolded, without whitespace, separators or symbols: `Ｍ o-d_e.r ator` →
    `moderator`."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] not in _DROPPED)


def claims_a_role(name: str) -> bool:
    """Whether a name (without its #key) reads as one of the staff roles."""
    if any(word in squashed(name) for word in ROLE_WORDS):
        return True
    # Whole words as typed ("the admin"), and the name squashed ("a d m i n").
    words = re.split(r"[^a-z]+", unicodedata.normalize("NFKC", name).casefold())
    return any(word.startswith("admin") for word in words) or bool(_ADMIN.search(squashed(name)))


def name_refusal(typed: str) -> str | None:
    """Why the name field `name#key` cannot be used by an ordinary poster, or None if it can.

    Only the name part counts: a tripcode key is never shown, so it may say anything.
    """
    name, _key = split_name(typed)
    if CAPCODE_MARK in unicodedata.normalize("NFKC", name):
        return _("The ★ mark is kept for the moderators' posts. Please choose another name.")
    if claims_a_role(name):
        return _(
            "Names that claim a role on the site, such as Moderator or 管理人, are kept for the "
            "moderators. Please choose another name."
        )
    return None
