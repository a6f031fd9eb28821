"""Market dialogues (PRODUCT.md §2.4; DOMAIN.md §2): a group meets the market before a
procurement starts, with every supplier getting the same information at the same time.

Identity rule: a question's asking organisation and person are stored on the Question and
nowhere else. Answers (the numbered, published Q&A) never refer to an organisation, so
anything rendered from an Answer is safe to show every participant.
"""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
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


class AnswerQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)

    def for_listing(self):
        """Published entries with what they amend and their published corrections, in order."""
        corrections = Answer.objects.published().order_by("number")
        return (
            self.published()
            .select_related("amends")
            .prefetch_related(models.Prefetch("amendments", queryset=corrections))
            .order_by("number")
        )


class Answer(models.Model):
    """One numbered entry of the dialogue's public questions and answers: an answer to one or
    more questions (worded by the group without the asker's identity), or a clarification on
    the group's own initiative (also what a meeting revealed). Once published it never
    changes; a correction is a new entry that amends it."""

    class Kind(models.TextChoices):
        ANSWER = "answer", _("Answer")
        CLARIFICATION = "clarification", _("Clarification")
        MEETING = "meeting", _("Clarification after a meeting")
        # Notices the platform writes into the same numbered series, so every participant learns
        # of them at the same moment and in the same place as answers:
        CHANGE = "change", _("Amendment to the dialogue")  # dates, terms, meeting plan, need version
        WITHDRAWAL = "withdrawal", _("Withdrawal")  # `amends` is the entry withdrawn; body is the reason

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="answers")
    number = models.PositiveIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.ANSWER)
    question_text = models.TextField(
        _("question as published"),
        max_length=5000,
        blank=True,
        help_text=_("Remove anything that identifies the supplier who asked."),
    )
    body = models.TextField(_("answer"), max_length=10000)
    requirement_number = models.PositiveIntegerField(_("requirement"), null=True, blank=True)
    amends = models.ForeignKey(
        "self",
        verbose_name=_("amends"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="amendments",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # An amendment to the dialogue: [{"field": name, "label": verbose name, "old": text, "new": text}].
    changes = models.JSONField(default=list, blank=True, editable=False)
    # A withdrawn entry disappears for suppliers and the public; the record keeps it, marked.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawal_reason = models.TextField(_("reason for the withdrawal"), max_length=3000, blank=True)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        ordering = ["number", "pk"]
        constraints = [models.UniqueConstraint(fields=["dialogue", "number"], name="answer_number_per_dialogue")]

    def __str__(self):
        return f"#{self.number}" if self.number else f"draft {self.pk}"

    def get_absolute_url(self):
        return reverse("dialogues:answer-detail", args=[self.dialogue_id, self.pk])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_notice(self) -> bool:
        """An amendment to the dialogue or a withdrawal: the platform's notices, not the group's texts."""
        return self.kind in (self.Kind.CHANGE, self.Kind.WITHDRAWAL)

    @property
    def can_be_withdrawn(self) -> bool:
        return self.is_published and not self.is_notice and not self.is_withdrawn

    @property
    def heading(self) -> str:
        """The entry's title: Answer 3, Clarification 4, Amendment no. 5, Withdrawal notice no. 6."""
        heading = {
            self.Kind.ANSWER: gettext("Answer %(number)s"),
            self.Kind.CHANGE: gettext("Amendment no. %(number)s"),
            self.Kind.WITHDRAWAL: gettext("Withdrawal notice no. %(number)s"),
        }.get(self.kind, gettext("Clarification %(number)s"))
        return heading % {"number": self.number}


class QuestionQuerySet(models.QuerySet):
    def unanswered(self):
        return self.filter(unanswered_condition())

    def overdue(self, now=None):
        return self.unanswered().filter(answer_due_at__lt=now or timezone.now())


class Question(models.Model):
    """A participant's question. Until an answer covering it is published it is seen only by
    the asking organisation, the group's member users and facilitators; the asker's identity
    is never shown to another supplier."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="questions")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("your question"), max_length=5000)
    requirement_number = models.PositiveIntegerField(_("requirement"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    answer_due_at = models.DateTimeField()
    answer = models.ForeignKey(Answer, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions")
    # Hidden by a moderator (moderation/services.py): the original stays for the record.
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.TextField(_("reason"), blank=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:60]

    def get_absolute_url(self):
        return reverse("dialogues:question-detail", args=[self.dialogue_id, self.pk])

    @property
    def is_answered(self) -> bool:
        return self.answer_id is not None and self.answer.published_at is not None and not self.answer.is_withdrawn

    def is_overdue(self, now=None) -> bool:
        return not self.is_answered and self.answer_due_at < (now or timezone.now())

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


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

    objects = MeetingSlotQuerySet.as_manager()

    class Meta:
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


class ConflictDeclarationQuerySet(models.QuerySet):
    def current(self):
        """Each person's current entry per dialogue: the latest one (the rule used everywhere
        the state of a person's conflict of interest is asked for)."""
        latest = (
            ConflictDeclaration.objects.filter(dialogue=models.OuterRef("dialogue"), user=models.OuterRef("user"))
            .order_by("-declared_at", "-pk")
            .values("pk")[:1]
        )
        return self.filter(pk=models.Subquery(latest))


class ConflictDeclaration(models.Model):
    """One entry in a group user's conflict-of-interest (jäv) history for one dialogue.
    Append-only: the latest entry is the person's state; earlier ones stay for the record.
    An entry with `cleared_by` is a clearance: someone other than the person (another
    coordinator, or a facilitator) lifted a declared conflict, with a reason."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="conflict_declarations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    has_conflict = models.BooleanField(_("I have a conflict of interest"))
    description = models.TextField(_("describe the conflict"), max_length=3000, blank=True)
    declared_at = models.DateTimeField(default=timezone.now)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"), max_length=3000, blank=True)

    objects = ConflictDeclarationQuerySet.as_manager()

    class State(models.TextChoices):
        NO_CONFLICT = "no_conflict", _("No conflict of interest")
        CONFLICT = "conflict", _("Conflict of interest declared")
        CLEARED = "cleared", _("Conflict cleared")

    class Meta:
        ordering = ["-declared_at", "-pk"]

    def __str__(self):
        return f"{self.user}: {'conflict' if self.has_conflict else 'no conflict'}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("declarations are append-only; declare again instead")
        super().save(*args, **kwargs)

    @property
    def state(self) -> "ConflictDeclaration.State":
        """What this entry says when it is the person's current one."""
        if self.has_conflict:
            return self.State.CONFLICT
        return self.State.CLEARED if self.cleared_by_id else self.State.NO_CONFLICT

    @property
    def blocks_proposals(self) -> bool:
        """A declared conflict keeps proposals closed until someone else clears it."""
        return self.has_conflict
