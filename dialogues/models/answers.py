"""The numbered answers (with clarifications, amendments and withdrawal notices) and the
suppliers' questions. A question's asking organisation and person are stored on the Question
and nowhere else."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from dialogues.models.dialogue import Dialogue, unanswered_condition


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
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
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
        verbose_name = _("question")
        verbose_name_plural = _("questions")
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
