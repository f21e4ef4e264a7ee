"""Crowds of WebSocket readers in client processes of their own, for the real-time bench's rows
at scale (thousands of sockets): one Python process cannot read 2000 sockets' frames, or open
10 000, fast enough to measure the servers rather than itself.

Each client process opens its share of the sockets, says it is ready, and notes the first
arrival of each marked item (bench.sockets.MARK) on each socket by time.monotonic(), which on
Linux is CLOCK_MONOTONIC, one clock for every process on the machine: the bench compares those
times with the moments it sent each item. Asked, a process hands over what arrived since it was
last asked (one round), and at the end closes its sockets.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import resource
import time

from bench.sockets import MARK, open_socket

# Sockets a client process opens at once, as people arrive, not all in one millisecond.
BATCH = 25


def raise_open_files_limit() -> int:
    """Every socket is a file: lift this process's soft limit to the hard one; returns it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


async def _read(websocket, prefix: str, arrivals: dict[int, float]) -> None:
    """Note each marked item's first arrival in frames that start with `prefix`. No JSON decode:
    the client must cost far less than the server it measures."""
    with contextlib.suppress(Exception):  # the socket closing ends the reading
        async for raw in websocket:
            now = time.monotonic()
            if isinstance(raw, str) and raw.startswith(prefix):
                for mark in MARK.findall(raw):
                    arrivals.setdefault(int(mark), now)


async def _crowd(connection, ports: list[int], path: str, count: int, kind: str) -> None:
    loop = asyncio.get_running_loop()
    sockets, failed = [], 0
    for start in range(0, count, BATCH):
        batch = range(start, min(count, start + BATCH))
        opened = await asyncio.gather(
            *(open_socket(ports[n % len(ports)], path) for n in batch), return_exceptions=True
        )
        failed += sum(isinstance(s, BaseException) for s in opened)
        sockets += [s for s in opened if not isinstance(s, BaseException)]
    arrivals = [{} for _ in sockets]
    prefix = f'{{"type": "{kind}"'
    readers = [
        asyncio.ensure_future(_read(s, prefix, a)) for s, a in zip(sockets, arrivals, strict=True)
    ]
    connection.send(("ready", len(sockets), failed))
    while (command := await loop.run_in_executor(None, connection.recv)) != "close":
        if command == "count":
            connection.send(sum(len(got) for got in arrivals))
            continue
        connection.send([dict(got) for got in arrivals])  # "collect": this round's arrivals
        for got in arrivals:
            got.clear()
    for reader in readers:
        reader.cancel()
    await asyncio.gather(*readers, return_exceptions=True)
    # Gone as a closed browser tab is, without waiting for each closing handshake (thousands of
    # them, each as slow as the server is busy): the servers see every socket end all the same.
    for websocket in sockets:
        websocket.transport.close()
    connection.send("closed")


def _client_process(connection, ports, path, count, kind) -> None:
    raise_open_files_limit()
    try:
        import uvloop  # uvicorn[standard] brings it; the cheaper loop keeps the client light
    except ImportError:
        uvloop = None
    if uvloop is not None:
        uvloop.run(_crowd(connection, ports, path, count, kind))
    else:
        asyncio.run(_crowd(connection, ports, path, count, kind))


class Crowd:
    """`count` sockets on `path`, spread over `ports` and over `processes` client processes."""

    def __init__(self, ports: list[int], path: str, count: int, kind: str, processes: int):
        context = multiprocessing.get_context("spawn")  # nothing of the bench's Django state
        self._pipes, self._processes = [], []
        processes = max(1, min(processes, count))
        for n in range(processes):
            share = count // processes + (n < count % processes)
            mine, theirs = context.Pipe()
            process = context.Process(
                target=_client_process, args=(theirs, ports, path, share, kind), daemon=True
            )
            process.start()
            self._pipes.append(mine)
            self._processes.append(process)
        self.opened = self.failed = 0
        started = time.monotonic()
        for pipe in self._pipes:
            _ready, opened, failed = pipe.recv()
            self.opened += opened
            self.failed += failed
        self.seconds_to_open = time.monotonic() - started
        self.pids = [p.pid for p in self._processes]

    def count(self) -> int:
        """Arrivals noted since the last collect, over every socket."""
        for pipe in self._pipes:
            pipe.send("count")
        return sum(pipe.recv() for pipe in self._pipes)

    async def wait_for(self, expected: int, patience: float) -> None:
        """Until `expected` arrivals are noted, or `patience` seconds have passed."""
        deadline = time.monotonic() + patience
        while time.monotonic() < deadline and self.count() < expected:
            await asyncio.sleep(0.2)

    def collect(self) -> list[dict[int, float]]:
        """Per socket, {item: arrival time} since the last collect."""
        for pipe in self._pipes:
            pipe.send("collect")
        arrivals = []
        for pipe in self._pipes:
            arrivals += pipe.recv()
        return arrivals

    def close(self) -> None:
        for pipe in self._pipes:
            with contextlib.suppress(OSError):
                pipe.send("close")
        for pipe, process in zip(self._pipes, self._processes, strict=True):
            with contextlib.suppress(EOFError, OSError):
                if pipe.poll(30):
                    pipe.recv()
            process.join(10)
            if process.is_alive():
                process.kill()

    def __enter__(self) -> Crowd:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def client_processes() -> int:
    """Client processes for a crowd: BENCH_RT_CLIENT_PROCESSES, default 4 (on 2 cores the
    servers need most of the CPU; 4 spreads the handshakes and the reading)."""
    return int(os.environ.get("BENCH_RT_CLIENT_PROCESSES", "4"))
