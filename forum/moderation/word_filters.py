"""Adding, changing and deleting word filters (forum.safety applies them)."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _

from forum import safety
from forum.models import AuditLog, WordFilter
from forum.moderation.audit import ModerationError, audit


def check_pattern(pattern: str, is_regex: bool) -> None:
    """Raise ModerationError, with the reason, if the pattern is not a valid expression."""
    if not pattern:
        raise ModerationError(_("Please give a word or pattern."))
    try:
        safety.compile_pattern(pattern, is_regex)
    except re.error as error:
        raise ModerationError(
            _("This is not a valid regular expression: %(error)s") % {"error": error}
        ) from None


def save_word_filter(
    word_filter: WordFilter, *, by, changed: list[str] | None = None
) -> WordFilter:
    """Add or change a word filter; it applies to the next post (forum.safety drops its cache)."""
    check_pattern(word_filter.pattern, word_filter.is_regex)
    adding = word_filter.pk is None
    with transaction.atomic():
        word_filter.save()
        audit(
            by,
            AuditLog.Action.ADD_WORD_FILTER if adding else AuditLog.Action.CHANGE_WORD_FILTER,
            word_filter,
            object_repr=word_filter.pattern,
            action_taken=word_filter.action,
            is_regex=word_filter.is_regex,
            changed=changed or [],
        )
    return word_filter


def delete_word_filter(word_filter: WordFilter, *, by) -> None:
    with transaction.atomic():
        audit(
            by,
            AuditLog.Action.DELETE_WORD_FILTER,
            word_filter,
            object_repr=word_filter.pattern,
            action_taken=word_filter.action,
        )
        word_filter.delete()
