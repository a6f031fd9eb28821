import logging
import os

from celery import Celery
from kombu.transport import redis as kombu_redis

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

logger = logging.getLogger(__name__)


class QoS(kombu_redis.QoS):
    """Kombu's Redis QoS, except that it does not talk to a broker connection that is gone.

    When Redis goes away while a worker holds unacknowledged (late-acknowledged) tasks, Celery
    collects the broken connection and closes it. Closing asks the channel to give the
    unacknowledged messages back, and a task of that connection that finishes later acknowledges
    on it; both go through the detached transport, and the AttributeError this raises is
    "unrecoverable": the worker stops consuming and hangs instead of reconnecting
    (tests/faults/test_worker_faults.py caught both). Nothing is lost by skipping them: the
    messages stay in Redis's unacked set for the visibility timeout, and the notification sweep
    queues again whatever rows are still undelivered.

    Checked against kombu 5.7.0: the Redis QoS's ack, reject and (the virtual QoS's)
    restore_unacked_once talk to the broker through self.channel, and Connection.collect detaches
    the transport by setting its `client` to None, which is how _detached tells. Kombu's Redis
    Channel takes its QoS class from the `QoS` attribute replaced below.
    tests/test_patched_internals.py fails when any of these changes."""

    def _detached(self) -> bool:
        return getattr(self.channel.connection, "client", None) is None

    def restore_unacked_once(self, stderr=None):
        if self._detached():
            logger.warning("Broker connection lost with %d unacknowledged messages held", len(self._delivered))
            return None
        return super().restore_unacked_once(stderr)

    def ack(self, delivery_tag):
        if self._detached():
            logger.warning("Not acknowledging %s: its broker connection is gone", delivery_tag)
            return None
        return super().ack(delivery_tag)

    def reject(self, delivery_tag, requeue=False):
        if self._detached():
            logger.warning("Not rejecting %s: its broker connection is gone", delivery_tag)
            return None
        return super().reject(delivery_tag, requeue=requeue)


kombu_redis.Channel.QoS = QoS  # every Redis channel of the process, the worker's included

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
