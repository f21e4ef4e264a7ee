"""The fault drill, short: `make drill` runs it for a minute; here for a few seconds, with the
same faults (Redis paused, killed and restarted; PostgreSQL stopped and started)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_a_short_drill_loses_hides_and_duplicates_nothing_and_recovers_within_five_seconds():
    env = {**os.environ, "DRILL_SECONDS": "10"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    run = subprocess.run(
        [sys.executable, "-m", "bench.drill"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    report = run.stdout

    def count(label: str) -> int:
        return int(re.search(rf"\| {re.escape(label)}[^|]*\| (\d+) \|", report).group(1))

    assert count("posts acknowledged") > 0, report
    assert count("posts lost") == 0, report
    assert count("posts hidden") == 0, report
    assert count("posts duplicated") == 0, report
    assert count("5xx other than the documented 503") == 0, report
    recoveries = [
        float(s) for s in re.findall(r"\| (?:Redis|PostgreSQL)[^|]*\| ([\d.]+) s \|", report)
    ]
    assert len(recoveries) == 3, report
    assert max(recoveries) <= 5, report
    assert run.returncode == 0, report + run.stderr[-2000:]
