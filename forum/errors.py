"""Why a post or thread was refused. Views turn these into messages above the form."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class PostingRefused(Exception):
    """A refusal with a message meant for the poster. `field` names the form field at fault."""

    field: str | None = None

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        if field:
            self.field = field


class InvalidInput(PostingRefused):
    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        first = next(iter(errors.values()))[0]
        super().__init__(first)


class FloodControlled(PostingRefused):
    """Posted too soon; `wait` is how many seconds are left."""

    def __init__(self, wait: int, message: str | None = None):
        self.wait = max(1, int(wait))
        super().__init__(
            message
            or ngettext(
                "You are posting too quickly. Please wait %(seconds)d second and try again.",
                "You are posting too quickly. Please wait %(seconds)d seconds and try again.",
                self.wait,
            )
            % {"seconds": self.wait}
        )


class ThreadQuotaReached(FloodControlled):
    """Too many new threads this hour: a wait, but not a posting interval to count down from."""


class DuplicateBody(PostingRefused):
    field = "body"

    def __init__(self):
        super().__init__(_("You just posted this same text. Please write something new."))


class ThreadClosed(PostingRefused):
    """The thread takes no more posts (full, locked or archived), or the post is gone."""


class Banned(PostingRefused):
    """A ban in force: the poster reads the moderators' reason and when the ban ends."""

    def __init__(self, reason: str, until: datetime | None = None):
        self.reason = reason
        self.until = until
        super().__init__(
            _("You cannot post here right now. Reason given by the moderators: %(reason)s")
            % {"reason": reason}
            + " "
            + ban_end_text(until)
        )


def ban_end_text(until: datetime | None) -> str:
    """When a ban ends, in the site's time zone (not the reader's: the same words everywhere,
    bbs.cgi included), or that it has no end."""
    if until is None:
        return _("This ban has no end date: it lasts until a moderator lifts it.")
    local = timezone.localtime(until, timezone.get_default_timezone())
    return _("The ban ends on %(date)s (%(zone)s).") % {
        "date": local.strftime("%Y/%m/%d %H:%M"),
        "zone": local.tzname(),
    }


class RiskLanguage(Exception):
    """Not a refusal: the writer is shown help first and may still post the same text."""

    def __init__(self, phrases: list[str]):
        super().__init__(", ".join(phrases))
        self.phrases = phrases
