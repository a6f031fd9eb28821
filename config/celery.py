import logging
import os

from celery import Celery
from kombu.transport import redis as kombu_redis

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

logger = logging.getLogger(__name__)


class QoS(kombu_redis.QoS):
    """Kombu's Redis QoS, except that it does not try to give unacknowledged messages back over
    a connection that is already gone.

    When Redis goes away while a worker holds an unacknowledged (late-acknowledged) task, Celery
    collects the broken connection and then closes it; closing asks the channel to restore the
    unacknowledged messages through that connection, whose transport was just detached, and the
    AttributeError this raises is "unrecoverable": the worker stops consuming and hangs instead
    of reconnecting (tests/faults/test_worker_faults.py caught it). The messages are not lost:
    they stay in Redis's unacked set for the visibility timeout, and the notification sweep
    queues the rows they were about again."""

    def restore_unacked_once(self, stderr=None):
        if getattr(self.channel.connection, "client", None) is None:
            logger.warning("Broker connection lost with %d unacknowledged messages held", len(self._delivered))
            return None
        return super().restore_unacked_once(stderr)


kombu_redis.Channel.QoS = QoS

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
