"""`docker compose --profile scale up nginx` runs the topology of `make cluster`: a streaming
replica, a second Redis for the channel layer, two hosts and nginx with the README's proxy
settings in front. Read from `docker compose --profile scale config` where it runs, and from
the YAML everywhere."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from config.cluster import PROXY_CONF

ROOT = Path(__file__).resolve().parents[2]
SECRETS = {"SECRET_KEY": "compose-test-secret", "IP_HASH_SECRET": "compose-test-secret"}
SCALE = {"postgres-replica", "redis-b", "web-a", "web-b", "nginx"}


def from_docker_compose() -> dict:
    if not shutil.which("docker"):
        pytest.skip("docker is not installed here; the [yaml] run of this test reads the file")
    result = subprocess.run(
        ["docker", "compose", "--profile", "scale", "config", "--format", "json"],
        cwd=ROOT,
        env={"PATH": "/usr/local/bin:/usr/bin:/bin", **SECRETS},
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or ["no output"])[0][:120]
        pytest.skip(f"`docker compose config` cannot run here ({reason}); [yaml] reads the file")
    return json.loads(result.stdout)


@pytest.fixture(params=["docker compose config", "yaml"])
def compose(request) -> dict:
    if request.param == "yaml":
        return yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return from_docker_compose()


def test_the_scale_profile_adds_a_replica_a_second_redis_two_hosts_and_nginx(compose):
    scale = {name for name, s in compose["services"].items() if "scale" in s.get("profiles", [])}
    assert scale == SCALE


@pytest.mark.parametrize("host", ["web-a", "web-b"])
def test_each_host_reads_from_the_replica_and_shards_the_channel_layer(compose, host):
    environment = compose["services"][host]["environment"]

    assert environment["DATABASE_URL"].endswith("@postgres:5432/yoake")
    assert environment["DATABASE_REPLICA_URLS"].endswith("@postgres-replica:5432/yoake")
    assert environment["CHANNEL_REDIS_URLS"] == "redis://redis:6379/0,redis://redis-b:6379/0"
    assert environment["TRUSTED_PROXY_COUNT"] == "1"
    assert environment["DATABASE_URL"].startswith("postgres://yoake_app:")
    assert environment["MIGRATE_ON_START"] == "0"
    assert compose["services"][host]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )


def test_the_replica_is_a_streaming_base_backup_of_the_primary(compose):
    replica = compose["services"]["postgres-replica"]
    script = " ".join(replica["command"])

    assert "pg_basebackup -h postgres -U yoake_replicator" in script
    assert " -R " in script
    assert replica["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "YOAKE_REPLICATION_PASSWORD" in compose["services"]["postgres"]["environment"]


def test_nginx_proxies_to_both_hosts_with_the_readmes_settings(compose):
    nginx = compose["services"]["nginx"]
    mounts = [
        (m["source"], m["target"]) if isinstance(m, dict) else tuple(m.split(":")[:2])
        for m in nginx["volumes"]
    ]
    where = {target: Path(ROOT, source).resolve() for source, target in mounts}
    assert where["/etc/nginx/yoake"] == PROXY_CONF.parent
    site = where["/etc/nginx/conf.d/default.conf"].read_text()
    assert "include /etc/nginx/yoake/yoake-proxy.conf;" in site
    assert "upstream yoake { server web-a:8000; server web-b:8000; }" in site
    assert "access_log off;" in site
    (port,) = nginx["ports"]
    published = port if isinstance(port, str) else f"{port['host_ip']}:{port['published']}"
    assert published.startswith("127.0.0.1:8080")  # the loopback address only, like web
