"""The fault drill: a bounded mixed load while Redis is paused, killed and restarted and
PostgreSQL is stopped and started; then every acknowledged post is looked for.

    make drill                       # 60 s of load (DRILL_SECONDS to change it)
    .venv/bin/python -m bench.drill  # the same

It starts its own embedded PostgreSQL and Redis in a temporary folder (whatever DATABASE_URL and
REDIS_URL say), two uvicorn workers as `make run` starts them, and on 127.0.0.1 only:
readers (home, board, thread pages and dat files), web posters, bbs.cgi posters, live-thread
readers and chat senders over WebSockets. It prints requests by status, acknowledged posts,
posts lost (acknowledged, not in the database), posts hidden (in the database, missing from
their cached page 5 s after the last recovery), duplicates, 5xx answers other than the
documented 503s, and how long each fault took to recover from (until /healthz answers 200).
Every loop is bounded in time; the drill stops by itself.
"""

from __future__ import annotations

import collections
import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

import psycopg2
from dj_database_url import parse as parse_database_url
from websockets.sync.client import connect as ws_connect

from config.embedded import EmbeddedPostgres, EmbeddedRedis, remove_tree, short_temp_dir
from config.launch import serve_command

ROOT = Path(__file__).resolve().parents[1]
SECONDS = float(os.environ.get("DRILL_SECONDS", "60"))
THREADS = 4  # posts spread over several threads, each far from the 1000-post cap
HOST = "127.0.0.1"
# 503 is the documented answer while PostgreSQL is down (and chat's while Redis is).
DOCUMENTED_5XX = {503}


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.statuses: collections.Counter = collections.Counter()
        self.unexpected: collections.Counter = collections.Counter()
        self.acknowledged: list[tuple[str, str]] = []  # (thread key, marker)
        self.frames = 0
        self.chat_sent = 0
        self.post_seconds: list[float] = []  # how long each web post took to be answered

    def status(self, what: str, status: int) -> None:
        with self.lock:
            self.statuses[status] += 1
            if status >= 500 and status not in DOCUMENTED_5XX:
                self.unexpected[f"{what} {status}"] += 1


class Site:
    def __init__(self, port: int) -> None:
        self.port = port

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        connection = http.client.HTTPConnection(HOST, self.port, timeout=10)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()


def seed(env: dict) -> dict:
    """A board, threads and a chat room, made through the domain functions in a subprocess."""
    script = f"""
import json, django
django.setup()
from chat.models import Room
from forum.addresses import hash_address
from forum.models import Board
from forum.poster import Poster
from forum.posting import create_thread
board, _ = Board.objects.get_or_create(slug="drill", defaults={{"title_en": "Drill",
    "title_ja": "訓練", "capacity": 50}})
keys = [create_thread(board, poster=Poster(hash_address("10.70.0.%d" % n)), title="drill %d" % n,
    body="first").key for n in range({THREADS})]
Room.objects.get_or_create(slug="drill", defaults={{"title_en": "Drill", "title_ja": "訓練"}})
print(json.dumps({{"keys": keys}}))
"""
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True
    ).stdout
    return json.loads(out.decode().strip().splitlines()[-1])


def reader(site: Site, tally: Tally, keys: list[int], stop: threading.Event) -> None:
    paths = ["/", "/drill/", *[f"/test/read.cgi/drill/{k}/" for k in keys]]
    paths += [f"/drill/dat/{k}.dat" for k in keys]
    n = 0
    while not stop.is_set():
        path = paths[n % len(paths)]
        n += 1
        try:
            status, _body = site.request("GET", path)
            tally.status("GET " + path.split("/")[1], status)
        except OSError:
            tally.status("GET (no answer)", 599)
        stop.wait(0.05)


def web_poster(site: Site, tally: Tally, keys: list[int], index: int, stop: threading.Event):
    cookie = f"yoake_poster=drill-web-{index}"
    n = 0
    while not stop.is_set():
        key = keys[n % len(keys)]
        n += 1
        marker = f"drill-{uuid.uuid4().hex}"
        body = urllib.parse.urlencode({"body": marker}).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
        began = time.monotonic()
        try:
            status, _ = site.request("POST", f"/test/read.cgi/drill/{key}/", body, headers)
        except OSError:
            status = 599
        with tally.lock:
            tally.post_seconds.append(time.monotonic() - began)
        tally.status("POST reply", status)
        if status == 302:
            with tally.lock:
                tally.acknowledged.append((str(key), marker))
        stop.wait(0.2)


def bbs_poster(site: Site, tally: Tally, keys: list[int], stop: threading.Event) -> None:
    n = 0
    while not stop.is_set():
        key = keys[n % len(keys)]
        n += 1
        marker = f"drill-{uuid.uuid4().hex}"
        form = {"bbs": "drill", "key": str(key), "time": "0", "FROM": "", "mail": "sage"}
        form["MESSAGE"] = marker
        body = urllib.parse.urlencode(form, encoding="cp932").encode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "yoake_poster=drill-bbs",
        }
        try:
            status, answer = site.request("POST", "/test/bbs.cgi", body, headers)
        except OSError:
            status, answer = 599, b""
        tally.status("POST bbs.cgi", status)
        if status == 200 and "書きこみました".encode("cp932") in answer:
            with tally.lock:
                tally.acknowledged.append((str(key), marker))
        stop.wait(0.3)


def socket_client(site: Site, tally: Tally, path: str, stop: threading.Event, *, chat: bool):
    origin = f"http://{HOST}:{site.port}"
    while not stop.is_set():
        try:
            with ws_connect(
                f"ws://{HOST}:{site.port}{path}", origin=origin, open_timeout=5
            ) as socket_:
                while not stop.is_set():
                    if chat:
                        socket_.send(json.dumps({"type": "send", "body": "drill", "nonce": "1"}))
                    with contextlib.suppress(TimeoutError):
                        frame = json.loads(socket_.recv(timeout=1))
                        with tally.lock:
                            tally.frames += 1
                            tally.chat_sent += frame.get("type") == "sent"
                    stop.wait(0.5)
        except Exception:  # closed, refused or not answering: the client retries like the page
            stop.wait(0.5)


def time_to_recover(site: Site, deadline: float = 30.0) -> float:
    start = time.monotonic()
    while time.monotonic() - start < deadline:
        with contextlib.suppress(OSError):
            if site.request("GET", "/healthz")[0] == 200:
                return time.monotonic() - start
        time.sleep(0.1)
    return float("inf")


def faults(redis: EmbeddedRedis, pg: EmbeddedPostgres, site: Site, stop: threading.Event):
    """The fault schedule, spread over the drill; returns (fault, seconds to recover)."""
    recovered = []
    slot = SECONDS / 5
    stop.wait(slot)
    os.kill(redis.process.pid, signal.SIGSTOP)
    stop.wait(min(5, slot / 2))
    os.kill(redis.process.pid, signal.SIGCONT)
    recovered.append(("Redis paused (SIGSTOP)", time_to_recover(site)))
    stop.wait(slot / 2)
    redis.process.kill()
    redis.process.wait()
    stop.wait(min(3, slot / 2))
    redis.start()
    recovered.append(("Redis killed and restarted", time_to_recover(site)))
    stop.wait(slot / 2)
    pg.stop()
    stop.wait(min(5, slot / 2))
    pg.start()
    recovered.append(("PostgreSQL stopped and started", time_to_recover(site)))
    return recovered


def check_posts(env: dict, site: Site, tally: Tally) -> tuple[int, int, int]:
    """(lost, hidden, duplicated) among the acknowledged posts."""
    markers = [marker for _key, marker in tally.acknowledged]
    database = parse_database_url(env["DATABASE_URL"])
    with (
        psycopg2.connect(
            dbname=database["NAME"], user=database["USER"], host=database["HOST"]
        ) as db,
        db.cursor() as cursor,
    ):
        cursor.execute(
            "SELECT body, count(*) FROM forum_post WHERE body = ANY(%s) GROUP BY body", [markers]
        )
        found = dict(cursor.fetchall())
    lost = sum(1 for marker in markers if marker not in found)
    duplicated = sum(1 for count in found.values() if count > 1)
    time.sleep(5)  # the promise: on every cached page 5 s after recovery
    pages = {}
    for key in {key for key, _ in tally.acknowledged}:
        pages[key] = site.request("GET", f"/test/read.cgi/drill/{key}/")[1].decode()
    hidden = sum(
        1 for key, marker in tally.acknowledged if marker in found and marker not in pages[key]
    )
    return lost, hidden, duplicated


def main() -> int:
    base = short_temp_dir("yoake-drill-")
    pg = EmbeddedPostgres(base / "pg")
    redis = EmbeddedRedis(base / "redis", persist=False)
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": pg.start(),
        "REDIS_URL": redis.start(),
        "DEBUG": "0",
        "SECRET_KEY": uuid.uuid4().hex * 2,
        "IP_HASH_SECRET": uuid.uuid4().hex * 2,
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": HOST,
        "YOAKE_POST_INTERVAL": "0",
        "YOAKE_SURGE": "0",  # a load of fresh browsers is the drill's, not a raid
        "HOST": HOST,
        "PORT": str(port),
        "WEB_WORKERS": "2",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    server = None
    try:
        keys = seed(env)["keys"]
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        server = subprocess.Popen(serve_command(env), cwd=ROOT, env=env, start_new_session=True)
        site = Site(port)
        if time_to_recover(site) == float("inf"):
            print("the server did not start")
            return 1
        tally, stop = Tally(), threading.Event()
        workers = [
            threading.Thread(target=reader, args=(site, tally, keys, stop)),
            threading.Thread(target=reader, args=(site, tally, keys, stop)),
            threading.Thread(target=web_poster, args=(site, tally, keys, 0, stop)),
            threading.Thread(target=web_poster, args=(site, tally, keys, 1, stop)),
            threading.Thread(target=bbs_poster, args=(site, tally, keys, stop)),
            threading.Thread(
                target=socket_client,
                args=(site, tally, f"/ws/thread/drill/{keys[0]}/", stop),
                kwargs={"chat": False},
            ),
            threading.Thread(
                target=socket_client,
                args=(site, tally, "/ws/chat/drill/", stop),
                kwargs={"chat": True},
            ),
        ]
        for worker in workers:
            worker.start()
        started = time.monotonic()
        recovered = faults(redis, pg, site, stop)
        stop.wait(max(0.0, SECONDS - (time.monotonic() - started)))
        stop.set()
        for worker in workers:
            worker.join(15)
        lost, hidden, duplicated = check_posts(env, site, tally)
        report(tally, recovered, lost, hidden, duplicated)
        bad = lost or hidden or duplicated or tally.unexpected
        return 1 if bad or any(seconds > 5 for _f, seconds in recovered) else 0
    finally:
        if server is not None:
            server.send_signal(signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.wait(15)
            if server.poll() is None:
                server.kill()
        redis.stop()
        pg.stop()
        remove_tree(base)


def report(tally: Tally, recovered, lost: int, hidden: int, duplicated: int) -> None:
    print(f"\nfault drill, {SECONDS:.0f} s of mixed load\n")
    print("| answers by status | count |\n|---|---|")
    for status, count in sorted(tally.statuses.items()):
        print(f"| {status if status != 599 else 'no answer'} | {count} |")
    print("\n| what | count |\n|---|---|")
    print(f"| posts acknowledged | {len(tally.acknowledged)} |")
    print(f"| posts lost (acknowledged, not in the database) | {lost} |")
    print(f"| posts hidden (missing from their cached page 5 s after recovery) | {hidden} |")
    print(f"| posts duplicated | {duplicated} |")
    print(f"| 5xx other than the documented 503 | {sum(tally.unexpected.values())} |")
    print(
        f"| socket frames received · chat messages accepted | {tally.frames} · {tally.chat_sent} |"
    )
    times = sorted(tally.post_seconds) or [0.0]
    p50, p99 = times[len(times) // 2], times[min(len(times) - 1, int(len(times) * 0.99))]
    print(
        f"| web post answered, p50 · p99 · slowest | {p50:.2f} s · {p99:.2f} s · "
        f"{times[-1]:.2f} s |"
    )
    for what, count in tally.unexpected.items():
        print(f"|   {what} | {count} |")
    print("\n| fault | recovered in |\n|---|---|")
    for fault, seconds in recovered:
        print(f"| {fault} | {seconds:.1f} s |")


if __name__ == "__main__":
    sys.exit(main())
