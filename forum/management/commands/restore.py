"""`manage.py restore FILE [--into DATABASE]`: a `manage.py backup` file into an empty database.

The database must exist and hold nothing (`createdb yoake_restored`; do not migrate it first):
the dump brings the tables, the rows, and the audit log's triggers last (config.backups). Run
it as a role that may create the objects for their owners (compose: the `yoake` superuser), with
the roles of deploy/postgres/10-roles.sql made on that server first if the dump has them.
"""

from django.core.management.base import BaseCommand, CommandError

from config.backups import BackupError, database_name, restore


class Command(BaseCommand):
    help = "Restore a pg_dump custom-format file into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a file written by manage.py backup")
        parser.add_argument(
            "--into",
            help="an empty database on the same server (default: the configured one)",
        )
        parser.add_argument(
            "--pg-bin", help="folder of the pg_restore to use (default: pgserver's)"
        )

    def handle(self, *args, **options):
        target = options["into"] or database_name()
        try:
            restore(options["file"], into=target, bin_dir=options["pg_bin"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored {options['file']} into {target}.")
