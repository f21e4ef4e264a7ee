"""The whole database to one file and back: pg_dump's custom format, restored with pg_restore.

`manage.py backup` and `manage.py restore` (forum/management/commands) call these. The client
programs are the ones pgserver ships (PostgreSQL 16, the version of the embedded server and of
compose's), unless the operator names another folder (a newer server needs its own pg_dump).
The password goes to them in PGPASSWORD, never on a command line that `ps` shows.

A restore goes into an empty database only (made with `createdb`, never migrated): pg_restore
creates the tables, copies the rows in, and only then adds indexes, constraints and triggers,
so the audit log's append-only triggers (forum migrations 0004, 0008) come back as they were
and nothing is ever emptied, updated or truncated on the way.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
from contextlib import closing
from pathlib import Path

import psycopg2
from django.db import connections

# pg_dump's custom format starts with these bytes.
CUSTOM_FORMAT_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


def client_program(name: str, bin_dir: str | Path | None = None) -> str:
    """pg_dump or pg_restore: from `bin_dir` if given, else pgserver's, else the PATH's."""
    if bin_dir:
        candidate = Path(bin_dir) / name
        if not candidate.is_file():
            raise BackupError(f"There is no {name} in {bin_dir}.")
        return str(candidate)
    # Found without importing pgserver, which is slow to import.
    spec = importlib.util.find_spec("pgserver")
    if spec is not None and spec.origin:
        bundled = Path(spec.origin).parent / "pginstall" / "bin" / name
        if bundled.is_file():
            return str(bundled)
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} was not found: install PostgreSQL's client or pass --pg-bin.")
    return found


def _libpq_environment(alias: str, dbname: str) -> dict[str, str]:
    settings_dict = connections[alias].settings_dict
    env = {**os.environ, "PGDATABASE": dbname}
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    if settings_dict.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = settings_dict["OPTIONS"]["sslmode"]
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(
            f"{Path(command[0]).name} failed: {result.stderr.strip()[-2000:] or result.returncode}"
        )


def database_name(alias: str = "default") -> str:
    return connections[alias].settings_dict["NAME"]


def back_up(path: str | Path, *, alias: str = "default", bin_dir=None) -> Path:
    """Dump the whole database (schema, rows, triggers, owners and grants) to `path`.

    Written beside it first and renamed at the end, so a failed dump never leaves a file that
    looks like a backup.
    """
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    command = [
        client_program("pg_dump", bin_dir),
        "--format=custom",
        "--no-password",
        f"--file={partial}",
    ]
    try:
        _run(command, _libpq_environment(alias, database_name(alias)))
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def tables_in(dbname: str, *, alias: str = "default") -> int:
    """How many tables, views and sequences database `dbname` (on the same server) holds."""
    params = connections[alias].get_connection_params()
    params.pop("cursor_factory", None)
    params["dbname"] = dbname
    try:
        with closing(psycopg2.connect(**params)) as connection, connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S')
                   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                   AND n.nspname NOT LIKE 'pg_toast%'
                """
            )
            return cursor.fetchone()[0]
    except psycopg2.Error as error:
        raise BackupError(f"Cannot open database {dbname}: {str(error).strip()}") from None


def restore(path: str | Path, *, into: str | None = None, alias: str = "default", bin_dir=None):
    """Restore a custom-format dump into `into` (default: the configured database), which must
    exist and be empty. One transaction: an error leaves the database as empty as it was."""
    path = Path(path)
    try:
        with path.open("rb") as dump:
            magic = dump.read(len(CUSTOM_FORMAT_MAGIC))
    except OSError as error:
        raise BackupError(f"Cannot read {path}: {error.strerror}") from None
    if magic != CUSTOM_FORMAT_MAGIC:
        raise BackupError(f"{path} is not a pg_dump custom-format file (manage.py backup).")
    target = into or database_name(alias)
    if tables_in(target, alias=alias):
        raise BackupError(
            f"Database {target} is not empty. Restore into a new one (createdb), then point "
            "DATABASE_URL at it."
        )
    command = [
        client_program("pg_restore", bin_dir),
        "--exit-on-error",
        "--single-transaction",
        "--no-password",
        f"--dbname={target}",
        str(path),
    ]
    _run(command, _libpq_environment(alias, target))
