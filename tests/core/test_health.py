"""/health/ against the real backends of the current mode; "down" means a real refused connection."""

import pytest
from channels.layers import channel_layers
from django.test import override_settings

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
