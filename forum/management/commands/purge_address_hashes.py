"""Empty the address hashes older than ADDRESS_HASH_RETENTION_DAYS (privacy rules: 30 days).

Posts, reports and anything else that keeps a hash (chat messages…) lose it after the retention
period; what they said stays. A poster cookie's standing is deleted once the cookie has been
unused that long. A ban keeps its hash while it is in force and for the retention
period after it ended; then the row stays for the history, with its hash blanked, so it can match
nobody again. Sealed addresses (forum.models.sealed) are deleted after 7 days.
Run it daily (cron, a systemd timer or the container scheduler).
"""

from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from forum.models import Ban
from forum.moderation.unsealing import sealed_models
from forum.standing import purge_unused

# Every field that keeps a keyed hash of a client address (or a reporter's cookie), on any model.
HASH_FIELDS = (
    "address_hash",
    "range_hash_narrow",
    "range_hash_wide",
    "reporter_hash",
    "reporter_cookie_hash",
)


def hash_fields_of(model) -> list[str]:
    names = []
    for name in HASH_FIELDS:
        try:
            model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        names.append(name)
    return names


def purge(*, older_than: timedelta, now: datetime | None = None) -> dict[str, int]:
    """Empty the hash fields of rows created before now - `older_than`, and the hashes of bans
    that ended before then; delete sealed addresses older than SEALED_ADDRESS_RETENTION_DAYS.
    Returns the rows changed per model (bans as "forum.Ban (ended)", sealed addresses as
    "… (deleted)").

    Models are found by their fields, so a new app that keeps hashes is purged without a change
    here (and forum need not import it). Each must have a `created_at`.
    """
    now = now or timezone.now()
    cutoff = now - older_than
    sealed_cutoff = now - timedelta(days=settings.SEALED_ADDRESS_RETENTION_DAYS)
    changed: dict[str, int] = {}
    with transaction.atomic():
        changed["forum.Ban (ended)"] = (
            Ban.objects.filter(expires_at__lt=cutoff).exclude(target_hash="").update(target_hash="")
        )
        for model in sealed_models():
            old = model._default_manager.filter(created_at__lt=sealed_cutoff)
            changed[f"{model._meta.label} (deleted)"] = old.delete()[0]
        # A cookie's standing goes with the cookie (forum.standing), after the same period.
        changed["forum.Standing (unused, deleted)"] = purge_unused(cutoff)
        for model in apps.get_models():
            fields = hash_fields_of(model)
            if not fields or model._meta.proxy:
                continue
            model._meta.get_field("created_at")  # a hash without a time could not be purged
            still_kept = Q()
            for name in fields:
                still_kept |= ~Q(**{name: ""})
            count = (
                model._default_manager.filter(created_at__lt=cutoff)
                .filter(still_kept)
                .update(**dict.fromkeys(fields, ""))
            )
            changed[model._meta.label] = count
    return changed


class Command(BaseCommand):
    help = (
        "Empty client address hashes older than ADDRESS_HASH_RETENTION_DAYS (and those of bans "
        "that ended that long ago); delete sealed addresses older than 7 days."
    )

    def handle(self, *args, **options):
        days = settings.ADDRESS_HASH_RETENTION_DAYS
        changed = purge(older_than=timedelta(days=days))
        if options["verbosity"] > 0:
            self.stdout.write(f"Hashes older than {days} days emptied in:")
            for label, count in sorted(changed.items()):
                self.stdout.write(f"  {label}: {count}")
