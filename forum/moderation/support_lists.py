"""Adding, changing and deleting help lines and risk phrases (the lists support/ reads).

They live in support/, which imports no other app; their edits are moderator actions like any
other, so they are made here, each in one transaction with its audit row. A help line's old
values are kept in the row: a wrong number at 3 a.m. must be traceable to who typed it.
"""

from __future__ import annotations

from django.db import models, transaction

from forum.models import AuditLog
from forum.moderation.audit import audit, clean_reason
from support.models import HelpLine, RiskPhrase

HELP_LINE_ACTIONS = (
    AuditLog.Action.ADD_HELP_LINE,
    AuditLog.Action.CHANGE_HELP_LINE,
    AuditLog.Action.DELETE_HELP_LINE,
)
RISK_PHRASE_ACTIONS = (
    AuditLog.Action.ADD_RISK_PHRASE,
    AuditLog.Action.CHANGE_RISK_PHRASE,
    AuditLog.Action.DELETE_RISK_PHRASE,
)


def values(obj: models.Model) -> dict[str, str]:
    """Each field a moderator edits, as text (dates and lists included)."""
    return {
        field.name: field.value_to_string(obj)
        for field in obj._meta.concrete_fields
        if field.editable and not field.primary_key
    }


def changes(stored: models.Model | None, edited: models.Model) -> dict[str, list[str]]:
    """{field: [before, after]} for each edited field that differs; all of them for a new row."""
    before = values(stored) if stored is not None else {}
    return {
        name: [before.get(name, ""), after]
        for name, after in values(edited).items()
        if stored is None or before[name] != after
    }


def save_listed(obj: models.Model, actions, *, by, reason: str = "", **details) -> models.Model:
    """Validate and store `obj`, new or edited, with its audit row; an unchanged save logs none."""
    reason = clean_reason(reason, required=False)
    obj.full_clean()
    adding = obj.pk is None
    with transaction.atomic():
        stored = None if adding else type(obj).objects.select_for_update().get(pk=obj.pk)
        changed = changes(stored, obj)
        obj.save()
        if adding or changed:
            audit(
                by,
                actions[0] if adding else actions[1],
                obj,
                reason=reason,
                changed=changed,
                **details,
            )
    return obj


def delete_listed(obj: models.Model, actions, *, by, reason: str = "") -> None:
    reason = clean_reason(reason, required=False)
    with transaction.atomic():
        audit(by, actions[2], obj, reason=reason, deleted=values(obj))
        obj.delete()


def save_help_line(line: HelpLine, *, by, reason: str = "") -> HelpLine:
    """Add or change a help line; pages show it from the next request."""
    return save_listed(line, HELP_LINE_ACTIONS, by=by, reason=reason, country=line.country)


def delete_help_line(line: HelpLine, *, by, reason: str = "") -> None:
    delete_listed(line, HELP_LINE_ACTIONS, by=by, reason=reason)


def save_risk_phrase(phrase: RiskPhrase, *, by, reason: str = "") -> RiskPhrase:
    """Add or change a risk phrase; support.risk drops its cached list when it is saved."""
    return save_listed(phrase, RISK_PHRASE_ACTIONS, by=by, reason=reason, language=phrase.language)


def delete_risk_phrase(phrase: RiskPhrase, *, by, reason: str = "") -> None:
    delete_listed(phrase, RISK_PHRASE_ACTIONS, by=by, reason=reason)
