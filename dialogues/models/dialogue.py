"""A market dialogue, the need versions it refers to and the suppliers taking part; and the
small helpers of dates and supplier labels the other dialogue models share."""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.content_language import content_language_field
from groups.models import BuyerGroup, NeedStatement, NeedVersion


def add_working_days(start, days: int):
    """`days` working days (Monday–Friday) after `start`, at the same time of day.
    Swedish public holidays are not counted out; the promised time is a service level, not law."""
    moment, left = start, days
    while left > 0:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            left -= 1
    return moment


def unanswered_condition(prefix: str = "") -> Q:
    """A question without a published answer: none chosen, only a draft, or the answer that
    covered it was withdrawn (the group answers it again). `prefix` reaches the question."""
    return (
        Q(**{f"{prefix}answer__isnull": True})
        | Q(**{f"{prefix}answer__published_at__isnull": True})
        | Q(**{f"{prefix}answer__withdrawn_at__isnull": False})
    )


def label_letters(number: int) -> str:
    """1 → "A" … 26 → "Z", 27 → "AA" …; "?" for no number."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters or "?"


def supplier_label(number: int) -> str:
    """The pseudonym other suppliers see: "Leverantör A" … "Leverantör Z", "Leverantör AA" …"""
    return gettext("Supplier %(letter)s") % {"letter": label_letters(number)}


class DialogueQuerySet(models.QuerySet):
    def published(self):
        """Open or closed: visible to everyone in summary. Drafts are the group's own."""
        return self.filter(state__in=[Dialogue.State.OPEN, Dialogue.State.CLOSED])

    def open(self):
        return self.filter(state=Dialogue.State.OPEN)

    def with_supplier_user(self, user):
        """Dialogues that one of the user's organisations takes part in now."""
        return self.filter(
            participations__organisation__staff__user=user, participations__withdrawn_at__isnull=True
        ).distinct()

    def with_overdue_questions(self, now=None):
        """Annotated with `overdue_count`: questions unanswered past the promised answer time."""
        overdue = unanswered_condition("questions__") & Q(questions__answer_due_at__lt=now or timezone.now())
        return self.annotate(overdue_count=models.Count("questions", filter=overdue, distinct=True)).filter(
            overdue_count__gt=0
        )


class Dialogue(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    group = models.ForeignKey(BuyerGroup, on_delete=models.PROTECT, related_name="dialogues")
    need = models.ForeignKey(NeedStatement, on_delete=models.PROTECT, related_name="dialogues")
    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(
        _("purpose"), max_length=5000, help_text=_("What the group wants to learn from the market.")
    )
    schedule = models.TextField(_("schedule"), max_length=3000, blank=True)
    meeting_plan = models.TextField(
        _("meeting plan"),
        max_length=3000,
        blank=True,
        help_text=_("For example information meetings and one-to-one meetings offered to every supplier."),
    )
    content_language = content_language_field(
        help_text=_(
            "The language the texts of this dialogue are written in; screen readers read them in that language."
        )
    )
    question_deadline = models.DateTimeField(_("last day for questions"))
    submission_deadline = models.DateTimeField(_("deadline for proposals"))
    answer_days = models.PositiveSmallIntegerField(
        _("promised answer time (working days)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    public_record = models.JSONField(null=True, blank=True, editable=False)
    public_record_published_at = models.DateTimeField(null=True, blank=True)
    public_record_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # When what the public sees of the dialogue last changed (dialogues/freshness.py moves it): the open data
    # API's "updated since" filter, Last-Modified and the Atom feeds' <updated>.
    updated_at = models.DateTimeField(
        _("updated"), default=timezone.now, db_default=Now(), db_index=True, editable=False
    )

    objects = DialogueQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("market dialogue")
        verbose_name_plural = _("market dialogues")
        constraints = [
            models.CheckConstraint(
                condition=Q(question_deadline__lte=models.F("submission_deadline")),
                name="questions_close_before_submissions",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("dialogues:dialogue-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def is_published(self) -> bool:
        return self.state in (self.State.OPEN, self.State.CLOSED)

    def accepts_questions(self, now=None) -> bool:
        return self.is_open and (now or timezone.now()) <= self.question_deadline

    def accepts_submissions(self, now=None) -> bool:
        return self.is_open and (now or timezone.now()) <= self.submission_deadline


class DialogueNeedVersion(models.Model):
    """A need version published to the market while the dialogue ran; the first is the one
    the dialogue opened with. Participants are told of each later one and see what changed."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="need_versions")
    version = models.ForeignKey(NeedVersion, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["published_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["dialogue", "version"], name="need_version_once_per_dialogue")]

    def __str__(self):
        return f"{self.dialogue}: v{self.version.number}"


class ParticipationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(withdrawn_at__isnull=True)


class Participation(models.Model):
    """A supplier organisation takes part; its people act for it."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="participations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="dialogue_participations")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    registered_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # The supplier's stable pseudonym in this dialogue ("Leverantör A" = 1), given in order of
    # joining and kept if it withdraws and registers again (dialogues/services/dialogue.py).
    label_number = models.PositiveIntegerField(null=True, blank=True, editable=False)

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        ordering = ["registered_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dialogue", "organisation"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_active_participation_per_organisation",
            )
        ]

    def __str__(self):
        return f"{self.organisation} in {self.dialogue}"

    def save(self, *args, **kwargs):
        if self.label_number is None:
            # The label it had if it took part before, else the next free one
            # (register_participation locks the dialogue row so two never get the same one).
            numbers = dict(
                Participation.objects.filter(dialogue_id=self.dialogue_id)
                .exclude(label_number=None)
                .values_list("organisation_id", "label_number")
            )
            self.label_number = numbers.get(self.organisation_id) or max(numbers.values(), default=0) + 1
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        return supplier_label(self.label_number or 0)
