from datetime import date, datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.content_language import ContentLanguage
from notifications.registry import KIND_MAX_LENGTH, Delivery, get_kind, validate_kind


def encode_params(params: dict) -> dict:
    """JSON-safe params: dates and datetimes are kept as tagged ISO strings so that they can be
    shown in the recipient's language and time zone later."""
    encoded = {}
    for key, value in params.items():
        if isinstance(value, datetime):
            encoded[key] = {"datetime": value.isoformat()}
        elif isinstance(value, date):
            encoded[key] = {"date": value.isoformat()}
        elif value is None or isinstance(value, bool | int | float | str):
            encoded[key] = value
        else:
            encoded[key] = str(value)
    return encoded


class _ShownParams(dict):
    """Params ready for "%" formatting in the active language; a missing one shows as "…"."""

    def __init__(self, params: dict):
        super().__init__()
        for key, value in params.items():
            if isinstance(value, dict) and "datetime" in value:
                moment = parse_datetime(value["datetime"])
                value = date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else "…"
            elif isinstance(value, dict) and "date" in value:
                day = parse_date(value["date"])
                value = date_format(day, "DATE_FORMAT") if day else "…"
            self[key] = value

    def __missing__(self, key):
        return "…"


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def undelivered(self):
        return self.filter(delivered_at__isnull=True)


class Notification(models.Model):
    """One item for one person, written in the same transaction as the event (the outbox).

    The row is the in-app item; `delivered_at` says the delivery task has handled it (pushed
    the unread count, and e-mailed it, routed it to the digest or skipped the e-mail). An item
    that collapses events (`collapse_key`, `count`) is handed to delivery again with each new
    event while it is unread: e-mailed again, or in the next digest as one line.

    `kind` is a key of notifications.registry, where the app that owns it registered its label
    and messages (no choices here: the apps add kinds without a migration of this one)."""

    class EmailState(models.TextChoices):
        PENDING = "pending", _("Not handled yet")
        SENT = "sent", _("Sent")
        DIGEST = "digest", _("Waiting for the daily digest")
        SKIPPED = "skipped", _("Not e-mailed")
        FAILED = "failed", _("Could not be sent")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=KIND_MAX_LENGTH, validators=[validate_kind])
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=500, blank=True)
    place_label = models.CharField(max_length=300, blank=True)
    place_url = models.CharField(max_length=500, blank=True)
    # The language the place's name is written in (core/content_language.py), so the list marks
    # it; "" for items from before it was kept, and places that say none.
    place_language = models.CharField(max_length=2, choices=ContentLanguage.choices, blank=True, db_default="")
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dedupe_key = models.CharField(max_length=200, blank=True)
    # Events with the same collapse key (new messages in one discussion) make one unread item per
    # person, which counts them; once it is read, the next event starts a new one.
    collapse_key = models.CharField(max_length=200, blank=True)
    count = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    email_state = models.CharField(max_length=16, choices=EmailState.choices, default=EmailState.PENDING)
    emailed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_list"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
            models.Index(
                fields=["created_at"], condition=Q(delivered_at__isnull=True), name="notification_undelivered"
            ),
            models.Index(fields=["recipient"], condition=Q(email_state="digest"), name="notification_digest"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], condition=~Q(dedupe_key=""), name="notification_once_per_key"
            ),
            models.UniqueConstraint(
                fields=["recipient", "kind", "collapse_key"],
                condition=Q(read_at__isnull=True) & ~Q(collapse_key=""),
                name="notification_one_unread_per_collapse_key",
            ),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient_id}"

    def get_absolute_url(self):
        return reverse("notifications:notification-open", args=[self.pk])

    def message(self) -> str:
        """The text in the active language (callers switch to the recipient's)."""
        params = self.params or {}
        kind = get_kind(self.kind)
        if self.count > 1 and kind.collapsed:
            # A lazy ngettext chooses its plural form from params["count"] as it is formatted.
            return kind.collapsed % _ShownParams({**params, "count": self.count})
        return str(kind.message(params.get("variant", ""))) % _ShownParams(params)

    def body(self) -> str:
        """The longer text of a kind that has one (registry: body_param), else ""."""
        body_param = get_kind(self.kind).body_param
        value = (self.params or {}).get(body_param, "") if body_param else ""
        return value if isinstance(value, str) else ""

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def target_is_gone(self) -> bool:
        """The item pointed at an object that has since been deleted."""
        return self.target_type_id is not None and self.target is None


class NotificationPreference(models.Model):
    """A person's choice for one kind; without a row the kind's default applies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=KIND_MAX_LENGTH, validators=[validate_kind])
    delivery = models.CharField(max_length=16, choices=Delivery.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]

    def __str__(self):
        return f"{self.user_id} {self.kind}: {self.delivery}"


class OutgoingEmail(models.Model):
    """A direct e-mail to an address that may have no account (an invitation), rendered in the
    transaction that caused it and sent by a task after commit; the sweep sends what is left."""

    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    html = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_at"], condition=Q(sent_at__isnull=True), name="email_unsent")]

    def __str__(self):
        return f"{self.to}: {self.subject}"
