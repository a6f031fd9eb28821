"""/health/ against the real backends of the current mode; "down" means a real refused connection."""

import pytest
from channels.layers import channel_layers
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import override_settings
from django.utils.functional import empty

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def fresh_channel_layers():
    channel_layers.backends = {}
    yield
    channel_layers.backends = {}


def test_all_up(client, fresh_channel_layers, settings):
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["down"] == []
    expected_database = "postgresql" if "postgres" in settings.DATABASES["default"]["ENGINE"] else "sqlite"
    assert body["checks"]["database"]["backend"] == expected_database
    expected_broker = "eager" if settings.CELERY_TASK_ALWAYS_EAGER else "redis"
    assert body["checks"]["broker"]["backend"] == expected_broker


def test_broker_down(client, fresh_channel_layers):
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL=UNREACHABLE_REDIS):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["down"] == ["broker"]


def test_channel_layer_down(client, fresh_channel_layers):
    layer = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [UNREACHABLE_REDIS]}}}
    with override_settings(CHANNEL_LAYERS=layer):
        channel_layers.backends = {}
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["down"] == ["channel_layer"]


MANIFEST_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"


@pytest.fixture
def manifest_storage(settings, tmp_path):
    """Production's static storage, collecting into an empty folder of its own."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}}
    settings.WHITENOISE_USE_FINDERS = False
    return settings.STATIC_ROOT


def test_static_files_without_collectstatic_are_down(client, fresh_channel_layers, manifest_storage):
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["down"] == ["static_files"]


def test_static_files_after_collectstatic_are_up(client, fresh_channel_layers, manifest_storage):
    call_command("collectstatic", interactive=False, verbosity=0)
    staticfiles_storage._wrapped = empty  # a process started after collectstatic loads its manifest
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["checks"]["static_files"] == {"up": True, "backend": "manifest"}


def test_a_collected_site_css_that_went_missing_is_down(client, fresh_channel_layers, manifest_storage):
    call_command("collectstatic", interactive=False, verbosity=0)
    for path in manifest_storage.joinpath("css").glob("site.*"):
        path.unlink()
    staticfiles_storage._wrapped = empty
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["down"] == ["static_files"]
