"""Proposals (confidential: trade secrets), their versions and attachments, and the log of who
opened which."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from dialogues.models.dialogue import Dialogue


class Submission(models.Model):
    """A supplier organisation's proposal; each replacement is a new version, all kept."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="submissions")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    latest_version = models.ForeignKey(
        "SubmissionVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Hidden by a moderator (moderation/services.py): the original stays for the record.
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["dialogue", "organisation"], name="one_submission_per_organisation")
        ]

    def __str__(self):
        return f"{self.organisation} → {self.dialogue}"

    def get_absolute_url(self):
        return reverse("dialogues:submission-detail", args=[self.dialogue_id, self.pk])

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class SubmissionVersion(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    text = models.TextField(_("your proposal"), max_length=50000)
    secret_parts = models.TextField(
        _("parts that contain trade secrets"),
        max_length=5000,
        blank=True,
        help_text=_("Name the sections, figures or attachments, item by item."),
    )
    secret_reason = models.TextField(
        _("why disclosure would harm you"),
        max_length=5000,
        blank=True,
        help_text=_("The authority decides on secrecy when someone asks for the document; your reasons are the basis."),
    )
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["submission", "number"], name="submission_version_number")]

    def __str__(self):
        return f"{self.submission} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("submission versions are immutable; save a new version instead")
        super().save(*args, **kwargs)

    @property
    def claims_secrecy(self) -> bool:
        return bool(self.secret_parts.strip() or self.secret_reason.strip())


def attachment_upload_path(instance, filename):
    # The stored name never comes from the supplier: it is kept only as original_name.
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    return f"dialogues/{instance.version.submission.dialogue_id}/submissions/{instance.version.submission_id}/{stamp}"


class SubmissionAttachment(models.Model):
    version = models.ForeignKey(SubmissionVersion, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_upload_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    is_trade_secret = models.BooleanField(_("contains trade secrets"), default=False)

    class Meta:
        ordering = ["original_name", "pk"]

    def __str__(self):
        return self.original_name


class SubmissionAccess(models.Model):
    """Who opened which submission, when: append-only, visible to the group."""

    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        DOWNLOAD = "download", _("downloaded an attachment")
        EXPORT = "export", _("exported with the record")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="accesses")
    version = models.ForeignKey(SubmissionVersion, null=True, on_delete=models.CASCADE, related_name="+")
    attachment = models.ForeignKey(
        SubmissionAttachment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=16, choices=Action.choices)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.user} {self.action} {self.submission} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("the submission access log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("the submission access log is append-only")
