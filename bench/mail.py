"""An e-mail backend that sends nothing: it notes the moment each message was handed to it
and the recipients in a Redis list, so the benchmark driver (another process) can see when
the Celery worker sent every e-mail."""

import json
import time

import redis
from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

MAIL_KEY = "bench:mail"


class RecordingBackend(BaseEmailBackend):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = redis.Redis.from_url(settings.REDIS_URL)

    def send_messages(self, email_messages):
        now = time.time()
        entries = [json.dumps({"at": now, "to": list(message.to)}) for message in email_messages]
        if entries:
            self.client.rpush(MAIL_KEY, *entries)
        return len(entries)
