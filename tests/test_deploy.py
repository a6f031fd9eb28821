"""The production configuration passes `check --deploy`; the laptop defaults do not."""

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_deploy_check(tmp_path, **overrides):
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_VAR_DIR": str(tmp_path)})
    env.update(overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = run_deploy_check(
        tmp_path,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_HTTPS="true",
        DJANGO_ALLOWED_HOSTS="bestallargrupper.example",
        EMAIL_HOST="smtp.bestallargrupper.example",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_laptop_defaults_fail_the_deploy_check(tmp_path):
    result = run_deploy_check(tmp_path)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "security.W009" in output  # the django-insecure- key
    assert "mail.E001" in output  # the console e-mail backend


def test_docker_compose_file_validates():
    if shutil.which("docker-compose") is None:
        if os.environ.get("CI"):
            pytest.fail("docker-compose is missing in CI (.ci/run installs it)")
        pytest.skip("docker-compose is not installed")
    env = {**os.environ, "DJANGO_SECRET_KEY": "validate-only", "EMAIL_HOST": "smtp.invalid"}
    result = subprocess.run(
        ["docker-compose", "-f", "docker-compose.yml", "config", "-q"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    services = subprocess.run(
        ["docker-compose", "-f", "docker-compose.yml", "config", "--services"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert sorted(services) == ["beat", "postgres", "redis", "web", "worker"]
