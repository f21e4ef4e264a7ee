"""A raid on one board: what readers see of it, and what it costs the people who were there.

Run by `make bench` (bench/run.py) or alone:
    .venv/bin/python -m config.launch exec .venv/bin/python -m bench.raid

Works in a database of its own (created beside DATABASE_URL's, dropped afterwards) and starts
uvicorn as `make run` does (config.launch.serve_command, DEBUG off) behind one trusted proxy
(TRUSTED_PROXY_COUNT=1, so X-Forwarded-For gives each bot its address), with the site's own
posting interval and the board's own thread quota. Loopback only.

The board `raid` holds 280 threads of the past week (capacity 300). Five regular posters have
established standing (forum.standing level 3). For ~10 s they post alone (the quiet baseline);
then for RAID_SECONDS (60) 300 bot addresses (150 IPv4, 150 IPv6 in 30 /64s; half through the
web forms, half through bbs.cgi in Shift_JIS) start threads and reply as fast as they are
allowed (bench/raid_clients.py) while the regulars go on posting.

Whether a raid thread or post is visible without review is decided as a reader decides it: an
anonymous GET of its thread answers 200 and the page shows its marker text.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from bench.raid_board import BOARD, WARM_UP_BOARD, Plan, bots_for, prepare
from bench.raid_clients import Regular, Tally, run_bot, run_regular
from bench.raid_http import ENCODING_2CH, Connection
from bench.raid_report import Result, count, report_table
from forum.poster import POSTER_COOKIE

ROOT = Path(__file__).resolve().parent.parent
WORKERS = os.environ.get("WEB_WORKERS", "2")
DATABASE = "yoake_bench_raid"


# --- The run --------------------------------------------------------------------------------------


def run(base: str, plan: Plan, report: Callable[[str], None] = print) -> Result:
    """Seed the board, run the baseline and the raid against `base`, then count and report."""
    from forum.floodcontrol import post_interval

    setup = prepare(plan)
    host, port = base.removeprefix("http://").rsplit(":", 1)
    bots = bots_for(plan)
    regulars = [
        Regular(r, f"203.0.113.{r + 1}", cookie, BOARD)
        for r, cookie in enumerate(setup.regular_cookies)
    ]
    tallies = {"web": Tally(), "bbs.cgi": Tally()}

    async def load() -> float:
        await warm_up(host, int(port), setup.warm_up_thread)
        started = time.monotonic()
        raid_at = started + plan.baseline_seconds
        stop_at = raid_at + plan.seconds
        keys = setup.thread_keys
        regular_tasks = [
            asyncio.ensure_future(run_regular(r, host, int(port), keys, plan.regular_pace, stop_at))
            for r in regulars
        ]
        await asyncio.sleep(raid_at - time.monotonic())
        # Bots arrive within the first second, not in one instant.
        bot_tasks = []
        for bot in bots:
            bot_tasks.append(
                asyncio.ensure_future(run_bot(bot, host, int(port), tallies[bot.channel], stop_at))
            )
            await asyncio.sleep(1.0 / max(1, len(bots)))
        await asyncio.gather(*regular_tasks, *bot_tasks)
        return raid_at

    raid_at = asyncio.run(load())
    result = Result(plan, tallies, regulars, raid_at, interval=post_interval(setup.board))
    count(result, setup, host, int(port))
    report_table(result, report)
    return result


async def warm_up(host: str, port: int, key: int, clients: int = 8) -> None:
    """Every worker imports, compiles and connects once before anything is measured: pages
    read, and posts through both forms on a board of their own."""

    async def client(n: int) -> None:
        http = Connection(host, port)
        form = "application/x-www-form-urlencoded"
        headers = {"X-Forwarded-For": f"10.72.0.{n + 1}", "Cookie": f"{POSTER_COOKIE}=warm{n}"}
        for path in (f"/{BOARD}/", f"/{BOARD}/subject.txt", f"/{WARM_UP_BOARD}/"):
            await http.request("GET", path, headers)
        reply = urllib.parse.urlencode({"body": f"warm-up {n}"}).encode()
        thread = f"/test/read.cgi/{WARM_UP_BOARD}/{key}/"
        await http.request("POST", thread, {**headers, "Content-Type": form}, reply)
        await http.request("GET", thread, headers)
        fields = {"bbs": WARM_UP_BOARD, "key": str(key), "MESSAGE": f"ウォームアップ {n}"}
        bbs = urllib.parse.urlencode(fields, encoding=ENCODING_2CH).encode()
        headers["X-Forwarded-For"] = f"10.72.2.{n + 1}"
        await http.request("POST", "/test/bbs.cgi", {**headers, "Content-Type": form}, bbs)
        await http.close()

    await asyncio.gather(*(client(n) for n in range(clients)))


# --- Alone, or as a section of `make bench` -------------------------------------------------------


def _env(database_url: str, secret: str, ip_secret: str) -> dict:
    """Production settings as the other benches use them, but behind one trusted proxy and with
    the site's own posting interval (the other benches set YOAKE_POST_INTERVAL=0)."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": secret,
        # The bench and the server must hash cookies alike (the regulars' standing).
        "IP_HASH_SECRET": ip_secret,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "TRUSTED_PROXY_COUNT": "1",
        "YOAKE_SURGE": "1",  # the raid is what surge detection is for
        "LOG_LEVEL": "ERROR",
        "WEB_WORKERS": WORKERS,
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.pop("YOAKE_POST_INTERVAL", None)
    return env


@contextmanager
def server(env: dict, log: Path):
    """uvicorn as `make run` starts it; its log (thousands of lines in a raid) goes to `log`."""
    # Imported here: config.launch imports Django settings, which wait for main().
    from config.launch import serve_command

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**env, "HOST": "127.0.0.1", "PORT": str(port)}
    with log.open("w") as output:
        process = subprocess.Popen(
            serve_command(env), cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2):  # noqa: S310 (loopback)
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    tail = log.read_text(errors="replace")[-3000:]
                    raise RuntimeError(f"the bench server did not start:\n{tail}") from None
                time.sleep(0.1)  # polling for readiness
        yield base
    finally:
        process.terminate()
        process.wait(15)


def log_summary(log: Path) -> str:
    """How often the server said the database did not answer, and its other lines."""
    lines = log.read_text(errors="replace").splitlines()
    said = [line for line in lines if "database unavailable" in line]
    first = (
        f"; the first said: {said[0].split('database unavailable: ', 1)[-1][:160]}" if said else ""
    )
    return (
        f"server log: {len(lines)} lines, {len(said)} of them 'database unavailable' "
        f"(PostgreSQL refused a connection or did not answer){first}"
    )


def main() -> int:
    if not os.environ.get("DATABASE_URL") or not os.environ.get("REDIS_URL"):
        print("bench.raid needs DATABASE_URL and REDIS_URL (run it under config.launch exec)")
        return 1
    # The same database helper as the 2channel bench: a fresh database, dropped afterwards.
    from bench.twoch import own_database

    # Fresh secrets each run (not BENCH_IP_HASH_SECRET): Samba strikes are kept in Redis for a
    # day under the address hashes, and a previous run's must not slow this one's bots.
    secret, ip_secret = secrets.token_urlsafe(50), secrets.token_urlsafe(50)
    with own_database(os.environ["DATABASE_URL"], DATABASE) as database_url:
        env = _env(database_url, secret, ip_secret)
        os.environ.update(env)
        os.environ.pop("YOAKE_POST_INTERVAL", None)
        # Imported here: Django loads only once main() has chosen the bench's database.
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0)
        call_command("collectstatic", "--noinput", verbosity=0)
        with tempfile.TemporaryDirectory() as folder:
            log = Path(folder) / "server.log"
            with server(env, log) as base:
                print(f"uvicorn, {WORKERS} worker processes, DEBUG off, one trusted proxy")
                run(base, Plan())
            print(log_summary(log))
        connections.close_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
