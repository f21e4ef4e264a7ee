"""Bans and word filters, checked on every post and chat message (boards, bbs.cgi and chat)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from forum.addresses import AddressHashes
from forum.errors import Banned, PostingRefused
from forum.models import Ban, Board, WordFilter

FILTERS_CACHE_KEY = "forum:word-filters:v1"


def active_ban(hashes: AddressHashes, *, board: Board | None = None, chat: bool = False):
    """The ban that applies to these hashes here, if any (one indexed query)."""
    return Ban.objects.newest_in_force(
        [hashes.address, hashes.narrow, hashes.wide],
        board_id=board.pk if board is not None else None,
        chat=chat,
    )


def check_not_banned(
    hashes: AddressHashes, *, board: Board | None = None, chat: bool = False
) -> None:
    ban = active_ban(hashes, board=board, chat=chat)
    if ban is not None:
        raise Banned(ban.reason, ban.expires_at)


@dataclass(frozen=True)
class Filtered:
    name: str
    title: str
    body: str
    flagged: bool


@dataclass(frozen=True)
class _Rule:
    regex: re.Pattern
    action: str
    replacement: str
    names: bool
    titles: bool
    bodies: bool
    chat: bool


def compile_pattern(pattern: str, is_regex: bool) -> re.Pattern:
    """Raises re.error for an invalid regular expression (the admin form shows it)."""
    return re.compile(pattern if is_regex else re.escape(pattern), re.IGNORECASE)


def _rules() -> list[_Rule]:
    rows = cache.get(FILTERS_CACHE_KEY)
    if rows is None:
        rows = list(
            WordFilter.objects.filter(is_active=True).values_list(
                "pattern",
                "is_regex",
                "action",
                "replacement",
                "applies_to_names",
                "applies_to_titles",
                "applies_to_bodies",
                "applies_to_chat",
            )
        )
        cache.set(FILTERS_CACHE_KEY, rows, 300)
    rules = []
    for pattern, is_regex, action, replacement, names, titles, bodies, chat in rows:
        try:
            regex = compile_pattern(pattern, is_regex)
        except re.error:
            continue  # the admin refuses these; one saved by other means is skipped
        rules.append(_Rule(regex, action, replacement, names, titles, bodies, chat))
    return rules


def apply_word_filters(
    *, name: str = "", title: str = "", body: str = "", chat: bool = False
) -> Filtered:
    """Apply every active filter: raise PostingRefused on a block, replace, or flag."""
    flagged = False
    fields = {"name": name, "title": title, "body": body}
    for rule in _rules():
        if chat and not rule.chat:
            continue
        targets = [
            field
            for field, wanted in (
                ("name", rule.names),
                ("title", rule.titles),
                ("body", rule.bodies),
            )
            if wanted or (chat and field == "body")
        ]
        for field in targets:
            if not fields[field] or not rule.regex.search(fields[field]):
                continue
            if rule.action == WordFilter.Action.BLOCK:
                raise PostingRefused(
                    _("This post contains words that are not allowed here. Please reword it."),
                    field=field,
                )
            if rule.action == WordFilter.Action.REPLACE:
                fields[field] = rule.regex.sub(rule.replacement, fields[field])
            else:
                flagged = True
    return Filtered(fields["name"], fields["title"], fields["body"], flagged)


@receiver([post_save, post_delete], sender=WordFilter)
def _forget_filters(**kwargs) -> None:
    cache.delete(FILTERS_CACHE_KEY)
