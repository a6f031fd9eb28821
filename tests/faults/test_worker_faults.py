"""The Celery worker and its broker fail (PRODUCT.md §4, "Nothing lost"): a worker stopped
while events happen delivers each notification exactly once when it is started again, and a
worker whose Redis restarts under it consumes again afterwards. The worker is a real
`celery -A config worker` (tests/notifications/test_worker.py) on a Redis of the test's own;
this process queues its tasks on the same Redis."""

import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import transaction

from config.celery import app as celery_app
from notifications.models import Notification, OutgoingEmail
from notifications.services import notify, queue_email
from notifications.tasks import requeue
from tests.factories import UserFactory
from tests.faults.services import wait_for
from tests.notifications.test_worker import Worker

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def celery_broker(url: str):
    """Queue this process's tasks on the given broker (the test's own Redis)."""
    saved = celery_app.conf.broker_url, celery_app._pool, celery_app.amqp._producer_pool
    celery_app.conf.broker_url = url
    celery_app._pool = celery_app.amqp._producer_pool = None
    try:
        yield
    finally:
        celery_app.conf.broker_url, celery_app._pool, celery_app.amqp._producer_pool = saved


@pytest.fixture
def worker(own_redis, tmp_path):
    worker = Worker(tmp_path, env={"REDIS_URL": own_redis.url})
    with celery_broker(own_redis.url):
        try:
            worker.start()
            yield worker
        finally:
            worker.stop()


def wait_for_worker(worker, condition, *, message, timeout=60):
    try:
        wait_for(condition, timeout=timeout, message=message)
    except AssertionError as error:
        log = worker.log_path.read_text() if worker.log_path.exists() else ""
        raise AssertionError(f"{error}; the worker said:\n{log[-20000:]}") from None


def all_delivered() -> bool:
    return not Notification.objects.undelivered().exists() and not OutgoingEmail.objects.filter(sent_at=None).exists()


def settle(worker):
    """Everything delivered, and long enough after it for a duplicate still running to show."""
    wait_for_worker(worker, all_delivered, message="every notification delivered")
    count = len(worker.mail())
    time.sleep(1)  # time passing, for a duplicate still running to write its e-mail
    assert len(worker.mail()) == count


def mention(people, thread="Laddning"):
    notify(kind="mention", recipients=people, params={"person": "Anna", "thread": thread})


def test_events_while_the_worker_is_stopped_are_delivered_exactly_once_when_it_starts(worker):
    people = [UserFactory() for _ in range(120)]
    worker.stop()
    for start in range(0, 120, 40):  # three events, each in its own transaction
        with transaction.atomic():
            mention(people[start : start + 40], thread=f"Tråd {start}")
    invitation = {"invitation": None, "url": "http://x/invitations/abc/", "signup_url": "http://x/"}
    queue_email(to="ny@vaxjo.se", template="accounts/email/invitation", context=invitation, language="sv")
    time.sleep(1)  # time passing: nothing is delivered while the worker is stopped
    assert worker.mail() == [] and Notification.objects.undelivered().count() == 120

    worker.start()
    settle(worker)
    addresses = sorted(message["To"] for message in worker.mail())
    assert addresses == sorted([person.email for person in people] + ["ny@vaxjo.se"])
    assert Notification.objects.filter(attempts__gt=1).count() == 0


def test_the_worker_consumes_again_after_redis_restarts_under_it(worker, own_redis):
    before, during, after = UserFactory(), UserFactory(), UserFactory()
    mention([before])
    wait_for_worker(worker, all_delivered, message="delivery before the restart")

    own_redis.kill()
    mention([during])  # the broker is down at commit: logged, the row waits for the sweep
    own_redis.start()  # empty: a Redis without persistence lost its queue

    mention([after])  # queued on the new Redis: only a worker that reconnected delivers it
    wait_for_worker(
        worker,
        lambda: not Notification.objects.filter(recipient=after, delivered_at=None).exists(),
        message="the worker to consume after the restart",
    )
    assert requeue(older_than=timedelta(0)) == 1  # what the beat sweep does every five minutes
    settle(worker)
    assert sorted(message["To"] for message in worker.mail()) == sorted(p.email for p in (before, during, after))


def test_a_worker_keeps_reconnecting_to_its_broker_and_cancels_what_it_cannot_acknowledge():
    # Without these a worker exits after 100 failed reconnections (some 45 minutes of Redis
    # outage), and tasks running when the connection broke acknowledge on a dead connection.
    assert celery_app.conf.broker_connection_retry is True
    assert celery_app.conf.broker_connection_max_retries is None
    assert celery_app.conf.worker_cancel_long_running_tasks_on_connection_loss is True
