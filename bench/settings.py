"""Settings for the benchmarks: production settings (config/settings.py driven by DATABASE_URL
and REDIS_URL, DEBUG off) plus what only a benchmark needs:

- bench/urls.py: the platform's URLs and two bare views, the baselines of the page and
  fan-out figures;
- e-mail handed to bench.mail.RecordingBackend, which notes each message in Redis so the
  driver process sees when the Celery worker sent it;
- BENCH_CHANNEL_LAYER=redis switches from the platform's layer (core.channel_layer.
  PubSubChannelLayer, Redis pub/sub) to the list-based one it was compared with
  (core.channel_layer.BoundedRedisChannelLayer, channels_redis' RedisChannelLayer);
- static files without the manifest (a benchmark does not run collectstatic).
"""

import os

from config.settings import *  # noqa: F403
from config.settings import REDIS_URL, STORAGES

ROOT_URLCONF = "bench.urls"
DEBUG = False
MAILERS = {"default": {"BACKEND": "bench.mail.RecordingBackend"}}
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}

if os.environ.get("BENCH_CHANNEL_LAYER") == "redis":
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "core.channel_layer.BoundedRedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": "bg"},
        }
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

CELERY_IMPORTS = ["bench.tasks"]
