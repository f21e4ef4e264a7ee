"""2channel browsers' files: requests/s for a 1000-post dat against the same bytes served static.

Run by `make bench` (bench/run.py) or alone:
    .venv/bin/python -m config.launch exec .venv/bin/python -m bench.twoch

Works in a database of its own (created beside DATABASE_URL's, dropped afterwards), seeds one
thread of 1000 posts, writes its dat into STATIC_ROOT, starts uvicorn as `make run` does
(config.launch.serve_command, DEBUG off) and loads it with wrk:

- the whole dat (a browser's first download), and the dat as a static file;
- a resume, `Range: bytes=S-` for the last ten posts, against the same Range on the static file;
- the poll browsers make most: nothing new (If-Modified-Since + Range from the last byte → 304),
  against a static file answering If-Modified-Since with 304.

The dat comes from each process's copy (forum.pagecopies) checked against Redis
(forum.twoch.cache); the aim is 90% of the static rate, 80% for the poll.
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
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

from bench.wrk import median_of
from bench.wrk import wrk as load

# Django, the project and the database driver are imported inside the functions below: settings
# may only load once main() has pointed DATABASE_URL at the bench's own database.

ROOT = Path(__file__).resolve().parent.parent
DURATION = int(os.environ.get("BENCH_SECONDS", "3"))
# Each row: this many rounds, the dat and its static copy in turn, and the median of each.
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
WORKERS = os.environ.get("WEB_WORKERS", "2")
DATABASE = "yoake_bench_twoch"
BOARD = "bench2ch"
# Issue 15: every dat answer at 90% of the static file's rate or more, the 304 poll at 80%.
AIM = 0.9
AIM_POLL = 0.8
LINES = [
    "今日も眠れなくて、気づいたら朝の四時だった。",
    "I went to the convenience store today. First time in two weeks.",
    "> 外に出るのがこわい\nわかる。自分も玄関までで精一杯の日がある",
    "  ∧＿∧\n （　´∀｀）＜ おやすみ\n （　　　　）\n  ｜ ｜　|\n （_＿)＿）",
    "お母さんとちょっとだけ話せた。天気の話だけど😊",
    "Slept at 6 again. Trying to move it by 15 minutes a day.",
]


def _env() -> dict:
    """Production settings, as bench/run.py and the Dockerfile use them."""
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        "IP_HASH_SECRET": os.environ.get("BENCH_IP_HASH_SECRET") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "YOAKE_POST_INTERVAL": "0",
        "YOAKE_SURGE": "0",
        "LOG_LEVEL": "ERROR",
        "WEB_WORKERS": WORKERS,
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


@contextmanager
def own_database(url: str, name: str = DATABASE):
    """DATABASE_URL for a fresh database `name` beside `url`'s, dropped on the way out."""
    # Imported here, like Django below: only the bench's set-up needs them.
    import psycopg2
    from dj_database_url import parse

    config = parse(url)
    admin = psycopg2.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {name}")
    parts = urllib.parse.urlsplit(url)
    try:
        yield urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


def seed() -> tuple[str, bytes, int]:
    """A board with one 1000-post thread; returns (dat path, its bytes, offset of post 991)."""
    # Imported here: Django loads only once main() has chosen the bench's database.
    from django.core.management import call_command

    from forum.addresses import hash_address
    from forum.models import Board
    from forum.poster import Poster
    from forum.posting import create_post, create_thread
    from forum.twoch.files import render_dat

    call_command("migrate", verbosity=0)
    board = Board.objects.create(slug=BOARD, title_en="Bench", title_ja="ベンチ")
    random.seed(2)
    thread = create_thread(
        board, poster=Poster(hash_address("10.60.0.1")), title="眠れない夜のスレ", body=LINES[0]
    )
    for n in range(2, 1001):
        create_post(
            thread,
            poster=Poster(hash_address(f"10.61.{n % 40}.{n % 250}")),
            name=random.choice(["", "", "yoru#night", "名無し"]),
            mail=random.choice(["", "sage"]),
            body=f"{random.choice(LINES)}\n({n})",
        )
    path = f"/{BOARD}/dat/{thread.key}.dat"
    body = render_dat(BOARD, thread.key).body
    offset = len(b"\n".join(body.split(b"\n")[:990])) + 1
    return path, body, offset


def static_copy(body: bytes) -> str:
    """The same bytes as a file in STATIC_ROOT, which WhiteNoise serves (Range and IMS too)."""
    # Imported here: Django loads only once main() has chosen the bench's database.
    from django.conf import settings

    folder = Path(settings.STATIC_ROOT) / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "twoch.dat").write_bytes(body)
    # The gzip whitenoise sends to browsers that accept it: the bytes the dat's copy keeps.
    from forum.compression import gzipped

    (folder / "twoch.dat.gz").write_bytes(gzipped(body))
    return "/static/bench/twoch.dat"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def server(database_url: str):
    # Imported here: config.launch imports Django settings, which wait for main().
    from config.launch import serve_command

    port = _free_port()
    env = {**_env(), "DATABASE_URL": database_url, "HOST": "127.0.0.1", "PORT": str(port)}
    process = subprocess.Popen([*serve_command(env), "--log-level", "warning"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(f"{base}/healthz")
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the bench server did not start") from None
                time.sleep(0.1)  # polling for readiness
        yield base
    finally:
        process.terminate()
        process.wait(15)


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[http.client.HTTPResponse, bytes]:
    """One request to the local bench server: the response and its body, read to the end."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    try:
        connection.request("GET", parts.path, headers=headers or {})
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


def wrk(url: str, headers: dict[str, str] | None = None) -> dict:
    return load(url, duration=DURATION, connections=CONNECTIONS, headers=headers)


def paired(url: str, static_url: str, headers=None, static_headers=None) -> tuple[dict, dict]:
    """The dat and its static copy, in turn ROUNDS times: each figure's median."""
    runs = [(wrk(url, headers), wrk(static_url, static_headers or headers)) for _ in range(ROUNDS)]
    return median_of([run[0] for run in runs]), median_of([run[1] for run in runs])


def _status(url: str, headers: dict[str, str]) -> int:
    return _get(url, headers)[0].status


def main() -> int:
    if not shutil.which("wrk"):
        print("bench.twoch needs wrk (Debian: apt-get install wrk)")
        return 1
    if not os.environ.get("DATABASE_URL") or not os.environ.get("REDIS_URL"):
        print("bench.twoch needs DATABASE_URL and REDIS_URL (run it under config.launch exec)")
        return 1
    with own_database(os.environ["DATABASE_URL"]) as database_url:
        os.environ.update({**_env(), "DATABASE_URL": database_url})
        # Imported here: Django loads only once main() has chosen the bench's database.
        import django

        django.setup()
        started = time.perf_counter()
        dat_path, body, offset = seed()
        static_path = static_copy(body)
        print(
            f"seeded a 1000-post thread ({len(body):,} bytes of dat) "
            f"in {time.perf_counter() - started:.1f} s"
        )
        with server(database_url) as base:
            dat_url, static_url = base + dat_path, base + static_path
            modified = _get(dat_url)[0].headers["Last-Modified"]
            static_modified = _get(static_url)[0].headers["Last-Modified"]
            tail = {"Range": f"bytes={offset}-"}
            poll = {"If-Modified-Since": modified, "Range": f"bytes={len(body) - 1}-"}
            static_poll = {"If-Modified-Since": static_modified}
            checks = {
                "dat 206": _status(dat_url, tail) == 206,
                "static 206": _status(static_url, tail) == 206,
                "dat 304": _status(dat_url, poll) == 304,
                "static 304": _status(static_url, static_poll) == 304,
            }
            gzip = {"Accept-Encoding": "gzip"}
            rows = [
                ("whole dat (200)", *paired(dat_url, static_url)),
                ("whole dat, gzip (200)", *paired(dat_url, static_url, gzip)),
                ("resume, last 10 posts (206)", *paired(dat_url, static_url, tail)),
                ("poll, nothing new (304)", *paired(dat_url, static_url, poll, static_poll)),
            ]
            wire = len(_get(dat_url, gzip)[1])
        # Imported here: Django loads only once main() has chosen the bench's database.
        from django.db import connections

        connections.close_all()
    print()
    print(
        f"uvicorn, {WORKERS} worker processes, DEBUG off, wrk -t2 -c{CONNECTIONS} -d{DURATION}s, "
        f"{os.cpu_count()} cores, median of {ROUNDS} rounds"
    )
    print(
        f"{'':<30} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} | "
        f"{'static':>9} {'p50 ms':>8} {'p99 ms':>8} | {'ratio':>6}"
    )
    ratios = []
    for label, page, static in rows:
        ratio = page["rps"] / static["rps"]
        ratios.append(ratio)
        errors = page["errors"] + static["errors"]
        print(
            f"{label:<30} {page['rps']:>9.0f} {page['p50']:>8.2f} {page['p99']:>8.2f} | "
            f"{static['rps']:>9.0f} {static['p50']:>8.2f} {static['p99']:>8.2f} | {ratio:>6.0%}"
            + (f"  ({errors} unexpected statuses)" if errors else "")
        )
    print(f"whole dat, gzip: {wire:,} of {len(body):,} bytes on the wire ({wire / len(body):.1%})")
    print(f"statuses as expected: {all(checks.values())} {checks}")
    print(
        f"aim: at least {AIM:.0%} of the static rate ({AIM_POLL:.0%} for the poll); "
        f"lowest here {min(ratios):.0%}"
    )
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
