"""Moderation (PRODUCT.md §2.7): reports of content. Suspensions and acceptances of the code of
conduct are a person's standing and live in accounts (accounts/models.py, accounts/standing.py);
moderation creates and lifts them.

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
        # The content was removed on the report and later shown again by a moderator: the
        # report is decided (not back in the queue), but no longer says the content is removed.
        RESTORED = "restored", _("Content restored")

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
