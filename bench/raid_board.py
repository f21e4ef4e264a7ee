"""The raid bench's board and the people who come to it: the plan, the seeding, the addresses.

The board `raid` holds threads of the past week, started by forum.posting.create_thread with
clocks in the past, each from an address of its own. The regulars have established standing
(forum.standing level 3): a Standing row 20 days old and a dozen kept posts older than a day,
keyed by the hash of their cookie. Bots are IPv4 addresses one each and IPv6 addresses spread
evenly over some /64s; every other one posts through bbs.cgi.
"""

from __future__ import annotations

import os
import random
import secrets
from dataclasses import dataclass
from datetime import timedelta

from bench.raid_clients import Bot

SECONDS = float(os.environ.get("RAID_SECONDS", "60"))
# Seconds between one regular's posts, "low-high" (each gap drawn uniformly between them): just
# over the site's 10 s interval, so the five together post every few seconds, as they would.
PACE = tuple(float(part) for part in os.environ.get("RAID_REGULAR_PACE", "11-15").split("-", 1))
BOARD = "raid"
WARM_UP_BOARD = "raidwarmup"
LINES = [
    "今日も眠れなくて、気づいたら朝の四時だった。",
    "I went to the convenience store today. First time in two weeks.",
    "お母さんとちょっとだけ話せた。天気の話だけど。",
    "Slept at 6 again. Trying to move it by 15 minutes a day.",
]


@dataclass(frozen=True)
class Plan:
    """The raid's shape; `make bench` runs the defaults, the tests a small one."""

    seconds: float = SECONDS
    baseline_seconds: float = 10.0
    ipv4_bots: int = 150
    ipv6_bots: int = 150
    ipv6_networks: int = 30
    regulars: int = 5
    regular_pace: tuple[float, float] = (PACE[0], PACE[-1])
    capacity: int = 300
    pre_existing: int = 280
    flood_interval: int | None = None  # None: the site's YOAKE_POST_INTERVAL


@dataclass(frozen=True)
class Setup:
    board: object
    pre_existing_ids: list[int]
    thread_keys: list[int]
    regular_cookies: list[str]
    warm_up_thread: int  # the key of a thread on a board of its own, for warming the server up


def prepare(plan: Plan) -> Setup:
    """The board, its threads of the past week and the regulars' standing, through the ORM and
    forum.posting (each poster its own address, so flood control lets the seeding through)."""
    # Imported here: Django loads only once main() (or the test) has chosen the database.
    from django.utils import timezone

    from forum.addresses import hash_address
    from forum.models import Board, Standing
    from forum.pagecache import drop_every_page
    from forum.poster import Poster
    from forum.posting import create_post, create_thread
    from forum.standing import cookie_hash, level_of

    now = timezone.now()
    board = Board.objects.create(
        slug=BOARD,
        title_en="Raid",
        title_ja="レイド",
        capacity=plan.capacity,
        flood_interval=plan.flood_interval,
    )
    rng = random.Random(12)  # the same week of threads every run
    ages = sorted((rng.uniform(3600, 7 * 86400) for _ in range(plan.pre_existing)), reverse=True)
    threads = [
        create_thread(
            board,
            poster=Poster(hash_address(f"10.70.{n // 250}.{n % 250 + 1}")),
            title=f"いつものスレ {n} / our thread {n}",
            body=f"{rng.choice(LINES)}\n(thread {n})",
            now=now - timedelta(seconds=age),
        )
        for n, age in enumerate(ages)
    ]
    cookies = []
    for r in range(plan.regulars):
        cookie = secrets.token_urlsafe(24)
        key = cookie_hash(Poster(hash_address(f"203.0.113.{r + 1}"), delete_key=cookie))
        Standing.objects.create(cookie_hash=key, first_seen=now - timedelta(days=20))
        for n in range(12):
            at = now - timedelta(days=2 + n * 0.4, minutes=r)
            thread = rng.choice([t for t in threads if t.created_at < at] or threads[:1])
            create_post(
                thread,
                # Each kept post from an address of its own: the seeding waits for no interval.
                poster=Poster(hash_address(f"10.71.{r}.{n + 1}"), delete_key=cookie),
                mail="sage",
                body=f"{rng.choice(LINES)}\n(regular {r}, {n})",
                now=at,
            )
        if level_of(key, now).level != 3:
            raise RuntimeError(f"regular {r} did not reach standing 3")
        cookies.append(cookie)
    warm = Board.objects.create(slug=WARM_UP_BOARD, title_en="Warm-up", title_ja="準備")
    warm_thread = create_thread(
        warm, poster=Poster(hash_address("10.72.1.1")), title="warm-up", body="warm-up"
    )
    drop_every_page()  # nothing a previous run cached under the same keys is served
    return Setup(board, [t.pk for t in threads], [t.key for t in threads], cookies, warm_thread.key)


def bots_for(plan: Plan) -> list[Bot]:
    """IPv4 bots one address each; IPv6 bots spread evenly over `ipv6_networks` /64s; every
    other bot posts through bbs.cgi."""
    addresses = [f"198.18.{i // 250}.{i % 250 + 1}" for i in range(plan.ipv4_bots)]
    per_network = max(1, -(-plan.ipv6_bots // plan.ipv6_networks))
    addresses += [
        f"2001:db8:0:{i // per_network + 1:x}::{i % per_network + 1:x}"
        for i in range(plan.ipv6_bots)
    ]
    return [
        Bot(index=i, address=a, channel="web" if i % 2 == 0 else "bbs.cgi", board=BOARD)
        for i, a in enumerate(addresses)
    ]
