"""PostgreSQL (psycopg2), with each server process keeping the connections its requests used.

Under ASGI, Django runs every request in a thread of its own, so its persistent connections
(CONN_MAX_AGE) cannot be reused and every request opened a new PostgreSQL connection. A new
connection costs the server about 6.6 ms of CPU (most of it reading the system catalogues a
fresh backend has not seen yet) against 1.6 ms for a kept one, and the worker about 3 ms more
(bench/posting.py, with py-spy and PostgreSQL's own CPU time): more than the post itself.

Here a connection Django closes goes back to a small shelf of this process instead, and the next
request takes it from there after one `SELECT 1` shows it still answers (after a PostgreSQL
restart, a kept connection is dead: it is dropped and a new one opened, so no request fails for
it). Only a clean connection is kept: no transaction open, no error seen. Django's psycopg 3 pool
does the same for psycopg 3 only; Yoake's driver is psycopg2.
"""

from __future__ import annotations

import os
import threading
from contextlib import suppress

import psycopg2
from django.db.backends.postgresql import base, creation
from psycopg2 import extensions

# Kept idle per database per process. Requests at once are bounded (config.concurrency), so a
# process rarely holds more; the rest are closed when their request ends.
KEPT = int(os.environ.get("YOAKE_DB_KEPT", "8"))

_shelves: dict[tuple, list] = {}
_lock = threading.Lock()


def _key(conn_params: dict) -> tuple:
    return tuple(sorted((k, str(v)) for k, v in conn_params.items() if k != "cursor_factory"))


def _take(key: tuple):
    """A kept connection that still answers, or None."""
    while True:
        with _lock:
            shelf = _shelves.get(key)
            connection = shelf.pop() if shelf else None
        if connection is None:
            return None
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            return connection
        except psycopg2.Error:
            _close_quietly(connection)


def _close_quietly(connection) -> None:
    with suppress(psycopg2.Error):
        connection.close()


def forget_kept_connections() -> None:
    """Close every kept connection (before a test database is dropped)."""
    with _lock:
        shelves = list(_shelves.values())
        _shelves.clear()
    for shelf in shelves:
        for connection in shelf:
            _close_quietly(connection)


class DatabaseCreation(creation.DatabaseCreation):
    def _destroy_test_db(self, test_database_name, verbosity):
        forget_kept_connections()  # idle connections would stop DROP DATABASE
        return super()._destroy_test_db(test_database_name, verbosity)


class DatabaseWrapper(base.DatabaseWrapper):
    creation_class = DatabaseCreation

    def get_new_connection(self, conn_params):
        self._kept_key = _key(conn_params)
        connection = _take(self._kept_key)
        if connection is None:
            return super().get_new_connection(conn_params)
        # What super() sets for a connection it opens (READ COMMITTED unless OPTIONS says).
        level = self.settings_dict["OPTIONS"].get("isolation_level")
        self.isolation_level = (
            base.IsolationLevel(level) if level is not None else base.IsolationLevel.READ_COMMITTED
        )
        return connection

    def _close(self):
        connection = self.connection
        key = getattr(self, "_kept_key", None)
        if connection is None or key is None or not self._keepable(connection):
            return super()._close()
        with _lock:
            shelf = _shelves.setdefault(key, [])
            if len(shelf) < KEPT:
                shelf.append(connection)
                return None
        return super()._close()

    def _keepable(self, connection) -> bool:
        # Closed inside atomic(), the wrapper holds on to its connection (Django's close()).
        if connection.closed or self.errors_occurred or self.in_atomic_block:
            return False
        try:
            if connection.get_transaction_status() in (
                extensions.TRANSACTION_STATUS_INTRANS,
                extensions.TRANSACTION_STATUS_INERROR,
            ):
                connection.rollback()
            if connection.get_transaction_status() != extensions.TRANSACTION_STATUS_IDLE:
                return False
            # Kept in autocommit, so the check when it is taken opens no transaction.
            connection.autocommit = True
        except psycopg2.Error:
            return False
        return True
