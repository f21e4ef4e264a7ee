"""docker compose runs PostgreSQL 16, Redis 7 and the web service, each with a healthcheck."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from config.launch import serve_command

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_runs_postgres_redis_and_the_web_service(compose):
    # Services of a profile (`scale`: tests/config/test_compose_scale.py) start only when asked.
    default = {name for name, service in compose["services"].items() if not service.get("profiles")}
    assert default == {"postgres", "redis", "migrate", "web"}
    assert compose["services"]["postgres"]["image"] == "postgres:16"
    assert compose["services"]["redis"]["image"] == "redis:7"
    assert compose["services"]["web"]["build"] == "."


@pytest.mark.parametrize("service", ["postgres", "redis", "web"])
def test_every_service_has_a_healthcheck(compose, service):
    healthcheck = compose["services"][service]["healthcheck"]

    assert healthcheck["test"]
    assert healthcheck["interval"]


def test_the_web_healthcheck_asks_healthz(compose):
    command = compose["services"]["web"]["healthcheck"]["test"]
    assert command == ["CMD", "python", "-m", "config.launch", "healthcheck"]
    assert "/healthz" in (ROOT / "config" / "launch.py").read_text()


def test_the_web_service_starts_only_after_its_databases_are_healthy_and_migrated(compose):
    depends = compose["services"]["web"]["depends_on"]

    assert depends == {
        "postgres": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
        "migrate": {"condition": "service_completed_successfully"},
    }


def test_data_lives_in_named_volumes(compose):
    assert set(compose["volumes"]) == {"postgres-data", "postgres-replica-data", "redis-data"}
    assert "postgres-data:/var/lib/postgresql/data" in compose["services"]["postgres"]["volumes"]
    assert "redis-data:/data" in compose["services"]["redis"]["volumes"]


def test_the_web_service_runs_in_production_mode_and_demands_real_secrets(compose):
    environment = compose["services"]["web"]["environment"]

    assert environment["DEBUG"] == "0"
    for name in ["SECRET_KEY", "IP_HASH_SECRET"]:
        assert re.fullmatch(r"\$\{" + name + r":\?.+\}", environment[name]), name
    for name in [
        "DATABASE_URL",
        "REDIS_URL",
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "TRUSTED_PROXY_COUNT",
    ]:
        assert name in environment
    assert environment["DATABASE_URL"].endswith("@postgres:5432/yoake")
    assert environment["REDIS_URL"] == "redis://redis:6379/0"


def test_the_web_port_is_published_on_the_loopback_address_only(compose):
    assert compose["services"]["web"]["ports"] == ["127.0.0.1:8000:8000"]


def test_the_image_serves_with_the_same_command_as_make_run():
    dockerfile = (ROOT / "Dockerfile").read_text()

    assert dockerfile.startswith("# ") and "FROM python:3.11-slim" in dockerfile
    assert re.search(r"^USER (?!root)\w+", dockerfile, re.MULTILINE)
    assert 'CMD ["python", "-m", "config.launch", "serve"]' in dockerfile


def test_the_server_writes_no_client_addresses_and_trusts_no_proxy_headers():
    command = serve_command({"WEB_WORKERS": "3"})

    assert "--no-access-log" in command
    assert "--no-proxy-headers" in command
    assert command[command.index("--ws-max-size") + 1] == "4096"
    assert command[command.index("--lifespan") + 1] == "off"
    assert command[command.index("--workers") + 1] == "3"
