"""With DEBUG off Yoake refuses to start on a default secret, and `check --deploy` is clean.

Settings are read once per process, so each case imports them in a fresh Python.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEVELOPMENT_SECRET = "development-only-secret-do-not-use-in-production"
SETTINGS_VARIABLES = {
    "DEBUG",
    "SECRET_KEY",
    "IP_HASH_SECRET",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_SSL_REDIRECT",
    "TRUSTED_PROXY_COUNT",
}


def production_environment(**overrides: str | None) -> dict[str, str]:
    """What an operator sets in production; None removes a variable."""
    env = {name: value for name, value in os.environ.items() if name not in SETTINGS_VARIABLES}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        IP_HASH_SECRET=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="yoake.example",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    env.update(overrides)
    return {name: value for name, value in env.items() if value is not None}


def run_python(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def start(env: dict[str, str]) -> subprocess.CompletedProcess:
    return run_python("-c", "import django; django.setup()", env=env)


def test_production_starts_with_long_random_secrets():
    result = start(production_environment())
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("name", ["SECRET_KEY", "IP_HASH_SECRET"])
def test_production_refuses_to_start_when_a_secret_is_not_set(name):
    result = start(production_environment(**{name: None}))
    assert result.returncode != 0
    assert f"{name} must be set to a long random value" in result.stderr


@pytest.mark.parametrize("name", ["SECRET_KEY", "IP_HASH_SECRET"])
def test_production_refuses_to_start_on_the_development_secret(name):
    result = start(production_environment(**{name: DEVELOPMENT_SECRET + "-" + "x" * 60}))
    assert result.returncode != 0
    assert f"{name} must be set to a long random value" in result.stderr


@pytest.mark.parametrize("name", ["SECRET_KEY", "IP_HASH_SECRET"])
def test_production_refuses_to_start_on_a_short_secret(name):
    result = start(production_environment(**{name: "short-and-guessable"}))
    assert result.returncode != 0
    assert f"{name} must be set to a long random value" in result.stderr


def test_development_starts_without_any_secret():
    result = start(production_environment(DEBUG="1", SECRET_KEY=None, IP_HASH_SECRET=None))
    assert result.returncode == 0, result.stderr


def test_a_mistyped_boolean_is_refused_rather_than_guessed():
    result = start(production_environment(DEBUG="maybe"))
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_check_deploy_is_clean_under_production_settings():
    result = run_python(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING", env=production_environment()
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNINGS" not in output
