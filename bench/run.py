"""`make bench`: Yoake's speed, measured as ratios against static files served by the same server.

Seeds a board of 300 threads and a thread of 1000 realistic posts on real PostgreSQL and Redis,
starts uvicorn as production does (DEBUG off, WEB_WORKERS processes), loads it with wrk from
another process and prints requests/s and p50/p99 for each page next to the same bytes served
as a static file, and exact query counts. The other benches (posting, search, 2channel files,
real-time, a raid) run afterwards if present.
"""

from __future__ import annotations

import http.client
import os
import random
import secrets
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager, suppress
from datetime import timedelta
from email.message import Message
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DURATION = int(os.environ.get("BENCH_SECONDS", "3"))
# Each row is measured this many times, the page and its static copy in turn, and the median
# of each is printed: on a 2-core machine one run can be off by a third.
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
WORKERS = os.environ.get("WEB_WORKERS", "2")


def production_env() -> dict:
    env = dict(os.environ)
    env.update(
        DEBUG="0",
        SECRET_KEY=env.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        IP_HASH_SECRET=env.get("BENCH_IP_HASH_SECRET") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECURE_SSL_REDIRECT="0",
        YOAKE_POST_INTERVAL="0",
        YOAKE_SURGE="0",  # a load test, not a raid (bench/raid.py has its own)
        WEB_WORKERS=WORKERS,
        LOG_LEVEL="ERROR",
    )
    return env


os.environ.update(production_env())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.wrk import median_of  # noqa: E402
from bench.wrk import wrk as load  # noqa: E402
from forum import compression  # noqa: E402
from forum.addresses import hash_address  # noqa: E402
from forum.models import Board, Thread  # noqa: E402
from forum.poster import Poster  # noqa: E402
from forum.posting import create_post, create_thread  # noqa: E402
from forum.standing import cookie_hash, note_seen  # noqa: E402

SEED_KEY = "bench-seed"
MONTH = timedelta(days=30)

SAMPLE_LINES = [
    "今日も眠れなくて、気づいたら朝の四時だった。",
    "I went to the convenience store today. First time in two weeks.",
    "> 外に出るのがこわい\nわかる。自分も玄関までで精一杯の日がある",
    "Has anyone tried the support station in their town? What was it like?",
    "お母さんとちょっとだけ話せた。天気の話だけど。",
    "Reading https://example.org/steps helped me a bit, maybe it helps you too.",
    "  ∧＿∧\n （　´∀｀）＜ おやすみ\n （　　　　）\n  ｜ ｜　|\n （_＿)＿）",
    "Slept at 6 again. Trying to move it by 15 minutes a day.",
    "ゲームのイベント、今夜までだよ",
    "Thank you all. Reading this thread at night makes it less lonely.",
]


def realistic_body(n: int) -> str:
    parts = []
    if n > 2 and random.random() < 0.4:
        parts.append(f">>{random.randint(1, n - 1)}")
    parts.append(random.choice(SAMPLE_LINES))
    if random.random() < 0.3:
        parts.append(random.choice(SAMPLE_LINES))
    return "\n".join(parts) + f"\n({n})"


def seed() -> tuple[Board, Thread]:
    call_command("migrate", verbosity=0)
    call_command("seed", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    board = Board.objects.get(slug="night")
    Board.objects.filter(pk=board.pk).update(capacity=300, threads_per_hour=100_000)
    board.refresh_from_db()
    random.seed(7)
    # One browser that has posted before writes the seed, so its links are its to share
    # (forum.links); a month old, it is no newcomer either.
    note_seen(cookie_hash(Poster(hash_address("10.20.0.0"), SEED_KEY)), timezone.now() - MONTH)
    started = time.perf_counter()
    for n in range(300):
        create_thread(
            board,
            poster=Poster(hash_address(f"10.20.{n // 200}.{n % 200}"), SEED_KEY),
            title=f"眠れない夜のスレ part{n} / sleepless thread {n}",
            body=realistic_body(1),
        )
    big = Thread.objects.filter(board=board).order_by("-key").first()
    for n in range(2, 1001):
        create_post(
            big,
            poster=Poster(hash_address(f"10.30.{n % 40}.{n % 250}"), SEED_KEY),
            name=random.choice(["", "", "", "yoru#night", "名無し"]),
            mail=random.choice(["", "", "sage"]),
            body=realistic_body(n),
        )
    print(f"seeded 300 threads and a 1000-post thread in {time.perf_counter() - started:.1f} s")
    return board, big


def query_counts(board: Board, thread: Thread) -> dict[str, int]:
    client = Client()
    counts = {}
    settings.YOAKE_PAGE_CACHE = False
    for label, url in (
        ("thread page, 1000 posts", thread.get_absolute_url()),
        ("thread page, l50", thread.get_absolute_url() + "l50"),
        ("board page, 300 threads", board.get_absolute_url()),
        ("home page", "/"),
    ):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[label] = len(queries)
    settings.YOAKE_PAGE_CACHE = True
    return counts


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The uvicorn parent process of each server started here, by its base URL.
SERVERS: dict[str, int] = {}
TICK = os.sysconf("SC_CLK_TCK")


def _process_tree(pid: int) -> list[int]:
    pids = [pid]
    with suppress(OSError):
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        for child in children:
            pids += _process_tree(int(child))
    return pids


def server_cpu_seconds(base: str) -> float:
    """User and system CPU time of a server's processes so far (uvicorn and its workers)."""
    total = 0
    for pid in _process_tree(SERVERS[base]):
        with suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICK


@contextmanager
def server(extra_env: dict | None = None):
    port = free_port()
    env = production_env()
    env.update(extra_env or {})
    command = [
        sys.executable, "-m", "uvicorn", "config.asgi:application",
        "--host", "127.0.0.1", "--port", str(port), "--workers", WORKERS,
        "--no-access-log", "--no-proxy-headers", "--lifespan", "off", "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.1)
    try:
        base = f"http://127.0.0.1:{port}"
        SERVERS[base] = process.pid
        # Warm every worker's imports and the page cache before measuring.
        subprocess.run(["wrk", "-t1", "-c4", "-d1s", f"{base}/"], capture_output=True, check=False)
        yield base
    finally:
        process.terminate()
        process.wait(15)


def wrk(url: str, *, headers: dict | None = None, base: str | None = None) -> dict:
    """One load of `url`; with `base`, that server's CPU per request too."""
    return load(
        url,
        duration=DURATION,
        connections=CONNECTIONS,
        headers=headers,
        cpu_seconds=(lambda: server_cpu_seconds(base)) if base else None,
    )


def pair(base: str, url: str, static_url: str | None, headers: dict | None = None):
    """The page and its static copy, measured in turn ROUNDS times: (page, static) medians."""
    pages, statics = [], []
    for _ in range(ROUNDS):
        pages.append(wrk(base + url, headers=headers, base=base))
        if static_url:
            statics.append(wrk(base + static_url, headers=headers, base=base))
    return median_of(pages), median_of(statics) if statics else None


def answer_of(base: str, url: str, headers: dict | None = None) -> tuple[bytes, Message]:
    """One GET: the body as it came over the wire, and the response's headers."""
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", url, headers=headers or {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return body, response.headers


def static_copy(name: str, body: bytes) -> str:
    """`body` as a static file, with the gzip and brotli copies whitenoise serves in its place
    to readers who accept them (the same bytes the page cache stores: forum.compression)."""
    folder = Path(settings.STATIC_ROOT) / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(body)
    (folder / f"{name}.gz").write_bytes(compression.gzipped(body))
    (folder / f"{name}.br").write_bytes(compression.brotli_compressed(body))
    return f"/static/bench/{name}"


def row(label: str, page: dict, static: dict | None = None, *, wire: str = "") -> str:
    text = f"{label:<40} {page['rps']:>8.0f} {page['p50']:>7.2f} {page['p99']:>7.2f}"
    text += f" {page['cpu_ms']:>6.2f}"
    if static:
        text += f" | {static['rps']:>8.0f} {static['p50']:>7.2f} {static['p99']:>7.2f}"
        text += f" {static['cpu_ms']:>6.2f} | {page['rps'] / static['rps']:>6.0%}"
    if wire:
        text += f"  {wire}"
    if page.get("errors") or (static or {}).get("errors"):
        text += f"  ({page['errors'] + (static or {}).get('errors', 0)} non-2xx/3xx)"
    return text


CODINGS = {"plain": {}, "gzip": {"Accept-Encoding": "gzip"}, "br": {"Accept-Encoding": "gzip, br"}}


def main() -> int:
    if not shutil.which("wrk"):
        print("make bench needs wrk (Debian: apt-get install wrk)")
        return 1
    board, big = seed()
    counts = query_counts(board, big)
    client = Client()
    pages = {
        "thread page, 1000 posts": big.get_absolute_url(),
        "thread page, l50": big.get_absolute_url() + "l50",
        "board page, 300 threads": board.get_absolute_url(),
        "home page": "/",
    }
    statics = {}
    for index, (label, url) in enumerate(pages.items()):
        statics[label] = static_copy(f"page{index}.html", client.get(url).content)
    print(
        f"\nuvicorn, {WORKERS} worker processes, DEBUG off, wrk -t2 -c{CONNECTIONS} -d{DURATION}s, "
        f"median of {ROUNDS} rounds (page and static copy in turn); cpu = server CPU ms per request"
    )
    header = f"{'':<40} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'cpu':>6} |"
    print(header + f" {'static':>8} {'p50 ms':>7} {'p99 ms':>7} {'cpu':>6} | {'ratio':>6}")
    cached = {}
    with server() as base:
        for label, url in pages.items():
            cached[label], static = pair(base, url, statics[label])
            print(row(label, cached[label], static), flush=True)
        print("compressed (whitenoise serving its own .gz / .br copy of the same bytes):")
        for coding in ("gzip", "br"):
            for label, url in pages.items():
                size = len(answer_of(base, url, CODINGS[coding])[0])
                plain = len(answer_of(base, url)[0])
                wire = f"{size} of {plain} bytes ({size / plain:.1%})"
                page, static = pair(base, url, statics[label], CODINGS[coding])
                print(row(f"{label}, {coding}", page, static, wire=wire), flush=True)
        big_url, big_static = pages["thread page, 1000 posts"], statics["thread page, 1000 posts"]
        page, _ = pair(base, big_url, None, {"If-None-Match": answer_of(base, big_url)[1]["ETag"]})
        unchanged = {"If-None-Match": answer_of(base, big_static)[1]["ETag"]}
        static, _ = pair(base, big_static, None, unchanged)
        print(row("thread page, 1000 posts, unchanged (304)", page, static), flush=True)
    print("page cache off (ratio: of the same page cached, above):")
    with server({"YOAKE_PAGE_CACHE": "0"}) as base:
        for label, url in pages.items():
            page = pair(base, url, None)[0]
            print(row(f"{label}, page cache off", page, cached[label]), flush=True)
    print()
    print("SQL queries per request (page cache off):")
    for label, count in counts.items():
        print(f"  {label:<32} {count}")
    modules = ("bench.posting", "bench.search", "bench.twoch", "bench.realtime", "bench.cluster")
    for module in (*modules, "bench.raid"):
        module_path = ROOT / (module.replace(".", "/") + ".py")
        if module_path.exists():
            print(f"\n== {module} ==", flush=True)
            subprocess.run(
                [sys.executable, "-m", module], cwd=ROOT, env=dict(os.environ), check=False
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
