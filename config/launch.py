"""Entry point behind `make run`, `make test` and `make bench`.

    python -m config.launch run          migrate, seed, collect static, serve until Ctrl-C
    python -m config.launch test [ARGS]  run pytest with ARGS
    python -m config.launch bench        run the benchmark (bench/run.py)
    python -m config.launch exec CMD...  run any command with the database and Redis up

Each starts an embedded PostgreSQL and Redis first, unless DATABASE_URL / REDIS_URL are set,
and stops them again on the way out (Ctrl-C included).

For containers (the Dockerfile), where both URLs are always given:

    python -m config.launch compilemessages  compile locale/*.po (with or without GNU gettext)
    python -m config.launch serve            migrate, seed, then become the ASGI server
                                             (MIGRATE_ON_START=0: only the last)
    python -m config.launch migrate          migrate and seed, then exit (compose's `migrate`
                                             service, as the role that owns the tables)
    python -m config.launch healthcheck      exit 0 only if GET /healthz answers 200
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.request
from contextlib import ExitStack
from pathlib import Path

import polib

from config.embedded import EmbeddedPostgres, EmbeddedRedis, remove_tree, short_temp_dir

ROOT = Path(__file__).resolve().parent.parent
# Where `run` and `exec` keep the embedded servers' data; YOAKE_VAR_DIR moves it (the tests).
VAR = Path(os.environ.get("YOAKE_VAR_DIR") or ROOT / "var")


def _python(*args: str, env: dict) -> None:
    subprocess.run([sys.executable, *args], cwd=ROOT, env=env, check=True)


def services(stack: ExitStack, *, throwaway: bool, durable: bool | None = None) -> dict:
    """Start whatever the environment does not point at; return the environment to use.

    Throwaway servers live in a temporary folder; they skip fsync unless `durable` (benchmarks
    must measure PostgreSQL as production runs it).
    """
    durable = not throwaway if durable is None else durable
    env = dict(os.environ)
    base = short_temp_dir("yoake-test-") if throwaway else VAR
    if throwaway:
        stack.callback(remove_tree, base)
    if not env.get("DATABASE_URL"):
        pg = EmbeddedPostgres(base / "pg", fast_and_unsafe=not durable)
        env["DATABASE_URL"] = pg.start()
        stack.callback(pg.stop)
    if not env.get("REDIS_URL"):
        redis = EmbeddedRedis(base / "redis", persist=not throwaway)
        env["REDIS_URL"] = redis.start()
        stack.callback(redis.stop)
    return env


def compile_messages(env: dict) -> None:
    """Compile every out-of-date catalogue, with GNU msgfmt (it checks format strings) if present,
    else with polib; both leave untranslated and fuzzy entries out.

    Neither path imports Django, so a broken app cannot stop the translations from building.
    """
    msgfmt = shutil.which("msgfmt")
    for po in catalogues():
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        if msgfmt:
            subprocess.run([msgfmt, "--check-format", "-o", str(mo), str(po)], env=env, check=True)
        else:
            polib.pofile(str(po)).save_as_mofile(str(mo))


def catalogues() -> list[Path]:
    skip = {".venv", "var", ".git", "node_modules"}
    return [
        po
        for po in sorted(ROOT.rglob("LC_MESSAGES/*.po"))
        if not skip.intersection(po.relative_to(ROOT).parts)
    ]


def fresh_metrics_directory(env: dict, default: Path) -> Path:
    """Where the server's processes keep their /metrics numbers (prometheus-client's multiprocess
    mode, config.metrics): PROMETHEUS_MULTIPROC_DIR if set, else `default`, emptied of an earlier
    run's files first, since those processes and their counts are over."""
    directory = Path(env.get("PROMETHEUS_MULTIPROC_DIR") or default)
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("*.db"):
        old.unlink()
    env["PROMETHEUS_MULTIPROC_DIR"] = str(directory)
    return directory


def prepare(env: dict) -> None:
    compile_messages(env)
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
        # At INFO uvicorn logs each WebSocket handshake with the peer's address.
        "--log-level",
        "warning",
        "--lifespan",
        "off",
        # The client address is resolved by forum.addresses with TRUSTED_PROXY_COUNT.
        "--no-proxy-headers",
        "--ws-max-size",
        "4096",
        # Per-message deflate keeps a compressor per socket: half a socket's memory (about 38 of
        # 77 KiB) and a deflate per reader of every live frame. Frames are a post or a message.
        "--ws-per-message-deflate",
        "false",
        "--timeout-graceful-shutdown",
        "5",
    ]


def run() -> int:
    with ExitStack() as stack:
        env = services(stack, throwaway=False)
        prepare(env)
        fresh_metrics_directory(env, VAR / "metrics")
        command = serve_command(env)
        print(f"Yoake is at http://{env.get('HOST', '127.0.0.1')}:{env.get('PORT', '8000')}/")
        # uvicorn and Redis run in their own sessions (PostgreSQL's pg_ctl does it for itself),
        # so Ctrl-C reaches only this process: it stops uvicorn and waits for it, and only then
        # does the ExitStack stop Redis and PostgreSQL. Were all signalled at once, uvicorn's
        # sockets would see Redis vanish mid-shutdown ("Unexpected exception in receive task"),
        # and a second SIGINT from here would force uvicorn out without its graceful shutdown.
        server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
        try:
            return server.wait()
        except KeyboardInterrupt:
            stop_server(server)
            return 0


def stop_server(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGINT)
    try:
        server.wait(15)
    except (subprocess.TimeoutExpired, KeyboardInterrupt):  # stuck, or a second Ctrl-C
        server.kill()
        server.wait()


def given_servers(command: str) -> dict | None:
    """The environment, if it names both servers (containers always do)."""
    env = dict(os.environ)
    missing = [name for name in ("DATABASE_URL", "REDIS_URL") if not env.get(name)]
    if missing:
        print(f"{command} needs {' and '.join(missing)}; `make run` starts embedded servers.")
        return None
    return env


def migrate_and_seed(env: dict) -> None:
    _python("manage.py", "migrate", "--noinput", "-v", "0", env=env)
    _python("manage.py", "seed", env=env)


def migrate() -> int:
    """Migrate and seed against the given servers. In compose this runs as the role that owns
    the tables, and the web service, whose role owns none, starts after it."""
    env = given_servers("migrate")
    if env is None:
        return 2
    migrate_and_seed(env)
    return 0


def serve() -> int:
    """Container entry point: migrate and seed against the given servers (unless
    MIGRATE_ON_START=0: compose's `migrate` service has), then become uvicorn."""
    env = given_servers("serve")
    if env is None:
        return 2
    if env.get("MIGRATE_ON_START", "1") != "0":
        migrate_and_seed(env)
    # The code (and var/) is read-only for the container's user; its /tmp is its own.
    fresh_metrics_directory(env, Path(tempfile.gettempdir()) / "yoake-metrics")
    command = serve_command(env)
    # exec, so the container's stop signal reaches uvicorn directly.
    os.execve(command[0], command, env)  # noqa: S606 (a fixed argument list)
    return 1  # not reached


def healthcheck() -> int:
    """Exit 0 when GET /healthz on this machine answers 200 (a container's HEALTHCHECK)."""
    hosts = [h.strip().lstrip(".") for h in os.environ.get("ALLOWED_HOSTS", "").split(",")]
    host = next((h for h in hosts if h and "*" not in h), "localhost")
    request = urllib.request.Request(
        f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/healthz", headers={"Host": host}
    )
    try:
        with urllib.request.urlopen(request, timeout=4) as response:  # noqa: S310 (fixed URL)
            return 0 if response.status == 200 else 1
    except OSError as error:  # HTTPError (503) is an OSError too
        print(f"unhealthy: {error}")
        return 1


def test(args: list[str]) -> int:
    with ExitStack() as stack:
        env = services(stack, throwaway=True)
        compile_messages(env)
        # The tests count in files as the served processes do (config.metrics).
        env["PROMETHEUS_MULTIPROC_DIR"] = str(short_temp_dir("yoake-metrics-"))
        stack.callback(remove_tree, Path(env["PROMETHEUS_MULTIPROC_DIR"]))
        result = subprocess.run([sys.executable, "-m", "pytest", *args], cwd=ROOT, env=env)
        return result.returncode


def execute(args: list[str]) -> int:
    """Run a command with the servers up: beside `make run`, the very servers it runs (the
    embedded ones find theirs under var/ and leave them running); otherwise its own."""
    with ExitStack() as stack:
        env = services(stack, throwaway=False)
        return subprocess.run(args, cwd=ROOT, env=env).returncode


def bench(args: list[str]) -> int:
    with ExitStack() as stack:
        env = services(stack, throwaway=True, durable=True)
        env.setdefault("BENCH_SERVER_COMMAND", " ".join(serve_command(env)))
        return subprocess.run(
            [sys.executable, "-m", "bench.run", *args], cwd=ROOT, env=env
        ).returncode


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    # A service manager's SIGTERM stops things in the same order as Ctrl-C.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    if command == "run":
        return run()
    if command == "test":
        return test(rest)
    if command == "bench":
        return bench(rest)
    if command == "exec":
        return execute(rest)
    if command == "compilemessages":
        compile_messages(dict(os.environ))
        return 0
    if command == "serve":
        return serve()
    if command == "migrate":
        return migrate()
    if command == "healthcheck":
        return healthcheck()
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
