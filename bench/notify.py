"""Notifications: an answer published to the 500 participants of a market dialogue, over HTTP
by the group's coordinator, with one Celery worker: the time until every in-app notification
exists, until every one is delivered, and until every e-mail is handed to the e-mail backend
(bench.mail.RecordingBackend). Baseline: 500 plain e-mails through the same worker and backend
in batches of the same size, without the platform's work.

    python -m bench.notify
"""

import asyncio
import json
import time

from bench import common, live

PARTICIPANTS = 500
TARGET_SECONDS = 30
LIMIT_SECONDS = 180


def main() -> None:
    common.setup("notify")
    import redis
    from django.conf import settings
    from django.db import connection

    from bench import seed
    from bench.mail import MAIL_KEY
    from bench.report import write
    from bench.tasks import send_plain_emails
    from dialogues.models import Answer
    from dialogues.services.answers import save_answer_draft
    from notifications.models import Notification

    authority = seed.organisations(1, name="Växjö kommun")[0]
    coordinator = seed.person(authority)
    group = seed.group(coordinator, authority)
    need = seed.need(group, coordinator)
    dialogue = seed.dialogue(group, need, coordinator)
    participants = seed.add_participants(dialogue, PARTICIPANTS)
    answer = save_answer_draft(
        dialogue=dialogue,
        user=coordinator,
        body="Ja, batteribyte under skiftet godtas om det tar högst tio minuter.",
        question_text="Godtas batteribyte?",
        kind=Answer.Kind.CLARIFICATION,
    )
    seed.analyze()
    cookie = seed.sign_in([coordinator])[coordinator.pk]
    mailbox = redis.Redis.from_url(settings.REDIS_URL)

    def mails() -> list[float]:
        return [json.loads(entry)["at"] for entry in mailbox.lrange(MAIL_KEY, 0, -1)]

    def wait(done, limit=LIMIT_SECONDS):
        deadline = time.monotonic() + limit
        while not done() and time.monotonic() < deadline:
            time.sleep(0.05)

    with common.Platform() as platform:
        # Baseline: the same number of e-mails, batches of NOTIFICATION_BATCH_SIZE, same worker.
        mailbox.delete(MAIL_KEY)
        size = settings.NOTIFICATION_BATCH_SIZE
        addresses = [person.email for person in participants]
        started = time.time()
        for start in range(0, len(addresses), size):
            send_plain_emails.delay(addresses[start : start + size])
        wait(lambda: mailbox.llen(MAIL_KEY) >= len(addresses))
        baseline_seconds = max(mails(), default=float("nan")) - started

        # The platform: the coordinator publishes the answer.
        mailbox.delete(MAIL_KEY)
        kinds = ["answer_published", "own_question_answered"]
        answered = Notification.objects.filter(target_id=answer.pk, kind__in=kinds)
        poster = common.HttpConnection(platform.port, f"{cookie}; csrftoken={live.CSRF}")
        started, clock = time.time(), time.monotonic()
        status, _body = asyncio.run(
            poster.request(
                "POST",
                f"/dialogues/{dialogue.pk}/answers/{answer.pk}/publish/",
                body=b"",
                headers={"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": live.CSRF},
            )
        )
        response_seconds = time.monotonic() - clock
        wait(lambda: answered.count() >= PARTICIPANTS)
        exist_seconds = time.monotonic() - clock
        wait(lambda: answered.filter(delivered_at__isnull=False).count() >= PARTICIPANTS)
        delivered_seconds = time.monotonic() - clock
        wait(lambda: mailbox.llen(MAIL_KEY) >= PARTICIPANTS)
        sent = mails()
        emailed_seconds = max(sent, default=float("nan")) - started
        first_email_seconds = min(sent, default=float("nan")) - started
        counts = {
            "notifications": answered.count(),
            "delivered": answered.filter(delivered_at__isnull=False).count(),
            "emailed": answered.filter(email_state="sent").count(),
            "emails_handed_to_backend": len(sent),
        }
    connection.close()

    figures = {
        "participants": PARTICIPANTS,
        "publish_status": status,
        "publish_response_s": round(response_seconds, 3),
        "all_notifications_exist_s": round(exist_seconds, 3),
        "all_delivered_s": round(delivered_seconds, 3),
        "first_email_s": round(first_email_seconds, 3),
        "all_emailed_s": round(emailed_seconds, 3),
        "baseline_plain_emails_s": round(baseline_seconds, 3),
        "counts": counts,
        "target_s": TARGET_SECONDS,
    }
    emailed = figures["all_emailed_s"]
    met = "yes" if emailed_seconds < TARGET_SECONDS and len(sent) == PARTICIPANTS else "NO"
    write(
        "notifications",
        figures=figures,
        headers=("measure", "seconds", "baseline (500 plain e-mails, same worker)", "target met"),
        table=[
            (f"POST publish answered (HTTP status {status})", figures["publish_response_s"], "", ""),
            ("all 500 in-app notifications exist", figures["all_notifications_exist_s"], "", ""),
            ("all 500 delivered (outbox rows done)", figures["all_delivered_s"], "", ""),
            ("first e-mail handed to the backend", figures["first_email_s"], "", ""),
            ("all 500 e-mails handed to the backend", emailed, figures["baseline_plain_emails_s"], met),
        ],
        notes=(
            f"{PARTICIPANTS} supplier organisations take part, one person each with a verified address and the "
            "default preferences (answers e-mailed at once). Times from the publishing POST leaving the driver. "
            f"Counts: {counts}. One Celery worker (concurrency 1), {common.WORKERS} daphne processes. "
            f"Target: every e-mail handed to the backend within {TARGET_SECONDS} s."
        ),
    )


if __name__ == "__main__":
    main()
