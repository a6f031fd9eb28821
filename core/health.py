"""/health/: is the database, the channel layer and the Celery broker reachable, and can pages
find their static files?

200 when all are up, 503 naming what is down. In the embedded mode the in-memory channel
layer and eager Celery count as up: there is nothing separate that could be down. With the
manifest storage (production: DEBUG off), a process started before `collectstatic` ran, or
without it, would serve every page without its CSS: that counts as down."""

import asyncio
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from kombu import Connection

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 2


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


async def _round_trip(layer) -> None:
    channel = await layer.new_channel("health.")
    await layer.send(channel, {"type": "health.ping"})
    try:
        message = await layer.receive(channel)
    finally:
        if discard := getattr(layer, "discard_channel", None):  # the pub/sub layer keeps it otherwise
            await discard(channel)
    if message.get("type") != "health.ping":
        raise RuntimeError("unexpected message from the channel layer")


def check_channel_layer() -> str:
    layer = get_channel_layer()
    async_to_sync(asyncio.wait_for)(_round_trip(layer), TIMEOUT_SECONDS)
    return type(layer).__name__


def check_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=TIMEOUT_SECONDS) as broker:
        broker.ensure_connection(max_retries=1, timeout=TIMEOUT_SECONDS)
    return "redis"


# A file every page links to (base.html).
STATIC_PROBE = "css/site.css"


def check_static_files() -> str:
    if not isinstance(staticfiles_storage, ManifestFilesMixin):
        return "finders" if settings.WHITENOISE_USE_FINDERS else "files"  # unhashed names: nothing to look up
    if not staticfiles_storage.exists(staticfiles_storage.manifest_name):
        raise FileNotFoundError(staticfiles_storage.manifest_name)
    # The manifest this process loaded when it started (raises ValueError without the entry).
    hashed = staticfiles_storage.stored_name(STATIC_PROBE)
    if not staticfiles_storage.exists(hashed):
        raise FileNotFoundError(hashed)
    return "manifest"


CHECKS = {
    "database": check_database,
    "channel_layer": check_channel_layer,
    "broker": check_broker,
    "static_files": check_static_files,
}


def run_checks() -> tuple[dict, list]:
    """Every check in CHECKS: a report per name, and the names of those that are down. The
    machines' /health/ and the people's /status/ (home.views.system_status) both show this."""
    report, down = {}, []
    for name, check in CHECKS.items():
        try:
            report[name] = {"up": True, "backend": check()}
        except Exception as error:  # any failure means "down"; say which and keep serving
            logger.warning("health check %s failed: %s", name, error)
            report[name] = {"up": False, "error": type(error).__name__}
            down.append(name)
    return report, down


@never_cache
@login_not_required
def health(request):
    report, down = run_checks()
    body = {"status": "down" if down else "ok", "down": down, "checks": report}
    return JsonResponse(body, status=503 if down else 200)
