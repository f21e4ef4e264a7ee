"""The two database roles of deploy/postgres/10-roles.sql, made for real on the test's server.

A scratch database gets the script, as compose's postgres service runs it on first start; the
migrations run as yoake_owner (the `migrate` service); then yoake_app, the web application's
role, is refused every way of changing, emptying or unguarding the audit log, and may add to it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from django.conf import settings
from psycopg2 import errors

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "postgres" / "10-roles.sql"
SCRATCH = "yoake_roles_check"
ROLES = ("yoake_app", "yoake_owner")
ENTRY = """
    INSERT INTO forum_auditlog
        (created_at, actor_name, action, object_type, object_id, object_repr, reason, details)
    VALUES (now(), 'night-mod', 'lock_thread', 'thread', 1, '/a/1/ hello', '', '{}')
    RETURNING id
"""


def server() -> dict:
    db = settings.DATABASES["default"]
    return {"host": db["HOST"], "port": db.get("PORT") or 5432, "user": db["USER"]}


class Session:
    """One connection in autocommit: each statement stands alone, as the site's queries do."""

    def __init__(self, connection):
        self.connection = connection

    def execute(self, sql: str, params=None):
        cursor = self.connection.cursor()
        cursor.execute(sql, params)
        return cursor


@contextmanager
def connect(*, user: str | None = None, dbname: str = SCRATCH):
    params = {**server(), "dbname": dbname}
    if user:
        params["user"] = user
    connection = psycopg2.connect(**params)
    connection.autocommit = True
    try:
        yield Session(connection)
    finally:
        connection.close()


def drop_scratch() -> None:
    with connect(dbname="postgres") as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)")
        for role in ROLES:
            admin.execute(f"DROP ROLE IF EXISTS {role}")


def run_script() -> None:
    with connect() as superuser:
        superuser.execute(SCRIPT.read_text())


@pytest.fixture(scope="module")
def migrated(django_db_blocker):
    """The scratch database with the roles, migrated by yoake_owner as compose's `migrate` is."""
    with django_db_blocker.unblock():
        drop_scratch()
        with connect(dbname="postgres") as admin:
            admin.execute(f"CREATE DATABASE {SCRATCH}")
        run_script()
        where = server()
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://yoake_owner@{quote(str(where['host']), safe='')}"
            f":{where['port']}/{SCRATCH}",
        }
        result = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        yield
        drop_scratch()


@pytest.fixture
def as_app(migrated, django_db_blocker):
    with django_db_blocker.unblock(), connect(user="yoake_app") as connection:
        yield connection


@pytest.mark.parametrize(
    "statement",
    [
        "ALTER TABLE forum_auditlog DISABLE TRIGGER ALL",
        "ALTER TABLE forum_auditlog DISABLE TRIGGER forum_auditlog_append_only",
        "ALTER TABLE forum_auditlog DISABLE TRIGGER forum_auditlog_refuse_truncate",
        "DROP TRIGGER forum_auditlog_append_only ON forum_auditlog",
        "UPDATE forum_auditlog SET reason = 'rewritten'",
        "DELETE FROM forum_auditlog",
        "TRUNCATE forum_auditlog",
        "TRUNCATE auth_user CASCADE",
        "CREATE TABLE forum_auditlog_copy (id bigint)",
    ],
)
def test_the_app_role_cannot_unguard_change_or_empty_the_audit_log(as_app, statement):
    as_app.execute(ENTRY)
    with pytest.raises(errors.InsufficientPrivilege):
        as_app.execute(statement)
    assert as_app.execute("SELECT count(*) FROM forum_auditlog").fetchone()[0] >= 1


def test_the_app_role_adds_to_and_reads_the_log_and_keeps_every_other_table(as_app):
    entry = as_app.execute(ENTRY).fetchone()[0]
    assert as_app.execute("SELECT actor_name FROM forum_auditlog WHERE id = %s", [entry]).fetchone()
    # An ordinary table, as the site uses one: add, change and delete a word filter.
    word_filter = as_app.execute(
        """INSERT INTO forum_wordfilter (pattern, is_regex, action, replacement, applies_to_names,
               applies_to_titles, applies_to_bodies, applies_to_chat, is_active, note)
           VALUES ('x', false, 'flag', '***', true, true, true, true, true, '') RETURNING id"""
    ).fetchone()[0]
    as_app.execute("UPDATE forum_wordfilter SET action = 'block' WHERE id = %s", [word_filter])
    as_app.execute("DELETE FROM forum_wordfilter WHERE id = %s", [word_filter])


def test_the_owner_runs_the_migrations_and_the_triggers_still_refuse_it(
    migrated, django_db_blocker
):
    with django_db_blocker.unblock(), connect(user="yoake_owner") as owner:
        owner.execute(ENTRY)
        for statement in ("UPDATE forum_auditlog SET reason = 'x'", "TRUNCATE forum_auditlog"):
            with pytest.raises(errors.IntegrityConstraintViolation, match="append-only"):
                owner.execute(statement)
        tables = owner.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' "
            "AND tableowner <> 'yoake_owner'"
        ).fetchone()[0]
    assert tables == 0


def test_running_the_script_again_on_a_migrated_database_keeps_the_log_guarded(
    migrated, django_db_blocker
):
    with django_db_blocker.unblock():
        run_script()
        with connect(user="yoake_app") as app:
            app.execute(ENTRY)
            with pytest.raises(errors.InsufficientPrivilege):
                app.execute("UPDATE forum_auditlog SET reason = 'x'")


def test_the_compose_password_script_gives_both_roles_their_password(migrated, django_db_blocker):
    psql = shutil.which("psql")
    if psql is None:
        pytest.skip("psql is not installed here; compose's postgres image has it")
    where = server()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PGHOST": str(where["host"]),
        "PGPORT": str(where["port"]),
        "POSTGRES_USER": where["user"],
        "POSTGRES_DB": SCRATCH,
        "YOAKE_OWNER_PASSWORD": "owner-secret",
        "YOAKE_APP_PASSWORD": "it's-a-secret",  # a quote, safely passed as a psql variable
    }
    script = ROOT / "deploy" / "postgres" / "20-passwords.sh"
    result = subprocess.run(["sh", str(script)], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    with django_db_blocker.unblock(), connect() as superuser:
        passwords = dict(
            superuser.execute(
                "SELECT rolname, rolpassword IS NOT NULL FROM pg_authid WHERE rolname = ANY(%s)",
                [list(ROLES)],
            ).fetchall()
        )
    assert passwords == {"yoake_owner": True, "yoake_app": True}
