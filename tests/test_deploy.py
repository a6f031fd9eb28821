"""The production configuration passes `check --deploy`; the laptop defaults do not."""

import json
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_HTTPS": "true",
    "DJANGO_ALLOWED_HOSTS": "bestallargrupper.example",
    "EMAIL_HOST": "smtp.bestallargrupper.example",
}


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
    result = run_deploy_check(tmp_path, DJANGO_SECRET_KEY=secrets.token_urlsafe(50), **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def production_response(tmp_path_factory):
    """A page as production serves it (DEBUG off, HTTPS on), fetched in a subprocess."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env.update(
        {
            **PRODUCTION,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_VAR_DIR": str(tmp_path_factory.mktemp("production")),
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "PYTHONWARNINGS": "ignore",
        }
    )
    result = subprocess.run(
        [sys.executable, "-m", "tests.deploy_probe"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_production_sends_a_content_security_policy_without_inline_script(production_response):
    assert production_response["status"] == 200
    csp = csp_directives(production_response["headers"]["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp.get("style-src", []) and "'unsafe-eval'" not in csp["script-src"]
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"] and csp["form-action"] == ["'self'"]


def test_production_sends_the_transport_and_privacy_headers(production_response):
    headers = production_response["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_production_redirects_plain_http_to_https(production_response):
    assert production_response["plain_status"] == 301
    assert production_response["plain_location"].startswith("https://")


def test_production_cookies_are_secure(production_response):
    assert production_response["settings"] == {
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "DEBUG": False,
    }
    csrf = production_response["cookies"]["csrftoken"]
    assert csrf["secure"] is True or csrf["secure"] == "True"
    assert csrf["samesite"] == "Lax"


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
