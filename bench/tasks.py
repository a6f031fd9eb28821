"""The notification scenario's baseline: plain e-mails handed to the same backend by the same
Celery worker, in batches like the platform's, without the platform's work (no rows, no
rendering, no preferences)."""

from celery import shared_task
from django.core import mail
from django.core.mail import EmailMessage


@shared_task
def send_plain_emails(addresses: list[str]) -> int:
    connection = mail.mailers.default
    connection.open()
    try:
        for address in addresses:
            connection.send_messages([EmailMessage("Mätning", "Ett svar är publicerat.", to=[address])])
    finally:
        connection.close()
    return len(addresses)
