"""Backups with compose's two roles (deploy/postgres/10-roles.sql): the application's role can
back up, and a superuser's restore gives the tables back to yoake_owner with yoake_app as
guarded from the audit log as before."""

from __future__ import annotations

import os
import subprocess
import sys
from urllib.parse import quote

import pytest
from psycopg2 import errors

from tests.config.test_database_roles import (  # noqa: F401 (the `migrated` fixture)
    ENTRY,
    ROOT,
    SCRATCH,
    connect,
    migrated,
    server,
)

RESTORED = "yoake_roles_restored"


def manage(*args: str, user: str) -> subprocess.CompletedProcess:
    where = server()
    url = f"postgres://{user}@{quote(str(where['host']), safe='')}:{where['port']}/{SCRATCH}"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
    )


@pytest.fixture
def restored_database(migrated, django_db_blocker):  # noqa: F811 (the imported fixture)
    with django_db_blocker.unblock():
        with connect(dbname="postgres") as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {RESTORED} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {RESTORED}")
        yield RESTORED
        # Before the roles go (the module's fixture drops them), so nothing they own is left.
        with connect(dbname="postgres") as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {RESTORED} WITH (FORCE)")


def test_the_app_role_backs_up_and_a_superuser_restores_with_the_owners_and_guards(
    restored_database, django_db_blocker, tmp_path
):
    dump = tmp_path / "yoake.dump"
    with django_db_blocker.unblock():
        with connect(user="yoake_app") as app:
            app.execute(ENTRY)
        backed_up = manage("backup", str(dump), user="yoake_app")
        assert backed_up.returncode == 0, backed_up.stderr[-3000:]
        restored = manage("restore", str(dump), "--into", restored_database, user=server()["user"])
        assert restored.returncode == 0, restored.stderr[-3000:]

        with connect(dbname=restored_database) as superuser:
            not_owned = superuser.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' "
                "AND tableowner <> 'yoake_owner'"
            ).fetchone()[0]
            assert not_owned == 0
            assert superuser.execute("SELECT count(*) FROM forum_auditlog").fetchone()[0] == 1
        with connect(user="yoake_app", dbname=restored_database) as app:
            app.execute(ENTRY)
            for statement in ("UPDATE forum_auditlog SET reason = 'x'", "TRUNCATE forum_auditlog"):
                with pytest.raises(errors.InsufficientPrivilege):
                    app.execute(statement)
