"""An e-mail backend for the Celery worker subprocess: every message becomes one file in a
directory the test process reads. Writing a number to `fail-next` in that directory makes
that many sends fail first, as an SMTP server that drops the connection would."""

import fcntl
import uuid
from email import message_from_bytes, policy
from pathlib import Path
from smtplib import SMTPServerDisconnected

from django.core.mail.backends.base import BaseEmailBackend


class DirectoryBackend(BaseEmailBackend):
    def __init__(self, *, directory, **kwargs):
        super().__init__(**kwargs)
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)

    def _should_fail(self) -> bool:
        control = self.directory / "fail-next"
        with open(self.directory / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            left = int(control.read_text() or 0) if control.exists() else 0
            if left > 0:
                control.write_text(str(left - 1))
            return left > 0

    def send_messages(self, email_messages):
        sent = 0
        for message in email_messages:
            if self._should_fail():
                raise SMTPServerDisconnected("test server dropped the connection")
            (self.directory / f"{uuid.uuid4().hex}.eml").write_bytes(message.message().as_bytes())
            sent += 1
        return sent


def read_mailbox(directory):
    """The messages written so far, parsed (To, Subject, body parts)."""
    return [
        message_from_bytes(path.read_bytes(), policy=policy.default) for path in sorted(Path(directory).glob("*.eml"))
    ]
