"""The goal 5 indicator (PRODUCT.md §2.9): each contracting authority rates its innovation
maturity once a year, statement by statement, from 1 to 5.

Statements and their weights are data that facilitators edit. An answer keeps the wording
and the weight it was given with, so editing a statement never changes an old assessment.
Scores and averages are computed by the database (see AssessmentQuerySet), never in Python.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Avg, Count, Exists, FloatField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, SizeClass
from groups.models import BuyerGroup, Membership

FIRST_YEAR = 2016  # the zero measurement; nothing earlier can be compared with it
LAST_YEAR = 2100
RATINGS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class ReferencePoint:
    value: Decimal
    label: Promise


# The national measurements of goal 5 (DOMAIN.md §0): drawn on every chart.
REFERENCE_POINTS = (
    ReferencePoint(Decimal("2.6"), _("2016 baseline (published 2017)")),
    ReferencePoint(Decimal("2.9"), _("2018 follow-up")),
)


def localised(text_sv: str, text_en: str) -> str:
    """Swedish is the canonical wording; English is shown to those who chose English."""
    return text_en if text_en and (get_language() or "sv").startswith("en") else text_sv


def answerable_years(today=None) -> tuple[int, int]:
    """An assessment is answered or changed during its year and the year after (for late
    answers in January); older ones are kept as they were."""
    year = (today or timezone.localdate()).year
    return (year - 1, year)


class Statement(models.Model):
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text_sv = models.TextField(_("statement in Swedish"), max_length=500)
    text_en = models.TextField(_("statement in English"), max_length=500)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("How much the statement counts in the weighted score. Answers already given keep their weight."),
    )
    is_active = models.BooleanField(
        _("asked in new assessments"),
        default=True,
        help_text=_("Turn off instead of deleting: answers already given keep the statement as it was."),
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        constraints = [models.CheckConstraint(condition=Q(weight__gt=0), name="statement_weight_positive")]

    def __str__(self):
        return f"{self.position}. {self.text_sv[:80]}"

    @property
    def text(self) -> str:
        return localised(self.text_sv, self.text_en)


def weighted_score() -> Subquery:
    """The score of the assessment in the outer query: sum(weight × rating) / sum(weight) over
    the statements it answered. A statement left unanswered is left out, not counted as zero."""
    answered = Answer.objects.filter(assessment=OuterRef("pk"), rating__isnull=False).order_by().values("assessment")
    return Subquery(
        answered.annotate(
            score=Sum(Cast("weight", FloatField()) * Cast("rating", FloatField())) / Sum(Cast("weight", FloatField()))
        ).values("score"),
        output_field=FloatField(),
    )


def in_buyer_group() -> Exists:
    """The outer assessment's organisation is an active member (not an observer) of a buyer
    group today."""
    return Exists(
        Membership.objects.filter(
            organisation=OuterRef("organisation"), status=Membership.Status.ACTIVE, role=Membership.Role.MEMBER
        )
    )


class AssessmentQuerySet(models.QuerySet):
    def with_score(self):
        """Each assessment with its weighted score and the number of statements it rated."""
        rated = Answer.objects.filter(assessment=OuterRef("pk"), rating__isnull=False).order_by().values("assessment")
        return self.annotate(
            score=weighted_score(),
            rated=Coalesce(
                Subquery(rated.annotate(count=Count("pk")).values("count"), output_field=models.IntegerField()), 0
            ),
        )

    def in_years(self, first=None, last=None):
        queryset = self
        if first is not None:
            queryset = queryset.filter(year__gte=first)
        if last is not None:
            queryset = queryset.filter(year__lte=last)
        return queryset

    def averages(self, *fields):
        """One row per year and group: {"year", *fields, "average", "count"}, in one query.
        A group's average is the plain mean of its assessments' scores: with one assessment per
        organisation and year, every organisation counts once, whatever its size."""
        return (
            self.alias(score=weighted_score())
            .values("year", *fields)
            .annotate(average=Avg("score"), count=Count("score"))
            .order_by("year", *fields)
        )

    def averages_by_membership(self):
        return self.annotate(in_group=in_buyer_group()).averages("in_group")


class Assessment(models.Model):
    """One authority's self-assessment for one year. Kind and size class are stored with it,
    so a year's averages use the class the organisation had that year (DOMAIN.md §6)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="maturity_assessments")
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind of organisation"), max_length=32, choices=Organisation.Kind.choices)
    size_class = models.ForeignKey(
        SizeClass, verbose_name=_("size"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "organisation__name"]
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="one_assessment_per_organisation_and_year"),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR) & Q(year__lte=LAST_YEAR), name="assessment_year_in_range"
            ),
        ]

    def __str__(self):
        return f"{self.organisation} {self.year}"

    def get_absolute_url(self):
        return reverse("indicator:organisation-detail", args=[self.organisation_id]) + f"#year-{self.year}"


class Answer(models.Model):
    """The rating of one statement, with the statement's wording and weight as answered."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="answers")
    position = models.PositiveSmallIntegerField()
    text_sv = models.TextField()
    text_en = models.TextField()
    weight = models.DecimalField(max_digits=5, decimal_places=2)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)

    class Meta:
        ordering = ["position", "statement_id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "statement"], name="one_answer_per_statement"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | (Q(rating__gte=1) & Q(rating__lte=5)), name="answer_rating_1_to_5"
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="answer_weight_positive"),
        ]

    def __str__(self):
        return f"{self.assessment}: {self.position} = {self.rating}"

    @property
    def text(self) -> str:
        return localised(self.text_sv, self.text_en)


class AssessmentChange(models.Model):
    """Append-only history: every save of an assessment, who made it and the values saved."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="changes")
    revision = models.PositiveIntegerField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    # [{"statement", "position", "text_sv", "text_en", "weight", "rating", "comment"}, …]
    answers = models.JSONField()

    class Meta:
        ordering = ["-revision", "-pk"]
        constraints = [models.UniqueConstraint(fields=["assessment", "revision"], name="one_change_per_revision")]

    def __str__(self):
        return f"{self.assessment} r{self.revision}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("assessment history is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("assessment history is append-only")

    @property
    def ratings(self) -> list:
        return [entry["rating"] for entry in self.answers]


class Delegation(models.Model):
    """An organisation administrator lets a colleague answer the self-assessment."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="indicator_delegations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="indicator_delegations")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["user__name", "user__email"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="one_delegation_per_person")]

    def __str__(self):
        return f"{self.user} answers for {self.organisation}"


class OutreachMessage(models.Model):
    """A facilitator's message to many people at once (PRODUCT.md §2.9b), sent through the
    notification outbox; the people it went to are kept, so they can read it on the platform."""

    class Audience(models.TextChoices):
        ALL_COORDINATORS = "all_coordinators", _("The coordinators of every ongoing group")
        GROUP = "group", _("The people of one group's member and observer organisations")
        NON_RESPONDENTS = "non_respondents", _("The authorities that have not answered the self-assessment")

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="outreach_sent"
    )
    audience = models.CharField(_("audience"), max_length=32, choices=Audience.choices)
    group = models.ForeignKey(
        BuyerGroup, verbose_name=_("group"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), max_length=5000)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    recipients = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="outreach_received", blank=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("message from a facilitator")
        verbose_name_plural = _("messages from facilitators")

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("indicator:outreach-detail", args=[self.pk])
