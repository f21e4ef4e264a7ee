"""`config.launch` with the embedded servers, for real: `exec` beside a running `make run` uses its
PostgreSQL and Redis and leaves them running; Ctrl-C stops `run` in order, without a traceback.

Each test keeps its servers in a temporary folder (YOAKE_VAR_DIR), never in the checkout's var/.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest
import redis
from websockets.sync.client import connect as websocket

from config.embedded import EmbeddedPostgres, EmbeddedRedis, remove_tree, short_temp_dir
from tests.browser.conftest import ROOT, free_port, wait_until_healthy

# What the command under `exec` reports: which servers it reached.
PROBE = """
import json, os, psycopg2, redis
db = psycopg2.connect(os.environ["DATABASE_URL"])
with db.cursor() as cursor:
    cursor.execute("SELECT pg_postmaster_start_time()")
    started = str(cursor.fetchone()[0])
db.close()
redis_pid = redis.Redis.from_url(os.environ["REDIS_URL"]).info("server")["process_id"]
print(json.dumps({"postgres_started": started, "redis_pid": redis_pid}))
"""


@pytest.fixture
def var_dir():
    path = short_temp_dir("yoake-var-")
    yield path
    remove_tree(path)


def launch_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of `make run` on a fresh machine: no server URLs, so embedded servers."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    return {**env, "YOAKE_VAR_DIR": str(var_dir), **extra}


def launch_exec(var_dir: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "config.launch", "exec", sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=launch_env(var_dir),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def postgres_started(url: str) -> str:
    db = psycopg2.connect(url)
    try:
        with db.cursor() as cursor:
            cursor.execute("SELECT pg_postmaster_start_time()")
            return str(cursor.fetchone()[0])
    finally:
        db.close()


def test_exec_beside_a_running_site_uses_its_servers_and_leaves_them_running(var_dir):
    # The servers `run` starts: durable PostgreSQL and persistent Redis under the var folder.
    pg, cache = EmbeddedPostgres(var_dir / "pg"), EmbeddedRedis(var_dir / "redis")
    try:
        pg_url, redis_url = pg.start(), cache.start()
        before = postgres_started(pg_url)

        reached = launch_exec(var_dir)

        assert reached == {"postgres_started": before, "redis_pid": cache.process.pid}
        assert cache.process.poll() is None and cache.socket_path.exists()
        assert redis.Redis.from_url(redis_url).ping()
        assert postgres_started(pg_url) == before
    finally:
        cache.stop()
        pg.stop()


def test_exec_alone_starts_its_own_servers_and_stops_them(var_dir):
    reached = launch_exec(var_dir)
    assert reached["redis_pid"] and reached["postgres_started"]
    assert not (var_dir / "redis" / "redis.sock").exists()
    assert not (var_dir / "pg" / "postmaster.pid").exists()


def test_ctrl_c_stops_the_site_and_its_servers_without_a_traceback(var_dir):
    port = free_port()
    log = var_dir / "run.log"
    with log.open("w") as output:
        run = subprocess.Popen(
            [sys.executable, "-m", "config.launch", "run"],
            cwd=ROOT,
            env=launch_env(var_dir, PORT=str(port), HOST="127.0.0.1", DEBUG="1", WEB_WORKERS="1"),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a process group of its own, like a terminal's job
        )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_healthy(url, run, log, timeout=90)
        # An open chat socket: its channel-layer receive task is what saw Redis vanish before.
        with websocket(f"ws://127.0.0.1:{port}/ws/chat/lounge/", origin=url, open_timeout=10):
            os.killpg(run.pid, signal.SIGINT)  # what Ctrl-C sends: the whole process group
            assert run.wait(30) == 0
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
            run.wait()
    output = log.read_text()
    assert "Traceback" not in output and "Unexpected exception" not in output, output
    assert not (var_dir / "redis" / "redis.sock").exists()
    assert not (var_dir / "pg" / "postmaster.pid").exists()
