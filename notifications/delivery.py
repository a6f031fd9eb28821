"""Delivery of outbox rows: plain functions that the Celery tasks call (and tests call directly).

Idempotence: a row is claimed with SELECT … FOR UPDATE SKIP LOCKED and re-checked as
undelivered inside a short transaction, the e-mail is sent, and `delivered_at` is set before
that transaction commits. A second task for the same row either skips it while it is locked or
finds it delivered. On SQLite `select_for_update` is a no-op, but the embedded mode opens every
transaction with BEGIN IMMEDIATE (settings: transaction_mode), which takes the database's write
lock, so two deliveries of one row run one after the other and the second finds it delivered.
A worker that dies between sending and committing sends that one e-mail again on retry: SMTP
offers nothing better than at-least-once, and the window is one message wide.
"""

import logging
from collections import OrderedDict

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from core.mail import site_headers
from notifications.broadcast import push_unread_counts
from notifications.models import Notification, OutgoingEmail
from notifications.registry import Delivery, get_kind
from notifications.services import absolute_url, deliveries_for
from notifications.tokens import unsubscribe_token

logger = logging.getLogger(__name__)


def verified_addresses(user_ids) -> dict[int, str]:
    """Each person's primary address if it is verified (allauth); the others get in-app only."""
    return dict(
        EmailAddress.objects.filter(user_id__in=list(user_ids), verified=True, primary=True).values_list(
            "user_id", "email"
        )
    )


class _Mailer:
    """One connection to the e-mail backend per batch, opened only when something is sent."""

    def __init__(self):
        self.connection = None

    def send(self, message: EmailMultiAlternatives) -> None:
        if self.connection is None:
            self.connection = mail.mailers.default
            self.connection.open()
        if self.connection.send_messages([message]) != 1:
            raise RuntimeError("the e-mail backend did not send the message")

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


def _email(*, to: str, subject: str, template: str, context: dict, unsubscribe_url: str) -> EmailMultiAlternatives:
    body = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        " ".join(subject.split())[:300],
        body,
        None,
        [to],
        headers=site_headers(unsubscribe_url=unsubscribe_url),
    )
    message.attach_alternative(html, "text/html")
    return message


def _links(user, scope: str) -> dict:
    unsubscribe_url = absolute_url(reverse("notifications:unsubscribe", args=[unsubscribe_token(user, scope)]))
    return {
        "preferences_url": absolute_url(reverse("notifications:preferences")),
        "centre_url": absolute_url(reverse("notifications:notification-list")),
        "unsubscribe_url": unsubscribe_url,
    }


def notification_email(notification: Notification, address: str) -> EmailMultiAlternatives:
    """One message to one person, in their language, linking to the object and to preferences."""
    user = notification.recipient
    with translation.override(user.language):
        links = _links(user, notification.kind)
        context = {
            "user": user,
            "notification": notification,
            "message": notification.message(),
            "body": notification.body(),
            "url": absolute_url(notification.get_absolute_url()),
            "target_is_gone": notification.target_is_gone,
            "place_label": notification.place_label,
            "place_url": absolute_url(notification.place_url),
            "kind_label": get_kind(notification.kind).label,
            **links,
        }
        return _email(
            to=address,
            subject=context["message"],
            template="notifications/email/notification",
            context=context,
            unsubscribe_url=links["unsubscribe_url"],
        )


def _deliver_one(pk: int, deliveries: dict[str, str], address: str | None, mailer: _Mailer) -> bool:
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient", "target_type")
            .filter(pk=pk, delivered_at__isnull=True)
            .first()
        )
        if notification is None:  # delivered already, being delivered by another worker, or gone
            return False
        recipient = notification.recipient
        delivery = deliveries.get(notification.kind, Delivery.OFF)
        now = timezone.now()
        if not recipient.is_active or recipient.is_deleted or not address or delivery == Delivery.OFF:
            notification.email_state = Notification.EmailState.SKIPPED
        elif notification.read_at is not None:  # already seen in the platform
            notification.email_state = Notification.EmailState.SKIPPED
        elif delivery == Delivery.DIGEST:
            notification.email_state = Notification.EmailState.DIGEST
        else:
            mailer.send(notification_email(notification, address))
            notification.email_state = Notification.EmailState.SENT
            notification.emailed_at = now
        notification.delivered_at = now
        notification.save(update_fields=["email_state", "emailed_at", "delivered_at"])
        return True


def _record_failure(model, pk: int, error: Exception, *, give_up: dict) -> None:
    model.objects.filter(pk=pk).update(attempts=F("attempts") + 1, last_error=f"{type(error).__name__}: {error}"[:300])
    if give_up:
        model.objects.filter(pk=pk, attempts__gte=settings.NOTIFICATION_MAX_ATTEMPTS).update(**give_up)


def _settle_without_email(settled: dict[str, list[int]]) -> list[int]:
    """Rows that send no e-mail now (skipped, or kept for the digest) are marked delivered with
    one UPDATE per state: nothing leaves the platform for them, so claiming them one at a time
    (what keeps an e-mail from going out twice) buys nothing, and it cost a transaction per
    reader of every thread message. Returns the ids that could not be marked."""
    failed = []
    for state, pks in settled.items():
        if not pks:
            continue
        try:
            Notification.objects.filter(pk__in=pks, delivered_at__isnull=True).update(
                email_state=state, delivered_at=timezone.now()
            )
        except Exception as error:
            logger.warning("%d notifications not marked delivered: %s", len(pks), error)
            failed.extend(pks)
    return failed


def deliver(notification_ids: list[int]) -> list[int]:
    """Deliver a batch: each undelivered row once (see the module docstring), then push the
    recipients' unread counts. Returns the ids that failed and are worth another try."""
    candidates = list(
        Notification.objects.filter(pk__in=notification_ids, delivered_at__isnull=True).values_list(
            "pk", "recipient_id", "kind", "read_at", "recipient__is_active", "recipient__deleted_at"
        )
    )
    if not candidates:
        return []
    recipient_ids = {candidate[1] for candidate in candidates}
    deliveries = deliveries_for(recipient_ids)
    addresses = verified_addresses(recipient_ids)
    settled: dict[str, list[int]] = {Notification.EmailState.SKIPPED: [], Notification.EmailState.DIGEST: []}
    to_send = []
    for pk, recipient_id, kind, read_at, is_active, deleted_at in candidates:
        delivery = deliveries[recipient_id].get(kind, Delivery.OFF)
        if not is_active or deleted_at or not addresses.get(recipient_id) or delivery == Delivery.OFF:
            settled[Notification.EmailState.SKIPPED].append(pk)
        elif read_at is not None:  # already seen in the platform
            settled[Notification.EmailState.SKIPPED].append(pk)
        elif delivery == Delivery.DIGEST:
            settled[Notification.EmailState.DIGEST].append(pk)
        else:
            to_send.append((pk, recipient_id))
    failed = _settle_without_email(settled)
    mailer = _Mailer()
    try:
        for pk, recipient_id in to_send:
            try:
                _deliver_one(pk, deliveries[recipient_id], addresses.get(recipient_id), mailer)
            except Exception as error:
                logger.warning("Notification %s not delivered: %s", pk, error)
                _record_failure(
                    Notification,
                    pk,
                    error,
                    give_up={"delivered_at": timezone.now(), "email_state": Notification.EmailState.FAILED},
                )
                failed.append(pk)
    finally:
        mailer.close()
    push_unread_counts(recipient_ids)
    return list(Notification.objects.filter(pk__in=failed, delivered_at__isnull=True).values_list("pk", flat=True))


# --- Daily digest -------------------------------------------------------------------------


def users_with_digest_items() -> list[int]:
    """People with at least one unread item waiting for the digest: one query."""
    return list(
        Notification.objects.filter(email_state=Notification.EmailState.DIGEST, read_at__isnull=True)
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()
    )


def group_by_place(items: list[Notification]) -> list[dict]:
    """Items grouped by the place they belong to, the place with the newest item first and the
    newest item first within each place (items come newest first)."""
    places: OrderedDict[tuple[str, str], list[Notification]] = OrderedDict()
    for item in items:
        places.setdefault((item.place_label, item.place_url), []).append(item)
    return [{"label": label, "url": absolute_url(url), "items": group} for (label, url), group in places.items()]


def digest_email(user, address: str, items: list[Notification]) -> EmailMultiAlternatives:
    with translation.override(user.language):
        links = _links(user, "digest")
        for item in items:
            item.shown_message = item.message()
            item.shown_url = absolute_url(item.get_absolute_url())
        context = {"user": user, "places": group_by_place(items), "count": len(items), **links}
        return _email(
            to=address,
            subject=gettext("Your daily digest from Beställargrupper"),
            template="notifications/email/digest",
            context=context,
            unsubscribe_url=links["unsubscribe_url"],
        )


def _send_digest(user, deliveries: dict[str, str], address: str | None, mailer: _Mailer) -> bool:
    with transaction.atomic():
        items = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(recipient=user, email_state=Notification.EmailState.DIGEST)
            .prefetch_related("target")
            .order_by("-created_at", "-pk")
        )
        # Preferences are read again now: a kind turned off since the item was queued is dropped.
        wanted = [n for n in items if n.read_at is None and deliveries.get(n.kind) != Delivery.OFF]
        if not (wanted and address and user.is_active and not user.is_deleted):
            wanted = []
        if wanted:
            mailer.send(digest_email(user, address, wanted))
            Notification.objects.filter(pk__in=[n.pk for n in wanted]).update(
                email_state=Notification.EmailState.SENT, emailed_at=timezone.now()
            )
        left_out = [n.pk for n in items if n not in wanted]
        Notification.objects.filter(pk__in=left_out).update(email_state=Notification.EmailState.SKIPPED)
        return bool(wanted)


def send_digests_to(user_ids: list[int]) -> int:
    """One digest e-mail per person with something unread in it; returns how many were sent."""
    users = list(get_user_model().objects.filter(pk__in=user_ids))
    deliveries = deliveries_for(user_ids)
    addresses = verified_addresses(user_ids)
    mailer, sent = _Mailer(), 0
    try:
        for user in users:
            try:
                sent += _send_digest(user, deliveries[user.pk], addresses.get(user.pk), mailer)
            except Exception:
                # The items stay in the digest state: tomorrow's digest includes them.
                logger.exception("Digest for user %s not sent", user.pk)
    finally:
        mailer.close()
    return sent


# --- Direct e-mails -------------------------------------------------------------------------


def send_outgoing(email_id: int) -> bool:
    """Send one queued direct e-mail once; raises if the backend fails (the row stays unsent)."""
    try:
        with transaction.atomic():
            email = OutgoingEmail.objects.select_for_update(skip_locked=True).filter(pk=email_id, sent_at=None).first()
            if email is None:
                return False
            message = EmailMultiAlternatives(email.subject, email.body, None, [email.to], headers=site_headers())
            if email.html:
                message.attach_alternative(email.html, "text/html")
            message.send()
            email.sent_at = timezone.now()
            email.save(update_fields=["sent_at"])
            return True
    except Exception as error:
        _record_failure(OutgoingEmail, email_id, error, give_up={})
        raise
