"""The person's notifications, e-mail choices and e-mails, for their personal-data export
(core/personal_data.py)."""

from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from core.personal_data import register_section
from notifications.models import Notification, NotificationPreference, OutgoingEmail


def _notifications(user):
    # Rows where the person was the actor are other people's notifications: not theirs to get.
    for notification in (
        Notification.objects.filter(recipient=user).order_by("created_at", "pk").iterator(chunk_size=500)
    ):
        yield {
            "kind": notification.kind,
            "params": notification.params,
            "place": notification.place_label,
            "created_at": notification.created_at,
            "read_at": notification.read_at,
            "emailed_at": notification.emailed_at,
        }


def _notification_settings(user):
    for preference in NotificationPreference.objects.filter(user=user).order_by("kind"):
        yield {"kind": preference.kind, "delivery": preference.delivery}


def _emails(user):
    # Addressed by e-mail, not by a foreign key: an invitation can go to an address with no account.
    addresses = {user.email.lower(), *(a.lower() for a in user.emailaddress_set.values_list("email", flat=True))}
    for email in (
        OutgoingEmail.objects.alias(address=Lower("to"))
        .filter(address__in=addresses)
        .order_by("created_at", "pk")
        .iterator(chunk_size=500)
    ):
        yield {"to": email.to, "subject": email.subject, "created_at": email.created_at, "sent_at": email.sent_at}


def register_personal_data() -> None:
    register_section(
        "notifications",
        description=_("The notifications you received, and when you read them."),
        models=[Notification],
        rows=_notifications,
    )
    register_section(
        "notification_settings",
        description=_("What you chose to be e-mailed about."),
        models=[NotificationPreference],
        rows=_notification_settings,
    )
    register_section(
        "emails",
        description=_("E-mails the platform sent to your addresses (subject and time)."),
        models=[],
        rows=_emails,
    )
