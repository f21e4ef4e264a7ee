"""`manage.py backup [FILE]`: the whole database in one pg_dump custom-format file (config.backups).

Run it from cron or a systemd timer, and keep the files somewhere other than the database's
disk; `manage.py restore FILE` brings one back into an empty database.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from config.backups import BackupError, back_up


class Command(BaseCommand):
    help = "Write the whole database to a pg_dump custom-format file."

    def add_arguments(self, parser):
        parser.add_argument(
            "file", nargs="?", help="where to write it (default: yoake-YYYYMMDD-HHMMSS.dump here)"
        )
        parser.add_argument("--pg-bin", help="folder of the pg_dump to use (default: pgserver's)")

    def handle(self, *args, **options):
        path = Path(options["file"] or timezone.localtime().strftime("yoake-%Y%m%d-%H%M%S.dump"))
        try:
            written = back_up(path, bin_dir=options["pg_bin"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{written} ({written.stat().st_size:,} bytes)")
