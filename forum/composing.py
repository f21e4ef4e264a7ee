"""What a poster typed, cleaned and checked: the limits of every field, and the one place a
name, mail, title and body are normalised (boards through forum.posting, bbs.cgi included).

The limits are shared with the forms, SETTING.TXT and the admin, so all say the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from forum import names
from forum.errors import InvalidInput
from forum.personal_info import mask_personal_info
from forum.text import body_problem, clean_body, clean_line, disarm_marks, line_count, sign
from support.risk import find_risk_phrases

TITLE_MAX = 96
NAME_MAX = 32
MAIL_MAX = 64
BODY_MAX = 4000
BODY_MAX_LINES = 60
CAPCODE_NAME = "Moderator"


@dataclass(frozen=True)
class CleanInput:
    name: str
    tripcode: str
    mail: str
    body: str
    title: str = ""
    # Kinds of personal information masked in the title or body ("phone", "email").
    masked: tuple[str, ...] = ()


def clean_input(
    *, name: str, mail: str, body: str, title: str | None = None, as_moderator: bool = False
) -> CleanInput:
    """Normalise and check what a poster typed; raise InvalidInput naming every field at fault.
    A name claiming a staff role is refused unless the post carries the capcode."""
    errors: dict[str, list[str]] = {}
    name_field = clean_line(name)
    mail = clean_line(mail)
    body = clean_body(body)
    # A name's length counts its #key: the field, as typed, is what has to fit.
    if len(name_field) > NAME_MAX:
        errors.setdefault("name", []).append(
            _("The name can be at most %(max)d characters (it has %(count)d).")
            % {"max": NAME_MAX, "count": len(name_field)}
        )
    refusal = None if as_moderator else names.name_refusal(name_field)
    if refusal:
        errors.setdefault("name", []).append(refusal)
    if len(mail) > MAIL_MAX:
        errors.setdefault("mail", []).append(
            _("The mail field can be at most %(max)d characters (it has %(count)d).")
            % {"max": MAIL_MAX, "count": len(mail)}
        )
    if title is not None:
        title = clean_line(title)
        if not title:
            errors.setdefault("title", []).append(_("Please give the thread a title."))
        elif len(title) > TITLE_MAX:
            errors.setdefault("title", []).append(
                _("The title can be at most %(max)d characters (it has %(count)d).")
                % {"max": TITLE_MAX, "count": len(title)}
            )
    problem = body_problem(body, max_chars=BODY_MAX, max_lines=BODY_MAX_LINES)
    if problem == "empty":
        errors.setdefault("body", []).append(_("Please write something before posting."))
    elif problem == "too_long":
        errors.setdefault("body", []).append(
            _("A post can be at most %(max)d characters (this one has %(count)d).")
            % {"max": BODY_MAX, "count": len(body)}
        )
    elif problem == "too_many_lines":
        errors.setdefault("body", []).append(
            _("A post can have at most %(max)d lines (this one has %(count)d).")
            % {"max": BODY_MAX_LINES, "count": line_count(body)}
        )
    if errors:
        raise InvalidInput(errors)
    signature = sign(name_field)
    body, in_body = mask_personal_info(body)
    title, in_title = mask_personal_info(title) if title else ("", [])
    return CleanInput(
        name=signature.name,
        tripcode=signature.tripcode,
        mail=disarm_marks(mail),
        body=body,
        title=disarm_marks(title) if title else "",
        masked=tuple(dict.fromkeys(in_title + in_body)),
    )


def risk_phrases(*texts: str) -> list[str]:
    """The risk phrases in a post's title and body, each once (support.risk decides them)."""
    found: list[str] = []
    for text in texts:
        for phrase in find_risk_phrases(text):
            if phrase not in found:
                found.append(phrase)
    return found
