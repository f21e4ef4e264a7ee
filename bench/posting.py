"""Posting speed: many posters replying at once, into one thread and spread over eight.

Run by `make bench` (bench/run.py) or alone:
    .venv/bin/python -m config.launch exec .venv/bin/python -m bench.posting

Works in a database of its own (created beside DATABASE_URL's, dropped afterwards) and starts
uvicorn as bench/run.py does (its `server()`: DEBUG off, no post interval, no surge, WEB_WORKERS
processes) against it and REDIS_URL. The posters are real HTTP clients in this process, each on
a keep-alive socket of its own, each a poster of its own: its own cookie, and its own address in
X-Forwarded-For (the servers trust one proxy hop, as production behind its proxy does); they
arrive ARRIVAL_GAP apart and then post as fast as they are answered. Every post goes the whole
way: flood control, bans, word filters, risk language, numbering, audit, page cache and
2channel files dropped, live frames sent.

Each row is the median of ROUNDS rounds, each round into fresh threads: posts/s, p50 and p99 of
the time from sending a POST to its answer, answers other than the redirect to the new post,
whether every thread's numbers run 1..N with no gap or repeat, the servers' CPU time per post
(user + system of every uvicorn process, from /proc), the busiest process's share of it, and
PostgreSQL's CPU time per post. Sizes come from BENCH_POSTING_*.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.realtime import cpu_seconds, own_database

MAX_POSTS_PER_THREAD = 1000  # forum.models' cap (importing it would set Django up too early)

ROUNDS = int(os.environ.get("BENCH_POSTING_ROUNDS", "3"))
# Posts per round: about four seconds each at the speed asked of posting.
ONE_THREAD_POSTS = int(os.environ.get("BENCH_POSTING_ONE_THREAD", "600"))
SPREAD_POSTS = int(os.environ.get("BENCH_POSTING_SPREAD", "1000"))
WARM_UP_POSTS = 64
ARRIVAL_GAP = float(os.environ.get("BENCH_POSTING_ARRIVAL_GAP", "0.01"))  # seconds
DATABASE = "yoake_bench_posting"
# (label, posters, threads, posts per round)
SHAPES = (
    ("posting, 16 posters, 1 thread", 16, 1, ONE_THREAD_POSTS),
    ("posting, 32 posters, 8 threads", 32, 8, SPREAD_POSTS),
)


@dataclass
class Round:
    rate: float  # posts/s
    p50: float  # ms
    p99: float  # ms
    errors: int
    exact: bool
    cpu_per_post: float  # ms of server CPU
    busiest: float  # the busiest process's share of that CPU
    database_cpu_per_post: float  # ms of PostgreSQL's CPU (all its processes)


def _children(pid: int) -> list[int]:
    return [
        int(child)
        for task in Path(f"/proc/{pid}/task").iterdir()
        for child in (task / "children").read_text().split()
    ]


def server_pids() -> list[int]:
    """The uvicorn processes this process started (bench.run.server): the master, and the
    workers it spawned (whose command line is multiprocessing's, not uvicorn's)."""
    masters = [
        pid
        for pid in _children(os.getpid())
        if b"uvicorn" in Path(f"/proc/{pid}/cmdline").read_bytes()
    ]
    found, todo = list(masters), list(masters)
    while todo:
        children = _children(todo.pop())
        found += children
        todo += children
    return found


async def post_concurrently(base: str, paths: list[str], posters: int, total: int, tag: str):
    """`posters` clients over keep-alive sockets, poster i replying to paths[i % len(paths)],
    until `total` posts; returns (latencies in ms, failures, seconds)."""
    host, port = base.removeprefix("http://").split(":")
    remaining = iter(range(total))
    latencies: list[float] = []
    failures = 0

    async def poster(index: int) -> None:
        nonlocal failures
        path = paths[index % len(paths)]
        # Posters arrive one after another, not in one instant: a burst of connections is all
        # taken by whichever worker process wakes first, and keep-alive keeps them there.
        await asyncio.sleep(index * ARRIVAL_GAP)
        reader, writer = await asyncio.open_connection(host, int(port))
        for n in remaining:
            body = f"body=bench+post+{tag}-{index}-{n}&mail=sage".encode()
            request = (
                f"POST {path} HTTP/1.1\r\nHost: {host}\r\nCookie: yoake_poster=bench{index}\r\n"
                f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}"
                f"\r\nX-Forwarded-For: 10.40.{index}.1\r\n\r\n"
            ).encode() + body
            started = time.perf_counter()
            writer.write(request)
            await writer.drain()
            status_line = await reader.readline()
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if length:
                await reader.readexactly(length)
            latencies.append((time.perf_counter() - started) * 1000)
            if b" 302 " not in status_line:
                failures += 1
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(poster(i) for i in range(posters)))
    return latencies, failures, time.perf_counter() - started


def numbering_is_exact(thread) -> bool:
    """Every number 1..N once, N being the thread's count."""
    from forum.models import Post

    thread.refresh_from_db()
    numbers = sorted(Post.objects.filter(thread=thread).values_list("number", flat=True))
    return numbers == list(range(1, thread.post_count + 1))


def new_threads(board, count: int, tag: str) -> list:
    from forum.addresses import hash_address
    from forum.posting import Poster, create_thread

    starter = Poster(hash_address("10.50.0.1"), "bench-starter")
    return [
        create_thread(board, poster=starter, title=f"bench {tag} {n}", body=f"bench {tag} {n}")
        for n in range(count)
    ]


def postmaster_pid() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW data_directory")
        folder = Path(cursor.fetchone()[0])
    return int((folder / "postmaster.pid").read_text().split()[0])


def database_cpu_seconds(postmaster: int) -> float:
    """CPU of PostgreSQL so far: the postmaster, the backends it has reaped (one per request,
    as Django opens a connection per request) and those still running."""
    total = 0
    for pid in [postmaster, *_children(postmaster)]:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:  # a backend that ended meanwhile: counted once reaped
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
        if pid == postmaster:
            total += int(fields[13]) + int(fields[14])  # cutime, cstime: reaped backends
    return total / os.sysconf("SC_CLK_TCK")


def one_round(base: str, pids: list[int], board, posters: int, threads: int, total: int, tag):
    targets = new_threads(board, threads, tag)
    postmaster = postmaster_pid()
    database_before = database_cpu_seconds(postmaster)
    before = [cpu_seconds([pid]) for pid in pids]
    latencies, failures, seconds = asyncio.run(
        post_concurrently(base, [t.get_absolute_url() for t in targets], posters, total, tag)
    )
    used = [cpu_seconds([pid]) - start for pid, start in zip(pids, before, strict=True)]
    cpu = sum(used)
    database_cpu = database_cpu_seconds(postmaster) - database_before
    latencies.sort()
    return Round(
        rate=len(latencies) / seconds,
        p50=latencies[len(latencies) // 2],
        p99=latencies[int(len(latencies) * 0.99) - 1],
        errors=failures,
        exact=all(numbering_is_exact(t) for t in targets),
        cpu_per_post=cpu / len(latencies) * 1000,
        busiest=max(used) / cpu if cpu else 0.0,
        database_cpu_per_post=database_cpu / len(latencies) * 1000,
    )


HEADER = (
    f"{'':<32} {'posts/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} {'exact':>5} "
    f"{'CPU ms/post':>11} {'busiest':>7} {'DB ms/post':>10}"
)


def row(label: str, rounds: list[Round]) -> str:
    def median(name: str) -> float:
        return statistics.median(getattr(r, name) for r in rounds)

    return (
        f"{label:<32} {median('rate'):>8.0f} {median('p50'):>7.1f} {median('p99'):>7.1f} "
        f"{sum(r.errors for r in rounds):>6} {all(r.exact for r in rounds)!s:>5} "
        f"{median('cpu_per_post'):>11.2f} {median('busiest'):>7.0%} "
        f"{median('database_cpu_per_post'):>10.2f}"
    )


def main() -> int:
    base_url = os.environ.get("DATABASE_URL")
    if not base_url or not os.environ.get("REDIS_URL"):
        print("bench.posting needs DATABASE_URL and REDIS_URL (run it under config.launch)")
        return 1
    if any(total > (MAX_POSTS_PER_THREAD - 1) * threads for _, _, threads, total in SHAPES):
        print(f"bench.posting: at most {MAX_POSTS_PER_THREAD - 1} posts per thread and round")
        return 1
    with own_database(base_url, DATABASE) as database_url:
        os.environ["DATABASE_URL"] = database_url
        # Each poster's address comes from X-Forwarded-For, as behind production's proxy.
        os.environ["TRUSTED_PROXY_COUNT"] = "1"
        # Imported here: bench.run sets up Django (production settings) for this database.
        from django.core.management import call_command
        from django.db import connections

        from bench.run import WORKERS, server
        from forum.models import Board

        call_command("migrate", verbosity=0)
        call_command("collectstatic", "--noinput", verbosity=0)
        board = Board.objects.create(
            slug="bench", title_en="Bench", title_ja="ベンチ", threads_per_hour=1_000_000
        )
        results = []
        with server() as base:
            pids = server_pids()
            one_round(base, pids, board, 16, 1, WARM_UP_POSTS, "warm")  # every worker's imports
            for shape, (label, posters, threads, total) in enumerate(SHAPES):
                rounds = [
                    one_round(base, pids, board, posters, threads, total, f"s{shape}r{n}")
                    for n in range(ROUNDS)
                ]
                results.append((label, rounds))
        connections.close_all()
    print()
    print(
        f"Posting on {os.cpu_count()} cores: uvicorn, {WORKERS} worker processes, DEBUG off; "
        f"posters on keep-alive sockets in one process; median of {ROUNDS} rounds"
    )
    print(HEADER)
    print(
        "(exact: every thread numbered 1..N; CPU: all uvicorn processes, the busiest one's "
        "share of it, and PostgreSQL's CPU)"
    )
    for label, rounds in results:
        print(row(label, rounds))
    return 0 if all(r.exact and not r.errors for _, rounds in results for r in rounds) else 1


if __name__ == "__main__":
    sys.exit(main())
