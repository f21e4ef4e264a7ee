"""`make bench`: Yoake's speed, measured as ratios against static files served by the same server.

Seeds a board of 300 threads and a thread of 1000 realistic posts on real PostgreSQL and Redis,
starts uvicorn as production does (DEBUG off, WEB_WORKERS processes), loads it with wrk from
another process and prints requests/s and p50/p99 for each page next to the same bytes served
as a static file, and exact query counts. The other benches (posting, search, 2channel files,
real-time, a raid) run afterwards if present.
"""

from __future__ import annotations

import os
import random
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DURATION = int(os.environ.get("BENCH_SECONDS", "8"))
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
        # Warm every worker's imports and the page cache before measuring.
        subprocess.run(["wrk", "-t1", "-c4", "-d1s", f"{base}/"], capture_output=True, check=False)
        yield base
    finally:
        process.terminate()
        process.wait(15)


def wrk(url: str, *, headers: dict | None = None) -> dict:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}s", "--latency", url]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)

    def percentile(p: str) -> float:
        value, unit = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", output).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return {
        "rps": rate,
        "p50": percentile("50"),
        "p99": percentile("99"),
        "errors": int(non_2xx.group(1)) if non_2xx else 0,
    }


def static_copy(name: str, body: bytes) -> str:
    folder = Path(settings.STATIC_ROOT) / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(body)
    return f"/static/bench/{name}"


def row(label: str, page: dict, static: dict | None = None) -> str:
    text = f"{label:<34} {page['rps']:>9.0f} {page['p50']:>8.2f} {page['p99']:>8.2f}"
    if static:
        text += f" | {static['rps']:>9.0f} {static['p50']:>8.2f} {static['p99']:>8.2f}"
        text += f" | {page['rps'] / static['rps']:>6.0%}"
    if page.get("errors"):
        text += f"  ({page['errors']} non-2xx/3xx)"
    return text


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
    results = []
    with server() as base:
        for label, url in pages.items():
            results.append((label, wrk(base + url), wrk(base + statics[label])))
    with server({"YOAKE_PAGE_CACHE": "0"}) as base:
        uncached = wrk(base + big.get_absolute_url())

    print()
    print(f"uvicorn, {WORKERS} worker processes, DEBUG off, wrk -t2 -c{CONNECTIONS} -d{DURATION}s")
    header = f"{'':<34} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} | {'static':>9} {'p50 ms':>8}"
    print(header + f" {'p99 ms':>8} | {'ratio':>6}")
    for label, page, static in results:
        print(row(label, page, static))
    print(row("thread page, 1000 posts, no cache", uncached))
    print()
    print("SQL queries per request (page cache off):")
    for label, count in counts.items():
        print(f"  {label:<32} {count}")
    for module in (
        "bench.posting",
        "bench.search",
        "bench.twoch",
        "bench.realtime",
        "bench.cluster",
        "bench.raid",
    ):
        module_path = ROOT / (module.replace(".", "/") + ".py")
        if module_path.exists():
            print(f"\n== {module} ==", flush=True)
            subprocess.run(
                [sys.executable, "-m", module], cwd=ROOT, env=dict(os.environ), check=False
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
