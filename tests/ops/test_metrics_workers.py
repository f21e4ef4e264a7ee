"""Two uvicorn workers, as compose runs them: whichever one answers /metrics, it counts what
both served (prometheus-client's multiprocess mode, config.metrics)."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from prometheus_client.multiprocess import MultiProcessCollector

from config.launch import fresh_metrics_directory
from tests.ops.scraping import samples, scrape, value
from tests.realtime.servers import asgi_servers

pytestmark = pytest.mark.django_db

READS = 24


def get(url: str) -> str:
    # A new connection each time, so the kernel hands them to either worker.
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def served_by(file: Path) -> float:
    """The board reads counted in one worker's own file."""
    for metric in MultiProcessCollector.merge([str(file)]):
        for sample in metric.samples:
            if sample.name.endswith("_count") and sample.labels.get("view") == "board":
                return sample.value
    return 0.0


@pytest.mark.django_db(transaction=True)
@pytest.mark.slow
def test_every_scrape_counts_the_requests_of_both_workers(make_board, tmp_path):
    make_board(slug="quiet")
    counts = tmp_path / "metrics"
    counts.mkdir()

    with asgi_servers(1, tmp_path, WEB_WORKERS="2", PROMETHEUS_MULTIPROC_DIR=str(counts)) as (url,):
        for _ in range(READS):
            get(f"{url}/quiet/")
        for _ in range(6):
            found = samples(get(f"{url}/metrics"))
            served = value(
                found, "yoake_http_request_duration_seconds_count", view="board", status="2xx"
            )
            assert served == READS

    # Each worker served some of the reads (its own file), so no one worker's count is the sum.
    per_worker = [served_by(file) for file in counts.glob("histogram_*.db")]
    assert len(per_worker) == 2
    assert sum(per_worker) == READS and all(per_worker)


def test_a_worker_that_died_keeps_its_counts_but_not_its_open_sockets(client):
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        pytest.skip("one process, no shared folder (run through config.launch test)")
    before = scrape(client)
    worker = subprocess.run(
        [
            sys.executable,
            "-c",
            "from config import metrics; metrics.socket_opened('thread'); "
            "metrics.post_accepted('quiet')",
        ],
        cwd=Path(__file__).resolve().parents[2],
    )
    assert worker.returncode == 0

    after = scrape(client)
    assert value(after, "yoake_posts_total", board="quiet") == (
        value(before, "yoake_posts_total", board="quiet") + 1
    )
    assert value(after, "yoake_open_sockets", kind="thread") == value(
        before, "yoake_open_sockets", kind="thread"
    )


def test_the_server_starts_counting_in_an_emptied_folder(tmp_path):
    given = tmp_path / "given"
    given.mkdir()
    (given / "counter_4242.db").write_bytes(b"an earlier run's counts")
    env = {"PROMETHEUS_MULTIPROC_DIR": str(given)}
    assert fresh_metrics_directory(env, tmp_path / "default") == given
    assert list(given.iterdir()) == []

    env = {}
    fresh_metrics_directory(env, tmp_path / "default")
    assert env["PROMETHEUS_MULTIPROC_DIR"] == str(tmp_path / "default")
    assert (tmp_path / "default").is_dir()
