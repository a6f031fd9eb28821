"""Experience reports (issue 20): when a buyer group has ended, its coordinators tell others what
the need was, how the dialogue went, which procedure they chose and why, how it ended and what
they learnt. A facilitator reviews a report before it is public. The platform's own figures
about the group's market dialogues are kept with the report as a snapshot (experience/figures.py)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.content_language import content_language_field
from groups.models import BuyerGroup


class ExperienceReportQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=ExperienceReport.State.PUBLISHED)


class ExperienceReport(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for review")
        RETURNED = "returned", _("Returned for changes")
        PUBLISHED = "published", _("Published")

    EDITABLE_STATES = (State.DRAFT, State.RETURNED)
    TEXT_FIELDS = ("need", "dialogue", "procedure_reason", "outcome", "lessons")

    group = models.OneToOneField(BuyerGroup, on_delete=models.CASCADE, related_name="experience_report")
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    need = models.TextField(_("the need"), max_length=5000, help_text=_("What the group needed, and why."))
    dialogue = models.TextField(
        _("how the dialogue went"),
        max_length=5000,
        help_text=_("How the market dialogue went: what you asked, what suppliers told you, what surprised you."),
    )
    procedure_reason = models.TextField(
        _("the procedure chosen and why"), max_length=5000, help_text=_("Which procedure you chose, and why.")
    )
    outcome = models.TextField(_("the outcome"), max_length=5000, help_text=_("How it ended, and what came of it."))
    lessons = models.TextField(
        _("lessons for others"), max_length=5000, help_text=_("What you would advise a group with the same need.")
    )
    content_language = content_language_field(
        help_text=_("The language the report is written in; screen readers read it in that language.")
    )
    # The platform's figures about the group's market dialogues when they were last taken
    # (experience/figures.py): kept, so that a published report says what it said.
    figures = models.JSONField(default=dict, blank=True, editable=False)
    figures_at = models.DateTimeField(null=True, blank=True, editable=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(_("comment to the coordinators"), max_length=3000, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = ExperienceReportQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("experience report")
        verbose_name_plural = _("experience reports")

    def __str__(self):
        return str(_("Experience report: %(group)s") % {"group": self.group.name})

    def get_absolute_url(self):
        return reverse("experience:report-detail", args=[self.group.slug])

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE_STATES
