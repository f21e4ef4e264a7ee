"""The `cluster` rows of `make bench`: the 1000-post thread, from the page cache and rendered each
time, through nginx in front of two hosts against the same straight from one of them, in one run.

Run by `make bench` (bench/run.py) or alone (needs nginx and wrk):
    .venv/bin/python -m bench.cluster

Starts config.cluster's topology in a temporary folder, durable and with DEBUG off (a PostgreSQL
primary and its streaming replica, two Redis servers, two uvicorn hosts of WEB_WORKERS processes
each, nginx in front), seeds one thread of 1000 posts and loads it with wrk. "Rendered each time"
is the same page with a query string, which the page cache never keeps: Django renders it from
the replica, as it does a page cache miss.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys

from bench.twoch import CONNECTIONS, DURATION, wrk
from config.cluster import Cluster, free_port, nginx_binary
from config.embedded import remove_tree, short_temp_dir
from config.launch import ROOT, prepare

WORKERS = os.environ.get("BENCH_CLUSTER_WORKERS", "1")


def seed() -> None:
    """In the cluster's environment: a 1000-post thread on the night board; prints its path."""
    import random

    import django

    django.setup()
    from forum.addresses import hash_address
    from forum.models import Board
    from forum.poster import Poster
    from forum.posting import create_post, create_thread

    random.seed(3)
    lines = ["今日も眠れなくて、気づいたら朝の四時だった。", "Slept at 6 again.", ">>1 わかる"]
    board = Board.objects.get(slug="night")
    poster = Poster(hash_address("10.70.0.1"))
    thread = create_thread(board, poster=poster, title="眠れない夜のスレ", body=lines[0])
    for n in range(2, 1001):
        create_post(
            thread,
            poster=Poster(hash_address(f"10.71.{n % 40}.{n % 250}")),
            body=f"{random.choice(lines)}\n({n})",
        )
    print(thread.get_absolute_url())


def main() -> int:
    if not shutil.which("wrk") or nginx_binary() is None:
        print("bench.cluster needs wrk and nginx (Debian: apt-get install wrk nginx)")
        return 1
    directory = short_temp_dir("yoake-bench-cluster-")
    cluster = Cluster(
        directory / "cluster",
        port=free_port(),
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        IP_HASH_SECRET=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        YOAKE_SURGE="0",
        LOG_LEVEL="ERROR",
        WEB_WORKERS=WORKERS,
    )
    paths: list[str] = []

    def setup(env: dict) -> None:
        prepare(env)
        seeded = subprocess.run(
            [sys.executable, "-m", "bench.cluster", "seed"],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
            capture_output=True,
            text=True,
            check=True,
        )
        paths.append(seeded.stdout.strip().splitlines()[-1])

    try:
        cluster.start(setup=setup)
        path = paths[0]
        one_host = cluster.hosts[0].url
        rows = []
        for label, suffix in (("cached", ""), ("rendered each time", "?uncached")):
            for where, base in (
                (f"nginx → {len(cluster.hosts)} hosts", cluster.url),
                ("one host", one_host),
            ):
                # Warm the page cache and every process's imports before measuring.
                subprocess.run(
                    ["wrk", "-t1", "-c4", "-d1s", base + path + suffix],
                    check=False,
                    capture_output=True,
                )
                rows.append((f"thread, 1000 posts, {label}, {where}", wrk(base + path + suffix)))
    finally:
        cluster.stop()
        remove_tree(directory)
    print(
        f"cluster: nginx in front of 2 hosts of {WORKERS} uvicorn process(es) each, PostgreSQL "
        f"primary + streaming replica, 2 Redis; DEBUG off, wrk -t2 -c{CONNECTIONS} -d{DURATION}s"
    )
    print(f"{'':<56} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}")
    for label, result in rows:
        errors = f"  ({result['errors']} non-2xx/3xx)" if result["errors"] else ""
        print(
            f"{label:<56} {result['rps']:>9.0f} {result['p50']:>8.2f} {result['p99']:>8.2f}{errors}"
        )
    return 0 if not any(result["errors"] for _, result in rows) else 1


if __name__ == "__main__":
    if sys.argv[1:] == ["seed"]:
        seed()
        sys.exit(0)
    sys.exit(main())
