"""Moderation (PRODUCT.md §2.7): reports of content, suspensions of users, and the code of
conduct that everyone accepts before their first post.

What moderators do to content is stored on the content itself (hidden_at, hidden_by,
hidden_reason on messages, documents, questions and submissions) and in the audit log; a
Report is one person's complaint about one item and how it was decided.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialogues.models import Question, Submission
from discussions.models import Message
from groups.models import BuyerGroup, Document

# Bump when the text of the code of conduct changes in substance: everyone accepts it again.
CODE_OF_CONDUCT_VERSION = "2026-1"


class ReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state=Report.State.OPEN)

    def about(self, target):
        """Reports about one item (a message, document, question or submission)."""
        return self.filter(**{Report.field_for(target): target})


class Report(models.Model):
    class Kind(models.TextChoices):
        MESSAGE = "message", _("Message")
        DOCUMENT = "document", _("Document")
        QUESTION = "question", _("Question")
        SUBMISSION = "submission", _("Proposal")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Content removed")
        DISMISSED = "dismissed", _("Dismissed")

    REASON_MAX_LENGTH = 2000
    TARGET_FIELDS = {Message: "message", Document: "document", Question: "question", Submission: "submission"}

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    group = models.ForeignKey(BuyerGroup, on_delete=models.CASCADE, related_name="reports")
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    submission = models.ForeignKey(Submission, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("reason"), max_length=REASON_MAX_LENGTH)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_note = models.TextField(_("note"), blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [models.Index(fields=["state", "group", "-created_at"], name="report_queue")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="message", message__isnull=False, document=None, question=None, submission=None)
                    | Q(kind="document", document__isnull=False, message=None, question=None, submission=None)
                    | Q(kind="question", question__isnull=False, message=None, document=None, submission=None)
                    | Q(kind="submission", submission__isnull=False, message=None, document=None, question=None)
                ),
                name="report_points_at_its_kind",
            ),
            *[
                models.UniqueConstraint(
                    fields=["reporter", field],
                    condition=Q(state="open", **{f"{field}__isnull": False}),
                    name=f"one_open_report_per_user_and_{field}",
                )
                for field in ("message", "document", "question", "submission")
            ],
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.target_id} ({self.get_state_display()})"

    def get_absolute_url(self):
        return reverse("moderation:report-detail", args=[self.pk])

    @classmethod
    def field_for(cls, target) -> str:
        try:
            return cls.TARGET_FIELDS[type(target)]
        except KeyError:
            raise ValueError(f"{type(target).__name__} cannot be reported") from None

    @property
    def target(self):
        return getattr(self, self.kind)

    @property
    def target_id(self):
        return getattr(self, f"{self.kind}_id")

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class SuspensionQuerySet(models.QuerySet):
    def in_force(self, now=None):
        now = now or timezone.now()
        return self.filter(lifted_at__isnull=True, starts_at__lte=now).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=now)
        )

    def affecting(self, user, group_id=None):
        """Suspensions of the user from the whole site, or from the group when one is given."""
        place = Q(group__isnull=True)
        if group_id is not None:
            place |= Q(group_id=group_id)
        return self.filter(place, user=user)


class Suspension(models.Model):
    """A user may not post or join, in one group or on the whole site, for a period or until a
    moderator lifts it. Kept after it ends, for the record."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suspensions")
    group = models.ForeignKey(
        BuyerGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="suspensions"
    )  # none: the whole site
    reason = models.TextField(_("reason"), max_length=2000)
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(_("until"), null=True, blank=True)  # none: until lifted
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lift_reason = models.TextField(blank=True)

    objects = SuspensionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="suspension_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.user} suspended from {self.group or 'the site'}"

    def is_in_force(self, now=None) -> bool:
        now = now or timezone.now()
        return self.lifted_at is None and self.starts_at <= now and (self.ends_at is None or self.ends_at > now)


class CodeOfConductAcceptance(models.Model):
    """When a user accepted (a version of) the code of conduct: required before the first post."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="code_of_conduct_acceptances"
    )
    version = models.CharField(max_length=20, default=CODE_OF_CONDUCT_VERSION)
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-accepted_at"]
        constraints = [models.UniqueConstraint(fields=["user", "version"], name="accept_each_version_once")]

    def __str__(self):
        return f"{self.user} accepted {self.version} at {self.accepted_at:%Y-%m-%d %H:%M}"
