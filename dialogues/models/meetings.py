"""Meeting slots the group offers and suppliers book, with their minutes."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from dialogues.models.answers import Answer
from dialogues.models.dialogue import Dialogue


class MeetingSlotQuerySet(models.QuerySet):
    def held(self):
        """Booked meetings whose time has come: a meeting in the future is not counted as held."""
        return self.filter(organisation__isnull=False, starts_at__lte=timezone.now())


class MeetingSlot(models.Model):
    """A one-to-one meeting time offered to every participant; one supplier per slot and at
    most one slot per supplier (both enforced by the database)."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="meeting_slots")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(
        _("where"), max_length=200, blank=True, help_text=_("A room, an address or a video link.")
    )
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    booked_at = models.DateTimeField(null=True, blank=True)
    minutes = models.TextField(_("minutes"), max_length=10000, blank=True)
    minutes_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    minutes_at = models.DateTimeField(null=True, blank=True)
    clarification = models.ForeignKey(Answer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # For calendars (dialogues/ical.py): every change to the meeting (booked, cancelled) adds one,
    # so a calendar that has it takes the newer copy (iCalendar's SEQUENCE).
    sequence = models.PositiveIntegerField(default=0, editable=False)
    # The last booking cancelled, kept so that its supplier's calendar is told the meeting is
    # off (STATUS:CANCELLED) even once another supplier has booked the time.
    cancelled_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = MeetingSlotQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting time")
        verbose_name_plural = _("meeting times")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"),
            models.UniqueConstraint(
                fields=["dialogue", "organisation"],
                condition=Q(organisation__isnull=False),
                name="one_meeting_per_supplier",
            ),
        ]

    def __str__(self):
        return f"{self.dialogue}: {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_booked(self) -> bool:
        return self.organisation_id is not None

    @property
    def length(self) -> timedelta:
        return self.ends_at - self.starts_at

    @property
    def has_started(self) -> bool:
        """Minutes are written only from the meeting's start (the same rule as held())."""
        return self.starts_at <= timezone.now()
