"""A real Celery worker, started as a subprocess against Redis and the test database, delivers,
retries and recovers: nothing is lost and nothing is sent twice.

The worker writes its e-mail as files in a temporary directory (TEST_EMAIL_DIR, read by
config/test_settings.py). The tests run in the services mode only: they are skipped when
REDIS_URL is unset (the embedded run), and CI always sets it.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.db import connection, transaction
from django.urls import reverse

from config.celery import app as celery_app
from notifications.models import Notification, OutgoingEmail
from notifications.services import notify, queue_email
from notifications.tasks import requeue
from tests.factories import UserFactory
from tests.notifications.mailbox import read_mailbox

pytestmark = [
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="the worker tests need Redis (the services mode)"),
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[2]


def wait_for(condition, *, timeout=60, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {message}")


def worker_database_url() -> str:
    settings = connection.settings_dict
    if "postgresql" not in settings["ENGINE"]:
        pytest.fail("the worker tests share the test database with a subprocess: set DATABASE_URL (PostgreSQL)")
    credentials = quote(settings["USER"] or "") + (f":{quote(settings['PASSWORD'])}" if settings["PASSWORD"] else "")
    return f"postgres://{credentials}@{settings['HOST'] or 'localhost'}:{settings['PORT'] or 5432}/{settings['NAME']}"


class Worker:
    """`celery -A config worker` in its own process group, stopped with a warm shutdown."""

    def __init__(self, directory: Path, *, env: dict | None = None):
        self.env = env or {}  # e.g. another REDIS_URL (tests/faults)
        self.mail_dir = directory / "mail"
        self.log_path = directory / "worker.log"
        self.process = None

    def start(self):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.test_settings",
            "DATABASE_URL": worker_database_url(),
            "TEST_EMAIL_DIR": str(self.mail_dir),
            "NOTIFICATION_RETRY_BASE_SECONDS": "1",
            **self.env,
        }
        start = self.log_path.stat().st_size if self.log_path.exists() else 0
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel=INFO", "--concurrency=2"]
            + [
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"notify-{uuid.uuid4().hex[:8]}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        wait_for(lambda: b" ready." in self.log_path.read_bytes()[start:] or self.process.poll() is not None)
        assert self.process.poll() is None, self.log_path.read_text()

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def mail(self):
        return read_mailbox(self.mail_dir) if self.mail_dir.exists() else []


@pytest.fixture
def worker(tmp_path):
    celery_app.control.purge()  # tasks left on the test broker by earlier tests
    worker = Worker(tmp_path)
    worker.start()
    yield worker
    worker.stop()


@pytest.fixture
def queue():
    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    yield lambda: client.llen("celery")  # kombu keeps the default queue in a Redis list of that name
    client.close()


@contextmanager
def broker_unreachable():
    """Point this process's Celery client at a closed port, as when Redis is down."""
    saved = celery_app.conf.broker_url, celery_app._pool, celery_app.amqp._producer_pool
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    celery_app._pool = celery_app.amqp._producer_pool = None
    try:
        yield
    finally:
        celery_app.conf.broker_url, celery_app._pool, celery_app.amqp._producer_pool = saved


def all_delivered():
    return not Notification.objects.undelivered().exists() and not OutgoingEmail.objects.filter(sent_at=None).exists()


def test_worker_delivers_each_notification_once_after_commit(worker, people):
    readers = [UserFactory(language="sv") for _ in range(3)]
    with transaction.atomic():
        notify(kind="mention", recipients=[*readers, people.unverified], params={"person": "Erik", "thread": "Q&A"})
        time.sleep(1)  # time passing, for the worker to show that nothing leaves before commit
        assert worker.mail() == []
    wait_for(all_delivered, message="delivery")
    mail = worker.mail()
    assert sorted(m["To"] for m in mail) == sorted(u.email for u in readers)
    assert all(m["Subject"] == "Erik nämnde dig i Q&A." for m in mail)
    assert Notification.objects.get(recipient=people.unverified).email_state == Notification.EmailState.SKIPPED


def test_failed_sends_are_retried_with_backoff_until_delivered(worker, people):
    (worker.mail_dir).mkdir(parents=True, exist_ok=True)
    (worker.mail_dir / "fail-next").write_text("2")
    notify(kind="mention", recipients=[people.erik], params={"person": "Anna", "thread": "Allmänt"})
    wait_for(all_delivered, message="delivery after two failures")
    notification = Notification.objects.get()
    assert notification.attempts == 2 and notification.email_state == Notification.EmailState.SENT
    assert [m["To"] for m in worker.mail()] == [people.erik.email]
    assert "Retry in" in worker.log_path.read_text()


def test_events_while_the_worker_is_down_are_delivered_exactly_once_when_it_is_back(worker, people, queue, settings):
    worker.stop()
    participants = [UserFactory() for _ in range(250)]
    with transaction.atomic():
        notify(kind="answer_published", recipients=participants, params={"dialogue": "Solceller"})
        queue_email(
            to="ny@vaxjo.se",
            template="accounts/email/invitation",
            context={"invitation": None, "url": "http://x/invitations/abc/", "signup_url": "http://x/"},
            language="sv",
        )
    assert queue() == 4  # 250 rows in batches of 100, and the e-mail: 4 tasks, not 251
    # The sweep runs during the outage too and queues everything again: harmless.
    assert requeue(older_than=timedelta(0)) == 251
    time.sleep(1)  # time passing: nothing is delivered while the worker is down
    assert worker.mail() == [] and Notification.objects.undelivered().count() == 250

    worker.start()
    wait_for(all_delivered, timeout=120, message="delivery after the restart")
    wait_for(lambda: queue() == 0, message="the queue to drain")
    time.sleep(2)  # duplicates still running would write their e-mail now
    addresses = [m["To"] for m in worker.mail()]
    assert len(addresses) == 251
    assert sorted(addresses) == sorted([u.email for u in participants] + ["ny@vaxjo.se"])


def test_broker_outage_at_commit_keeps_the_request_working_and_the_sweep_delivers_later(
    worker, client, facilitator, unverified_admin, caplog
):
    organisation = unverified_admin.affiliations.get().organisation
    client.force_login(facilitator)
    with broker_unreachable():
        response = client.post(reverse("accounts:organisation-review", args=[organisation.pk]), {"decision": "verify"})
    assert response.status_code == 302
    assert "Could not queue delivery" in caplog.text
    notification = Notification.objects.get(kind="organisation_reviewed")
    time.sleep(1)  # time passing: nothing delivers what the broker never got, until the sweep
    assert notification.delivered_at is None and worker.mail() == []

    assert requeue(older_than=timedelta(0)) == 1  # what the beat sweep does every five minutes
    wait_for(all_delivered, message="delivery after the sweep")
    assert [m["To"] for m in worker.mail()] == [unverified_admin.email]
