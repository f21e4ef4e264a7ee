"""Empty the address hashes older than ADDRESS_HASH_RETENTION_DAYS (privacy rules: 30 days).

Posts, reports and anything else that keeps a hash (chat messages…) lose it after the retention
period; what they said stays. Bans keep theirs: a ban is a moderator's decision with an expiry.
Run it daily (cron, a systemd timer or the container scheduler).
"""

from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

# Every field that keeps a keyed hash of a client address, on any model.
HASH_FIELDS = ("address_hash", "range_hash_narrow", "range_hash_wide", "reporter_hash")


def hash_fields_of(model) -> list[str]:
    names = []
    for name in HASH_FIELDS:
        try:
            model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        names.append(name)
    return names


def purge(*, older_than: timedelta) -> dict[str, int]:
    """Empty the hash fields of rows created before now - `older_than`; rows changed per model.

    Models are found by their fields, so a new app that keeps hashes is purged without a change
    here (and forum need not import it). Each must have a `created_at`.
    """
    cutoff = timezone.now() - older_than
    changed: dict[str, int] = {}
    with transaction.atomic():
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
    help = "Empty client address hashes older than ADDRESS_HASH_RETENTION_DAYS."

    def handle(self, *args, **options):
        days = settings.ADDRESS_HASH_RETENTION_DAYS
        changed = purge(older_than=timedelta(days=days))
        if options["verbosity"] > 0:
            self.stdout.write(f"Hashes older than {days} days emptied in:")
            for label, count in sorted(changed.items()):
                self.stdout.write(f"  {label}: {count}")
