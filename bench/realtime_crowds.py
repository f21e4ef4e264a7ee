"""The real-time bench at scale, on the servers bench.realtime starts: a live thread read by
CROWD sockets, a chat room of ROOM sockets, and IDLE sockets held open, each crowd in client
processes of their own (bench.crowd) timed by the one system-wide monotonic clock.

- thread: CROWD readers over both processes; ROUNDS rounds of CROWD_POSTS replies over HTTP at
  BENCH_RT_POST_RATE a second; latency from sending the POST to each reader's frame;
- chat: ROOM sockets over both processes, one sender on the first at ROOM_RATE messages a second
  for ROOM_SECONDS a round, ROUNDS rounds; latency from sending to each arrival;
- idle: IDLE thread sockets on fresh servers: the servers' resident memory (VmRSS, and Pss from
  smaps_rollup) before and after opening them, per socket, and their CPU while the sockets idle.

Rounds are noisy on 2 shared cores: each row's p50, p99 and max are the median over its rounds.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.crowd import Crowd, client_processes
from bench.realtime import GRACE, PATIENCE, POST_RATE, Result, cpu_seconds
from bench.sockets import marked, open_socket, post_reply

CROWD = int(os.environ.get("BENCH_RT_CROWD", "2000"))
CROWD_POSTS = int(os.environ.get("BENCH_RT_CROWD_POSTS", "20"))
ROOM = int(os.environ.get("BENCH_RT_ROOM", "1000"))
ROOM_RATE = float(os.environ.get("BENCH_RT_ROOM_RATE", "10"))
ROOM_SECONDS = float(os.environ.get("BENCH_RT_ROOM_SECONDS", "4"))
IDLE = int(os.environ.get("BENCH_RT_IDLE", "10000"))
IDLE_SECONDS = float(os.environ.get("BENCH_RT_IDLE_SECONDS", "10"))
ROUNDS = int(os.environ.get("BENCH_RT_ROUNDS", "3"))


@dataclass
class Rounds:
    """One row from several rounds: percentiles are the median over the rounds."""

    label: str
    clients: int
    rounds: list[Result] = field(default_factory=list)
    server_cpu: float = 0.0  # over every round, handshakes excluded
    client_cpu: float = 0.0  # the crowd's client processes, likewise
    seconds: float = 0.0  # wall time of the rounds

    @property
    def lost(self) -> int:
        return sum(r.lost for r in self.rounds)

    @property
    def refused(self) -> int:
        return sum(r.refused for r in self.rounds)

    def row(self) -> str:
        delivered = sum(len(r.latencies) for r in self.rounds)
        sent = sum(r.sent for r in self.rounds)
        p50, p99, top = (
            statistics.median(r.percentile(f) for r in self.rounds) for f in (0.5, 0.99, 1.0)
        )
        per_delivery = self.server_cpu / max(1, delivered) * 1e6
        seconds = max(self.seconds, 1e-9)
        return (
            f"{self.label:<48} {self.clients:>7} {sent:>5} {delivered:>9} {self.lost:>5} "
            f"{p50:>7.1f} {p99:>7.1f} {top:>7.1f} {per_delivery:>9.0f}"
            f"  (cores used: servers {self.server_cpu / seconds:.2f}, "
            f"clients {self.client_cpu / seconds:.2f})"
        )


async def settle(pids: list[int], quiet: float = 0.25, patience: float = 30.0) -> None:
    """Until the servers use under `quiet` of a core over half a second (or `patience` runs
    out): a crowd's handshakes and presence, and the goodbyes of the crowd before, are over."""
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        before = cpu_seconds(pids)
        await asyncio.sleep(0.5)
        if (cpu_seconds(pids) - before) / 0.5 < quiet:
            return


def _result(label: str, clients: int, sent_at: dict, expected: set, arrivals: list) -> Result:
    result = Result(label, clients, len(sent_at), refused=len(sent_at) - len(expected))
    for got in arrivals:
        result.lost += len(expected - set(got))
        result.latencies += [(got[n] - sent_at[n]) * 1000 for n in got if n in sent_at]
    return result


async def thread_crowd(
    ports: list[int], pids: list[int], thread_path: str, ws_path: str, offset: int
) -> Rounds:
    row = Rounds(f"thread live update, {CROWD} readers, {len(ports)} processes", CROWD)
    with Crowd(ports, ws_path, CROWD, "posts", client_processes()) as crowd:
        row.clients = crowd.opened
        await settle(pids)
        before, clients_before = cpu_seconds(pids), cpu_seconds(crowd.pids)
        started = time.monotonic()
        for round_number in range(ROUNDS):
            first = offset + 1000 * round_number
            posted_at, posted = {}, set()
            started = time.monotonic()
            for n in range(first, first + CROWD_POSTS):
                await asyncio.sleep(max(0.0, started + (n - first) / POST_RATE - time.monotonic()))
                posted_at[n] = time.monotonic()
                if await post_reply(ports[0], thread_path, marked(n)) == 302:
                    posted.add(n)
            await crowd.wait_for(len(posted) * crowd.opened, GRACE)
            row.rounds.append(_result(row.label, crowd.opened, posted_at, posted, crowd.collect()))
        row.server_cpu = cpu_seconds(pids) - before
        row.client_cpu = cpu_seconds(crowd.pids) - clients_before
        row.seconds = time.monotonic() - started
    return row


async def _send_messages(sender, first: int, total: int) -> tuple[dict, set]:
    """Send `total` marked messages at ROOM_RATE; when each was sent, and which were accepted."""
    sent_at, accepted, answered = {}, set(), 0

    async def answers() -> None:
        nonlocal answered
        async for raw in sender:
            frame = json.loads(raw)
            if frame["type"] in ("sent", "error"):
                answered += 1
                if frame["type"] == "sent":
                    accepted.add(first + int(frame["nonce"]))
                if answered == total:
                    return

    reading = asyncio.ensure_future(answers())
    started = time.monotonic()
    for n in range(total):
        await asyncio.sleep(max(0.0, started + n / ROOM_RATE - time.monotonic()))
        sent_at[first + n] = time.monotonic()
        await sender.send(json.dumps({"type": "send", "body": marked(first + n), "nonce": str(n)}))
    try:
        await asyncio.wait_for(reading, PATIENCE)
    except TimeoutError:
        pass  # never answered: counted as refused
    return sent_at, accepted


async def chat_crowd(
    ports: list[int], pids: list[int], room_slug: str, last: int, offset: int
) -> Rounds:
    row = Rounds(f"chat, {ROOM} sockets, one room, {len(ports)} processes", ROOM)
    path = f"/ws/chat/{room_slug}/?last={last}"
    total = int(ROOM_RATE * ROOM_SECONDS)
    with Crowd(ports, path, ROOM, "messages", client_processes()) as crowd:
        row.clients = crowd.opened
        sender = await open_socket(ports[0], path)
        await settle(pids)
        before, clients_before = cpu_seconds(pids), cpu_seconds(crowd.pids)
        started = time.monotonic()
        for round_number in range(ROUNDS):
            first = offset + 10_000 * round_number
            sent_at, accepted = await _send_messages(sender, first, total)
            await crowd.wait_for(len(accepted) * crowd.opened, GRACE)
            row.rounds.append(_result(row.label, crowd.opened, sent_at, accepted, crowd.collect()))
        row.server_cpu = cpu_seconds(pids) - before
        row.client_cpu = cpu_seconds(crowd.pids) - clients_before
        row.seconds = time.monotonic() - started
        await sender.close()
    return row


# --- idle sockets -------------------------------------------------------------------------------


def resident(pids: list[int]) -> tuple[int, int]:
    """The processes' resident memory in bytes, summed: (VmRSS, Pss)."""
    rss = pss = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss += int(line.split()[1]) * 1024
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss += int(line.split()[1]) * 1024
    return rss, pss


@dataclass
class Idle:
    label: str
    opened: int
    failed: int
    seconds_to_open: float
    before: tuple[int, int]
    after: tuple[int, int]
    idle_cpu: float  # share of one core the servers used while the sockets idled

    def rows(self) -> list[str]:
        mib = 1024 * 1024
        per_socket = [
            (after - before) / max(1, self.opened) / 1024
            for after, before in zip(self.after, self.before, strict=True)
        ]
        return [
            f"{self.label}: {self.opened} open ({self.failed} failed) in "
            f"{self.seconds_to_open:.0f} s",
            f"  resident memory of the servers, VmRSS: {self.before[0] / mib:.0f} MiB before, "
            f"{self.after[0] / mib:.0f} MiB after, {per_socket[0]:.1f} KiB a socket",
            f"  resident memory of the servers, Pss:   {self.before[1] / mib:.0f} MiB before, "
            f"{self.after[1] / mib:.0f} MiB after, {per_socket[1]:.1f} KiB a socket",
            f"  server CPU while they idle: {self.idle_cpu * 100:.0f}% of one core "
            f"(presence refreshes every YOAKE_PRESENCE_SECONDS)",
        ]


def idle_sockets(ports: list[int], pids: list[int], ws_path: str) -> Idle:
    """On freshly started servers: warm each with a few sockets, then hold IDLE open."""
    with Crowd(ports, ws_path, 4 * len(ports), "posts", 1):
        pass
    time.sleep(1)  # let the warm-up sockets' ends be handled before measuring
    before = resident(pids)
    with Crowd(ports, ws_path, IDLE, "posts", client_processes()) as crowd:
        asyncio.run(settle(pids))  # the last handshakes' presence and catch-up are over
        after = resident(pids)
        cpu = cpu_seconds(pids)
        time.sleep(IDLE_SECONDS)
        idle_cpu = (cpu_seconds(pids) - cpu) / IDLE_SECONDS
        label = f"idle sockets, {IDLE} over {len(ports)} processes"
        return Idle(
            label, crowd.opened, crowd.failed, crowd.seconds_to_open, before, after, idle_cpu
        )
