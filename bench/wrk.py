"""wrk, as every bench runs it: one load of `url`, read back as numbers, and rounds pooled."""

from __future__ import annotations

import re
import statistics
import subprocess
from collections.abc import Callable


def wrk(
    url: str,
    *,
    duration: int,
    connections: int,
    headers: dict | None = None,
    cpu_seconds: Callable[[], float] | None = None,
) -> dict:
    """req/s, p50 and p99 (ms), non-2xx/3xx answers and, given the server's CPU clock
    `cpu_seconds`, its CPU ms per request."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    cpu_before = cpu_seconds() if cpu_seconds else 0.0
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    cpu = cpu_seconds() - cpu_before if cpu_seconds else 0.0
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)

    def percentile(p: str) -> float:
        value, unit = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", output).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": percentile("50"),
        "p99": percentile("99"),
        "errors": int(non_2xx.group(1)) if non_2xx else 0,
        "cpu_ms": cpu * 1000 / max(requests, 1),
    }


def median_of(runs: list[dict]) -> dict:
    """Each figure's median over the rounds; errors are added up."""
    pooled = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    pooled["errors"] = sum(run["errors"] for run in runs)
    return pooled
