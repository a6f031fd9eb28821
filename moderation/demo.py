"""Demo moderation (make run): one open report, so the queue and the console have something."""

from accounts.models import User
from discussions.demo import SMALL_THREAD_TITLE
from discussions.models import Message
from moderation.models import Report
from moderation.services import report_content


def load_moderation_demo() -> None:
    erik = User.objects.filter(email="erik@lund.demo.example").first()
    message = (
        Message.objects.filter(thread__title=SMALL_THREAD_TITLE, author__email="olle@energi.demo.example")
        .order_by("pk")
        .first()
    )
    if erik is None or message is None or Report.objects.about(message).filter(reporter=erik).exists():
        return
    report_content(reporter=erik, target=message, reason="Demoanmälan: så här ser en anmälan ut i modereringskön.")
