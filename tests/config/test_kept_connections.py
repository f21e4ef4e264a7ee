"""Each server process keeps the PostgreSQL connections its requests used (config.postgres): the
next request, in a thread of its own as under ASGI, takes one instead of opening a new one, and
a connection PostgreSQL has ended or that saw an error is never handed on."""

from __future__ import annotations

import threading
from contextlib import closing

import psycopg2
import pytest
from django.db import connection, connections
from django.db.utils import DatabaseError

from config.postgres import base

pytestmark = pytest.mark.django_db(transaction=True)


def in_a_request_thread(work):
    """`work()` in a new thread, as Django's ASGI handler runs each request; its result."""
    result = {}

    def request():
        try:
            result["value"] = work()
        except Exception as error:  # handed back to the test
            result["error"] = error
        finally:
            connections.close_all()  # what the end of a request does (CONN_MAX_AGE = 0)

    thread = threading.Thread(target=request)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


@pytest.fixture(autouse=True)
def _empty_shelves():
    base.forget_kept_connections()
    yield
    base.forget_kept_connections()


def test_the_next_request_uses_the_connection_the_last_one_left():
    assert connection.settings_dict["ENGINE"] == "config.postgres"
    first = in_a_request_thread(backend_pid)
    assert in_a_request_thread(backend_pid) == first
    assert in_a_request_thread(backend_pid) == first


def test_a_connection_postgres_ended_is_replaced_without_an_error():
    first = in_a_request_thread(backend_pid)
    # Ended from a connection of the test's own, as a PostgreSQL restart ends them all.
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    with closing(psycopg2.connect(**params)) as own, own.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [first])
    second = in_a_request_thread(backend_pid)
    assert second != first


def test_a_connection_whose_request_failed_is_not_kept():
    def fails() -> int:
        pid = backend_pid()
        with pytest.raises(DatabaseError), connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")
        return pid

    failed = in_a_request_thread(fails)
    assert in_a_request_thread(backend_pid) != failed


def test_a_connection_left_in_a_transaction_is_rolled_back_before_it_is_kept():
    def leaves_a_transaction_open() -> int:
        connection.set_autocommit(False)
        with connection.cursor() as cursor:
            cursor.execute("CREATE TEMPORARY TABLE half_done (n int)")
        return backend_pid()

    pid = in_a_request_thread(leaves_a_transaction_open)

    def sees_no_half_done_table() -> tuple[int, bool]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('pg_temp.half_done') IS NULL")
            return backend_pid(), cursor.fetchone()[0]

    assert in_a_request_thread(sees_no_half_done_table) == (pid, True)


def test_a_process_keeps_no_more_than_its_share(monkeypatch):
    monkeypatch.setattr(base, "KEPT", 2)
    opened, release = threading.Barrier(4), threading.Event()
    pids = []

    def at_once():
        pids.append(backend_pid())
        opened.wait()
        release.wait()

    def request():
        in_a_request_thread(at_once)

    threads = [threading.Thread(target=request) for _ in range(3)]
    for thread in threads:
        thread.start()
    opened.wait()
    release.set()
    for thread in threads:
        thread.join()
    assert len(set(pids)) == 3
    assert sum(len(shelf) for shelf in base._shelves.values()) == 2
