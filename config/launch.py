"""Entry point behind `make run`, `make test` and `make bench`.

    python -m config.launch run          migrate, seed, collect static, serve until Ctrl-C
    python -m config.launch test [ARGS]  run pytest with ARGS
    python -m config.launch bench        run the benchmark (bench/run.py)
    python -m config.launch exec CMD...  run any command with the database and Redis up

Each starts an embedded PostgreSQL and Redis first, unless DATABASE_URL / REDIS_URL are set,
and stops them again on the way out (Ctrl-C included).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

from config.embedded import EmbeddedPostgres, EmbeddedRedis, remove_tree, short_temp_dir

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"


def _python(*args: str, env: dict) -> None:
    subprocess.run([sys.executable, *args], cwd=ROOT, env=env, check=True)


def services(stack: ExitStack, *, throwaway: bool) -> dict:
    """Start whatever the environment does not point at; return the environment to use."""
    env = dict(os.environ)
    base = short_temp_dir("yoake-test-") if throwaway else VAR
    if throwaway:
        stack.callback(remove_tree, base)
    if not env.get("DATABASE_URL"):
        pg = EmbeddedPostgres(base / "pg", fast_and_unsafe=throwaway)
        env["DATABASE_URL"] = pg.start()
        stack.callback(pg.stop)
    if not env.get("REDIS_URL"):
        redis = EmbeddedRedis(base / "redis", persist=not throwaway)
        env["REDIS_URL"] = redis.start()
        stack.callback(redis.stop)
    return env


def prepare(env: dict) -> None:
    _python("manage.py", "compilemessages", "--ignore=.venv", "-v", "0", env=env)
    _python("manage.py", "migrate", "--noinput", "-v", "0", env=env)
    _python("manage.py", "seed", env=env)
    _python("manage.py", "collectstatic", "--noinput", "-v", "0", env=env)


def serve_command(env: dict) -> list[str]:
    host = env.get("HOST", "127.0.0.1")
    port = env.get("PORT", "8000")
    workers = env.get("WEB_WORKERS", "1")
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "config.asgi:application",
        "--host",
        host,
        "--port",
        port,
        "--workers",
        workers,
        # The access log would write client addresses; Yoake never writes one anywhere.
        "--no-access-log",
        "--lifespan",
        "off",
        # The client address is resolved by forum.addresses with TRUSTED_PROXY_COUNT.
        "--no-proxy-headers",
        "--ws-max-size",
        "4096",
        "--timeout-graceful-shutdown",
        "5",
    ]


def run() -> int:
    with ExitStack() as stack:
        env = services(stack, throwaway=False)
        prepare(env)
        command = serve_command(env)
        print(f"Yoake is at http://{env.get('HOST', '127.0.0.1')}:{env.get('PORT', '8000')}/")
        server = subprocess.Popen(command, cwd=ROOT, env=env)
        try:
            return server.wait()
        except KeyboardInterrupt:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(15)
            except subprocess.TimeoutExpired:
                server.kill()
            return 0


def test(args: list[str]) -> int:
    with ExitStack() as stack:
        env = services(stack, throwaway=True)
        _python("manage.py", "compilemessages", "--ignore=.venv", "-v", "0", env=env)
        result = subprocess.run([sys.executable, "-m", "pytest", *args], cwd=ROOT, env=env)
        return result.returncode


def execute(args: list[str]) -> int:
    with ExitStack() as stack:
        env = services(stack, throwaway=False)
        return subprocess.run(args, cwd=ROOT, env=env).returncode


def bench(args: list[str]) -> int:
    with ExitStack() as stack:
        env = services(stack, throwaway=True)
        env.setdefault("BENCH_SERVER_COMMAND", " ".join(serve_command(env)))
        return subprocess.run(
            [sys.executable, "-m", "bench.run", *args], cwd=ROOT, env=env
        ).returncode


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "run":
        return run()
    if command == "test":
        return test(rest)
    if command == "bench":
        return bench(rest)
    if command == "exec":
        return execute(rest)
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
