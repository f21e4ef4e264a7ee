"""`manage.py backup` and `manage.py restore`: the whole database to one custom-format file and
back into a fresh database, with every post, thread, ban and audit row, and the audit log as
append-only there as it was here."""

from __future__ import annotations

from contextlib import closing, contextmanager

import psycopg2
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from forum import moderation
from forum.models import AuditLog, Ban, Post, Thread

pytestmark = pytest.mark.django_db(transaction=True)

FRESH = "yoake_restore_check"


@contextmanager
def database(dbname: str):
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    with closing(psycopg2.connect(**{**params, "dbname": dbname})) as opened:
        opened.autocommit = True
        yield opened.cursor()


@pytest.fixture
def fresh_database():
    """An empty database on the test's server, as `createdb` makes one."""
    with database("postgres") as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {FRESH} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {FRESH}")
    yield FRESH
    with database("postgres") as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {FRESH} WITH (FORCE)")


@pytest.fixture
def night_of_moderation(make_board, make_thread, make_post, make_moderator):
    """Threads and replies, a deleted post, a locked thread and a ban, all with audit rows."""
    moderator = make_moderator(username="night-mod")
    board = make_board(slug="night")
    first = make_thread(board=board, title="眠れない夜に", body="誰か起きてる？")
    second = make_thread(board=board, title="a quiet place")
    for n in range(3):
        make_post(thread=first, body=f"reply {n} 🌙")
    spam = make_post(thread=second, body="buy now")
    moderation.delete_post_as_moderator(spam, by=moderator, reason="spam")
    moderation.lock_thread(second, by=moderator, reason="off topic")
    moderation.ban_poster(spam, by=moderator, reason="advertising", expires_at=None)
    return first


def rows(cursor, sql: str) -> list[tuple]:
    cursor.execute(sql)
    return cursor.fetchall()


def test_a_backup_restored_into_a_fresh_database_has_every_post_thread_ban_and_audit_row(
    night_of_moderation, fresh_database, tmp_path
):
    assert Ban.objects.count() == 1 and AuditLog.objects.count() == 3
    dump = tmp_path / "yoake.dump"
    call_command("backup", str(dump))
    assert dump.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format

    call_command("restore", str(dump), into=fresh_database)

    with database(fresh_database) as restored:
        for model in (Post, Thread, Ban, AuditLog):
            table = model._meta.db_table
            assert rows(restored, f"SELECT count(*) FROM {table}") == [(model.objects.count(),)]
        assert rows(restored, "SELECT title FROM forum_thread ORDER BY id") == list(
            Thread.objects.order_by("id").values_list("title")
        )
        assert rows(restored, "SELECT number, body, status FROM forum_post ORDER BY id") == list(
            Post.objects.order_by("id").values_list("number", "body", "status")
        )
        assert rows(restored, "SELECT kind, target_hash, reason FROM forum_ban") == list(
            Ban.objects.values_list("kind", "target_hash", "reason")
        )
        assert rows(
            restored, "SELECT action, actor_name, reason FROM forum_auditlog ORDER BY id"
        ) == (list(AuditLog.objects.order_by("id").values_list("action", "actor_name", "reason")))


def test_the_restored_audit_log_still_refuses_to_be_changed_or_emptied(
    night_of_moderation, fresh_database, tmp_path
):
    dump = tmp_path / "yoake.dump"
    call_command("backup", str(dump))
    call_command("restore", str(dump), into=fresh_database)

    with database(fresh_database) as restored:
        for statement in (
            "UPDATE forum_auditlog SET reason = 'rewritten'",
            "DELETE FROM forum_auditlog",
            "TRUNCATE forum_auditlog",
        ):
            with pytest.raises(psycopg2.Error, match="append-only"):
                restored.execute(statement)
        assert rows(restored, "SELECT count(*) FROM forum_auditlog") == [
            (AuditLog.objects.count(),)
        ]


def test_restore_refuses_a_database_that_already_has_tables(night_of_moderation, tmp_path):
    dump = tmp_path / "yoake.dump"
    call_command("backup", str(dump))
    posts = Post.objects.count()

    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(dump))  # the site's own database
    assert Post.objects.count() == posts


def test_restore_refuses_a_file_that_is_not_a_backup(fresh_database, tmp_path):
    plain = tmp_path / "yoake.sql"
    plain.write_text("DROP TABLE forum_post;")
    with pytest.raises(CommandError, match="not a pg_dump custom-format file"):
        call_command("restore", str(plain), into=fresh_database)
