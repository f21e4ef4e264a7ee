"""The real JDim (Debian package `jdim`) reads a Yoake thread: its cache equals what we serve.

A live uvicorn serves the test database; JDim runs under Xvfb with the board registered in its
etc.txt (2ch.md §1, §8) and the thread URL as argument. JDim 0.9.0 only focuses a thread that is
already open when its URL arrives over the FIFO (it does not reload it), so the differential
update is made the way a reader makes it after a night away: quit (SIGINT, which saves the
session), start again on the thread, and JDim resumes the download with `Range: bytes=len-1-`.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

from config.launch import ROOT, serve_command

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

MISSING = [name for name in ("jdim", "xvfb-run", "Xvfb", "xauth") if not shutil.which(name)]
DEADLINE = 60.0


def _wait_until(condition: Callable[[], bool], what: str, *, timeout: float = DEADLINE) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def _database_url() -> str:
    """The test database as a URL for another process (the NAME is the test database's)."""
    db = settings.DATABASES["default"]
    credentials = quote(db.get("USER") or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = quote(db.get("HOST") or "", safe="")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{credentials}@{host}{port}/{quote(db['NAME'], safe='')}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _stop(process: subprocess.Popen) -> None:
    """End a process group we started (SIGTERM, then SIGKILL)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


@pytest.fixture
def uvicorn_server(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": os.environ.get("REDIS_URL", settings.REDIS_URL),
        "HOST": "127.0.0.1",
        "PORT": str(port),
    }
    log = (tmp_path / "uvicorn.log").open("wb")
    server = subprocess.Popen(
        serve_command(env),
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    root = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        try:
            with urllib.request.urlopen(f"{root}/healthz", timeout=2):
                return True
        except OSError:
            return server.poll() is not None  # stop waiting; the assertion below says why

    _wait_until(answers, "the live server")
    assert server.poll() is None, (tmp_path / "uvicorn.log").read_text(errors="replace")
    yield root
    _stop(server)
    log.close()


def _served(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read()


def _jdim_pids(session: int) -> list[int]:
    """JDim's process ids in the session xvfb-run leads."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        # "pid (comm) state ppid pgrp session …"; comm may hold spaces, so split at the last ")".
        head, _, rest = text.rpartition(")")
        if head.split("(", 1)[-1] == "jdim" and int(rest.split()[3]) == session:
            pids.append(int(stat.parent.name))
    return pids


class JDim:
    """JDim under Xvfb with its own cache (JDIM_CACHE) and home, started on one URL."""

    def __init__(self, tmp_path: Path, board_url: str):
        self.cache = tmp_path / "jdim-cache"
        self.home = tmp_path / "home"
        self.cache.mkdir()
        self.home.mkdir()
        # etc.txt registers 外部板: name / board URL / board id (JDim's Root::load_etc).
        (self.cache / "etc.txt").write_text(f"Yoake night\n{board_url}\nnight\n")
        self.process: subprocess.Popen | None = None
        self.logs: list = []

    def start(self, url: str) -> None:
        log = (self.cache.parent / f"jdim-{len(self.logs) + 1}.log").open("wb")
        self.logs.append(log)
        self.process = subprocess.Popen(
            ["xvfb-run", "-a", "jdim", url],
            env={**os.environ, "JDIM_CACHE": str(self.cache), "HOME": str(self.home)},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def quit(self) -> None:
        """As a reader closes it: SIGINT makes JDim save its session and exit."""
        assert self.process is not None
        for pid in _jdim_pids(self.process.pid):
            os.kill(pid, signal.SIGINT)
        self.process.wait(DEADLINE)

    def close(self) -> None:
        if self.process is not None:
            _stop(self.process)
        for log in self.logs:
            log.close()


@pytest.fixture
def jdim_app(tmp_path, uvicorn_server):
    app = JDim(tmp_path, f"{uvicorn_server}/night/")
    yield app
    app.close()


@pytest.mark.skipif(
    bool(MISSING),
    reason=f"needs JDim and Xvfb, missing {', '.join(MISSING)}: "
    "apt-get install jdim xvfb xauth (.ci/run does)",
)
def test_jdims_cached_dat_equals_the_served_dat_before_and_after_an_update(
    jdim_app, uvicorn_server, night, make_thread, make_post
):
    thread = make_thread(board=night, title="JDimで読む😀", body="こんばんは\n  (´・ω・`)")
    make_post(thread=thread, name="ななし#istrip", mail="sage", body="絵文字😀 & <b>太字</b>")
    dat_url = f"{uvicorn_server}/night/dat/{thread.key}.dat"
    thread_url = f"{uvicorn_server}/test/read.cgi/night/{thread.key}/"
    port = uvicorn_server.rsplit(":", 1)[1]
    cached = jdim_app.cache / f"127.0.0.1:{port}" / "night" / f"{thread.key}.dat"

    def cache_matches() -> bool:
        return cached.exists() and cached.read_bytes() == _served(dat_url)

    jdim_app.start(thread_url)
    _wait_until(cache_matches, "JDim's first download of the dat")
    first = cached.read_bytes()

    make_post(thread=thread, body="差分で届く書き込み")
    jdim_app.quit()
    jdim_app.start(thread_url)
    _wait_until(cache_matches, "JDim's differential update of the dat")

    updated = cached.read_bytes()
    assert updated.startswith(first) and len(updated) > len(first)
    assert updated.endswith(" 差分で届く書き込み <>\n".encode("cp932"))
