"""Celery tasks: thin wrappers that take primary keys and call notifications.delivery.

The beat schedule (config/settings.py) runs the digest at 07:00 Europe/Stockholm, the
reminders every quarter of an hour and the sweep every five minutes.
"""

import logging
import random
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from notifications import delivery
from notifications.models import Notification, OutgoingEmail
from notifications.reminders import send_due_reminders
from notifications.services import schedule_delivery, schedule_email

logger = logging.getLogger(__name__)


def backoff(retries: int) -> float:
    """30 s, 1 min, 2 min … at most 30 min (NOTIFICATION_RETRY_BASE_SECONDS doubling), with
    jitter so that retries after an outage do not all come at once."""
    base = settings.NOTIFICATION_RETRY_BASE_SECONDS
    return min(base * 2**retries, 1800) + random.uniform(0, base / 2)


@shared_task(bind=True, max_retries=6)
def deliver_notifications(self, notification_ids: list[int]) -> None:
    """Deliver a batch of outbox rows; rows that failed are retried with backoff (rows already
    delivered are skipped, so a retried or duplicated task never sends twice)."""
    failed = delivery.deliver(notification_ids)
    if failed and not self.request.is_eager:
        raise self.retry(args=[failed], countdown=backoff(self.request.retries))


@shared_task(bind=True, max_retries=6)
def send_outgoing_email(self, email_id: int) -> None:
    """Send one queued direct e-mail (an invitation) once; retried with backoff on failure."""
    try:
        delivery.send_outgoing(email_id)
    except Exception as error:
        if self.request.is_eager:
            logger.warning("E-mail %s not sent (%s); the sweep will retry", email_id, error)
            return
        raise self.retry(countdown=backoff(self.request.retries)) from error


@shared_task
def send_digests() -> int:
    """Daily: find the people with unread digest items in one query and hand them out in
    batches (never one task per person, never an empty digest)."""
    user_ids = delivery.users_with_digest_items()
    size = settings.NOTIFICATION_DIGEST_BATCH_SIZE
    for start in range(0, len(user_ids), size):
        send_digest_batch.delay(user_ids[start : start + size])
    return len(user_ids)


@shared_task(max_retries=0)
def send_digest_batch(user_ids: list[int]) -> int:
    return delivery.send_digests_to(user_ids)


@shared_task
def send_reminders() -> int:
    """Run every reminder source for what is due now; dedupe keys make reruns harmless."""
    return send_due_reminders(now=timezone.now())


@shared_task
def requeue_undelivered() -> int:
    """The sweep: queue again what is still undelivered some minutes after it was written
    (the broker or every worker was down, or a task gave up its retries)."""
    return requeue(older_than=timedelta(seconds=settings.NOTIFICATION_SWEEP_AFTER_SECONDS))


def requeue(*, older_than: timedelta) -> int:
    cutoff = timezone.now() - older_than
    limit = settings.NOTIFICATION_SWEEP_LIMIT
    notification_ids = list(
        Notification.objects.undelivered()
        .filter(created_at__lte=cutoff, attempts__lt=settings.NOTIFICATION_MAX_ATTEMPTS)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    schedule_delivery(notification_ids)
    email_ids = list(
        OutgoingEmail.objects.filter(
            sent_at__isnull=True, created_at__lte=cutoff, attempts__lt=settings.NOTIFICATION_MAX_ATTEMPTS
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    for email_id in email_ids:
        schedule_email(email_id)
    if notification_ids or email_ids:
        logger.info("Sweep queued %d notifications and %d e-mails again", len(notification_ids), len(email_ids))
    return len(notification_ids) + len(email_ids)
