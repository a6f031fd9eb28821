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
        DJANGO_DEBUG="false",
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


def compose(*args, env):
    return subprocess.run(["docker-compose", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_docker_compose_file_validates(tmp_path):
    if shutil.which("docker-compose") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("docker-compose is missing in CI (.ci/run installs it)")
        pytest.skip("docker-compose is not installed (apt-get install docker-compose)")
    # An empty env file, so a developer's own .env cannot change the outcome.
    empty_env_file = tmp_path / "empty.env"
    empty_env_file.write_text("")
    base = ["--env-file", str(empty_env_file), "-f", "docker-compose.yml"]
    env = {key: value for key, value in os.environ.items() if key not in {"DJANGO_SECRET_KEY", "EMAIL_HOST"}}
    required = {"DJANGO_SECRET_KEY": "validate-only", "EMAIL_HOST": "smtp.invalid"}

    result = compose(*base, "config", "-q", env={**env, **required})
    assert result.returncode == 0, result.stderr
    services = compose(*base, "config", "--services", env={**env, **required})
    assert sorted(services.stdout.split()) == ["beat", "postgres", "redis", "web", "worker"]

    # No secret, no stack: the file insists on DJANGO_SECRET_KEY instead of a default.
    missing = compose(*base, "config", "-q", env={**env, "EMAIL_HOST": "smtp.invalid"})
    assert missing.returncode != 0
    assert "DJANGO_SECRET_KEY" in missing.stderr
