"""Real-time speed: chat fan-out to 200 and 1000 sockets, live thread updates to 100 and 2000
readers, and the memory of 10 000 idle sockets.

Run by `make bench` (bench/run.py) or alone:
    .venv/bin/python -m config.launch exec .venv/bin/python -m bench.realtime

Works in a database of its own (created beside DATABASE_URL's, dropped afterwards), starts two
uvicorn processes exactly as `make run` does (DEBUG off) against it and REDIS_URL, and measures
with real WebSocket clients (the `websockets` package) in this process:

- chat fan-out: CLIENTS sockets in one room, one sender at RATE messages/s for SECONDS s;
  delivery latency from send to arrival at each client, and messages lost (must be 0); first
  all on one process, then split over both (the sender on the first);
- thread live update: READERS sockets on one thread, POSTS replies over HTTP, one every
  1/POST_RATE s; latency from sending the POST to the fragment arriving at each reader.

Every time is measured by this one process's clock. Then the rows at scale (bench.realtime_crowds:
2000 readers of one thread, 1000 sockets in one room, 10 000 idle sockets and the servers'
memory), whose clients run in processes of their own. Sizes come from BENCH_RT_* variables.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bench.sockets import connect_all, marked, note_arrivals, open_socket, post_reply

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = int(os.environ.get("BENCH_RT_CLIENTS", "200"))
RATE = float(os.environ.get("BENCH_RT_RATE", "20"))
SECONDS = float(os.environ.get("BENCH_RT_SECONDS", "10"))
READERS = int(os.environ.get("BENCH_RT_READERS", "100"))
POSTS = int(os.environ.get("BENCH_RT_POSTS", "40"))
POST_RATE = float(os.environ.get("BENCH_RT_POST_RATE", "4"))
GRACE = 10.0  # seconds to wait for stragglers after the last answer
# More uvicorn flags to compare, e.g. BENCH_RT_UVICORN="--ws-per-message-deflate false".
UVICORN_EXTRA = os.environ.get("BENCH_RT_UVICORN", "").split()
PATIENCE = 60.0  # seconds to wait for the server to answer every message sent
DATABASE = "yoake_bench_realtime"


# --- a database of its own --------------------------------------------------------------------


def _admin_connection(url: str):
    # Imported here, like Django below: only the bench's set-up needs them.
    import psycopg2
    from dj_database_url import parse

    config = parse(url)
    connection = psycopg2.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )
    connection.autocommit = True
    return connection


@contextmanager
def own_database(url: str, name: str = DATABASE):
    """DATABASE_URL for a fresh database `name` beside `url`'s, dropped on the way out."""
    parts = urllib.parse.urlsplit(url)
    own = urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    admin = _admin_connection(url)
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {name}")
    try:
        yield own
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


# --- servers ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(database_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="bench.realtime_settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        IP_HASH_SECRET=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        YOAKE_POST_INTERVAL="0",
        YOAKE_SURGE="0",
        LOG_LEVEL=os.environ.get("BENCH_RT_LOG_LEVEL", "WARNING"),
        WEB_WORKERS="1",
        HOST="127.0.0.1",
    )
    return env


@contextmanager
def servers(count: int, database_url: str):
    """`count` uvicorn processes started as `make run` starts them; yields (ports, pids)."""
    # Imported here: config.launch imports Django settings, which wait for main().
    from config.launch import serve_command

    processes, ports = [], []
    try:
        for _ in range(count):
            port = free_port()
            env = {**server_env(database_url), "PORT": str(port)}
            command = [*serve_command(env), *UVICORN_EXTRA]
            processes.append(subprocess.Popen(command, cwd=ROOT, env=env))
            ports.append(port)
        for port in ports:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"server on {port} did not start") from None
                    time.sleep(0.1)  # polling for readiness
        yield ports, [process.pid for process in processes]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(15)


# --- measuring ----------------------------------------------------------------------------------


@dataclass
class Result:
    label: str
    clients: int
    sent: int
    latencies: list[float] = field(default_factory=list)  # ms, one per delivery
    lost: int = 0
    refused: int = 0
    server_cpu: float = 0.0  # seconds of CPU the server processes used during the run

    def percentile(self, fraction: float) -> float:
        values = sorted(self.latencies) or [float("nan")]
        return values[min(len(values) - 1, int(len(values) * fraction))]

    def row(self) -> str:
        values = sorted(self.latencies) or [float("nan")]
        per_delivery = self.server_cpu / max(1, len(self.latencies)) * 1e6
        return (
            f"{self.label:<48} {self.clients:>7} {self.sent:>5} {len(self.latencies):>9} "
            f"{self.lost:>5} {statistics.median(values):>7.1f} {self.percentile(0.99):>7.1f} "
            f"{values[-1]:>7.1f} {per_delivery:>9.0f}"
        )


HEADER = (
    f"{'':<48} {'clients':>7} {'sent':>5} {'delivered':>9} {'lost':>5} "
    f"{'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} {'CPU µs/d':>9}"
)


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes so far (Linux /proc)."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


async def chat_fanout(
    ports: list[int], label: str, room_slug: str, last: int, offset: int
) -> Result:
    listeners = await connect_all(ports, f"/ws/chat/{room_slug}/?last={last}", CLIENTS)
    sender = await open_socket(ports[0], f"/ws/chat/{room_slug}/?last={last}")
    arrivals = [{} for _ in listeners]
    stop = asyncio.Event()
    tasks = [
        asyncio.ensure_future(note_arrivals(s, "messages", a, stop))
        for s, a in zip(listeners, arrivals, strict=True)
    ]
    accepted, refused, sent_at = set(), 0, {}

    async def read_answers() -> None:
        nonlocal refused
        while not stop.is_set():
            try:
                frame = json.loads(await asyncio.wait_for(sender.recv(), timeout=0.5))
            except TimeoutError:
                continue
            if frame["type"] == "sent":
                accepted.add(int(frame["nonce"]) + offset)
            elif frame["type"] == "error":
                refused += 1

    answers = asyncio.ensure_future(read_answers())
    total = int(RATE * SECONDS)
    started = time.perf_counter()
    for n in range(total):
        await asyncio.sleep(max(0.0, started + n / RATE - time.perf_counter()))
        sent_at[offset + n] = time.perf_counter()
        body = marked(offset + n)
        await sender.send(json.dumps({"type": "send", "body": body, "nonce": str(n)}))
    # Every message answered first (accepted or refused), then every accepted one delivered.
    deadline = time.perf_counter() + PATIENCE
    while time.perf_counter() < deadline and len(accepted) + refused < total:
        await asyncio.sleep(0.05)
    refused += total - len(accepted) - refused  # never answered: counted against the run
    deadline = time.perf_counter() + GRACE
    while time.perf_counter() < deadline and any(len(a) < len(accepted) for a in arrivals):
        await asyncio.sleep(0.05)
    stop.set()
    await asyncio.gather(*tasks, answers)
    result = Result(label, CLIENTS, total, refused=refused)
    for got in arrivals:
        result.lost += len(accepted - set(got))
        result.latencies += [(got[n] - sent_at[n]) * 1000 for n in got if n in sent_at]
    for s in [*listeners, sender]:
        await s.close()
    return result


async def thread_updates(
    ports: list[int], label: str, thread_path: str, ws_path: str, offset: int
) -> Result:
    readers = await connect_all(ports, ws_path, READERS)
    arrivals = [{} for _ in readers]
    stop = asyncio.Event()
    tasks = [
        asyncio.ensure_future(note_arrivals(s, "posts", a, stop))
        for s, a in zip(readers, arrivals, strict=True)
    ]
    posted_at, failures = {}, 0
    started = time.perf_counter()
    for n in range(POSTS):
        await asyncio.sleep(max(0.0, started + n / POST_RATE - time.perf_counter()))
        posted_at[offset + n] = time.perf_counter()
        if await post_reply(ports[0], thread_path, marked(offset + n)) != 302:
            failures += 1
    deadline = time.perf_counter() + GRACE
    while time.perf_counter() < deadline and any(len(a) < POSTS - failures for a in arrivals):
        await asyncio.sleep(0.1)
    stop.set()
    await asyncio.gather(*tasks)
    result = Result(label, READERS, POSTS, refused=failures)
    for got in arrivals:
        result.lost += len(set(posted_at) - set(got)) - failures
        result.latencies += [(got[n] - posted_at[n]) * 1000 for n in got]
    for s in readers:
        await s.close()
    return result


# --- the run ------------------------------------------------------------------------------------


def _prepare():
    """Migrate the bench database and make a room and a thread through the domain functions."""
    # Imported here: Django loads only once main() has chosen the bench's database.
    import django

    django.setup()
    from django.core.management import call_command

    from chat.models import Room
    from forum.addresses import hash_address
    from forum.models import Board
    from forum.posting import Poster, create_thread

    call_command("migrate", verbosity=0)
    room = Room.objects.create(slug="bench", title_en="Bench", title_ja="ベンチ")
    board = Board.objects.create(slug="bench", title_en="Bench", title_ja="ベンチ")
    thread = create_thread(
        board, poster=Poster(hash_address("10.60.0.1")), title="bench", body="live bench"
    )
    return room, board, thread


def run(report: Callable[[str], None] = print) -> list:
    """Measure, then report the table line by line; returns the results."""
    base_url = os.environ.get("DATABASE_URL")
    if not base_url or not os.environ.get("REDIS_URL"):
        report("bench.realtime needs DATABASE_URL and REDIS_URL (run it under config.launch)")
        return []
    # Imported here: the rows at scale build on this module's servers and results.
    from bench import realtime_crowds as crowds
    from bench.crowd import client_processes, raise_open_files_limit

    raise_open_files_limit()  # the servers started below inherit it
    results: list = []
    with own_database(base_url) as database_url:
        os.environ["DATABASE_URL"] = database_url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        room, board, thread = _prepare()
        thread_path = thread.get_absolute_url()
        ws_path = f"/ws/thread/{board.slug}/{thread.key}/?last="

        async def measure(ports: list[int], pids: list[int]) -> int:
            # Each run marks its items with numbers of its own; `last` skips earlier history.
            chat_last, posts_last = 0, 1
            for run_number, (label, used) in enumerate(
                (("chat fan-out, 1 process", ports[:1]), ("chat fan-out, 2 processes", ports))
            ):
                offset = 100_000 * (run_number + 1)
                before = cpu_seconds(pids)
                results.append(await chat_fanout(used, label, room.slug, chat_last, offset))
                results[-1].server_cpu = cpu_seconds(pids) - before
                chat_last += int(RATE * SECONDS)
            for run_number, (label, used) in enumerate(
                (
                    ("thread live update, 1 process", ports[:1]),
                    ("thread live update, 2 processes", ports),
                )
            ):
                offset = 100_000 * (run_number + 1)
                path = f"{ws_path}{posts_last}"
                before = cpu_seconds(pids)
                results.append(await thread_updates(used, label, thread_path, path, offset))
                results[-1].server_cpu = cpu_seconds(pids) - before
                posts_last += POSTS
            path = f"{ws_path}{posts_last}"
            results.append(await crowds.thread_crowd(ports, pids, thread_path, path, 300_000))
            posts_last += sum(r.sent for r in results[-1].rounds)
            results.append(await crowds.chat_crowd(ports, pids, room.slug, chat_last, 300_000))
            return posts_last

        with servers(2, database_url) as (ports, pids):
            posts_last = asyncio.run(measure(ports, pids))
        # Fresh servers, so that "before" is a server's own memory, not the crowds' leftovers.
        with servers(2, database_url) as (ports, pids):
            idle = crowds.idle_sockets(ports, pids, f"{ws_path}{posts_last}")
        # Imported here: Django loads only once main() has chosen the bench's database.
        from django.db import connections

        connections.close_all()
    report("")
    report(
        f"Real-time on {os.cpu_count()} cores: uvicorn processes as `make run` starts them "
        f"(DEBUG off); the crowds' clients in {client_processes()} processes of their own"
    )
    report(
        f"chat: {CLIENTS} sockets in one room, 1 sender at {RATE:g} msg/s for {SECONDS:g} s; "
        f"thread: {READERS} readers, {POSTS} POSTs at {POST_RATE:g}/s"
    )
    report(
        f"at scale, median of {crowds.ROUNDS} rounds: thread: {crowds.CROWD} readers, "
        f"{crowds.CROWD_POSTS} POSTs at {POST_RATE:g}/s a round; chat: {crowds.ROOM} sockets, "
        f"1 sender at {crowds.ROOM_RATE:g} msg/s for {crowds.ROOM_SECONDS:g} s a round"
    )
    report(
        HEADER + "   (CPU µs/d: server CPU per delivered message; in the first four rows, "
        "joins included)"
    )
    for result in results:
        report(result.row() + (f"  ({result.refused} refused)" if result.refused else ""))
    for line in idle.rows():
        report(line)
    results.append(idle)
    return results


def main() -> int:
    results = run()
    measured = [r for r in results if hasattr(r, "lost")]
    return 0 if measured and all(r.lost == 0 and not r.refused for r in measured) else 1


if __name__ == "__main__":
    sys.exit(main())
