"""In compose, `migrate` runs as yoake_owner and `web` as yoake_app, the role that owns nothing.

Read from `docker compose config` (the file as compose itself resolves it) where docker compose
runs, and from the YAML everywhere.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SECRETS = {"SECRET_KEY": "compose-test-secret", "IP_HASH_SECRET": "compose-test-secret"}


def from_yaml() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def from_docker_compose() -> dict:
    if not shutil.which("docker"):
        pytest.skip("docker is not installed here; the [yaml] run of this test reads the file")
    result = subprocess.run(
        ["docker", "compose", "-f", "docker-compose.yml", "config", "--format", "json"],
        cwd=ROOT,
        env={"PATH": "/usr/local/bin:/usr/bin:/bin", **SECRETS},
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or ["no output"])[0][:120]
        pytest.skip(
            f"`docker compose config` cannot run here ({reason}); "
            "the [yaml] run of this test reads the file"
        )
    return json.loads(result.stdout)


@pytest.fixture(params=["docker compose config", "yaml"])
def compose(request) -> dict:
    return from_docker_compose() if request.param == "docker compose config" else from_yaml()


def database_user(compose: dict, service: str) -> str:
    return urlsplit(compose["services"][service]["environment"]["DATABASE_URL"]).username


def test_migrate_runs_as_the_owner_and_the_web_app_as_the_role_that_owns_nothing(compose):
    assert database_user(compose, "migrate") == "yoake_owner"
    assert compose["services"]["migrate"]["command"] == [
        "python",
        "-m",
        "config.launch",
        "migrate",
    ]
    assert database_user(compose, "web") == "yoake_app"
    # The web app does not migrate on start: its role could not, and must not need to.
    assert compose["services"]["web"]["environment"]["MIGRATE_ON_START"] == "0"
    assert compose["services"]["web"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )


def test_both_run_the_same_image_with_the_same_settings(compose):
    migrate, web = (compose["services"][name]["environment"] for name in ("migrate", "web"))
    shared = set(migrate) - {"DATABASE_URL"}
    assert {"SECRET_KEY", "IP_HASH_SECRET", "REDIS_URL", "DEBUG"} <= shared
    assert {name: migrate[name] for name in shared} == {name: web[name] for name in shared}
    assert compose["services"]["migrate"]["image"] == compose["services"]["web"]["image"]


def test_postgres_makes_the_two_roles_on_its_first_start(compose):
    postgres = compose["services"]["postgres"]
    mounts = [
        (m["source"], m["target"]) if isinstance(m, dict) else tuple(m.split(":")[:2])
        for m in postgres["volumes"]
    ]
    init = [source for source, target in mounts if target == "/docker-entrypoint-initdb.d"]
    assert len(init) == 1
    assert Path(ROOT, init[0]).resolve() == ROOT / "deploy" / "postgres"
    assert {"YOAKE_OWNER_PASSWORD", "YOAKE_APP_PASSWORD"} <= set(postgres["environment"])
    scripts = sorted(p.name for p in (ROOT / "deploy" / "postgres").iterdir())
    assert scripts == ["10-roles.sql", "20-passwords.sh", "30-replication.sh"]
