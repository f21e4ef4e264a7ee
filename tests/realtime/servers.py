"""Live ASGI server processes for the tests, started exactly as `make run` starts them."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

from config.launch import serve_command
from tests.browser.conftest import ROOT, database_url, free_port, wait_until_healthy


@contextlib.contextmanager
def asgi_servers(count: int, log_dir: Path, **extra_env: str) -> Iterator[list[str]]:
    """`count` uvicorn processes on free ports, against the test database and Redis.

    Yields their base URLs. Data must be committed to be seen (django_db(transaction=True)).
    """
    from django.conf import settings
    from django.db import connection

    processes, urls, logs = [], [], []
    try:
        for n in range(count):
            port = free_port()
            env = {
                **os.environ,
                "DATABASE_URL": database_url(connection.settings_dict),
                "REDIS_URL": settings.REDIS_URL,
                "DEBUG": "1",
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "HOST": "127.0.0.1",
                "PORT": str(port),
                "WEB_WORKERS": "1",
                **extra_env,
            }
            log = log_dir / f"server-{n}.log"
            with log.open("w") as output:
                processes.append(
                    subprocess.Popen(
                        serve_command(env), cwd=ROOT, env=env, stdout=output, stderr=output
                    )
                )
            urls.append(f"http://127.0.0.1:{port}")
            logs.append(log)
        for url, process, log in zip(urls, processes, logs, strict=True):
            wait_until_healthy(url, process, log)
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
