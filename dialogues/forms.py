from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import County, Organisation
from core.content_language import ContentLanguageFormMixin
from core.uploads import check_upload
from dialogues.models import Answer, Dialogue, Question, SubmissionVersion
from dialogues.services.amendments import AMENDABLE_FIELDS
from dialogues.services.listing import CLOSED, LATEST_DEADLINE, NEWEST, OPEN, SOONEST_DEADLINE
from groups.models import Theme

ATTACHMENT_FIELDS = 3


class DialogueFilterForm(forms.Form):
    """The filters of the public list (GET); dialogues.services.listing applies them."""

    state = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[(OPEN, _("Open dialogues")), (CLOSED, _("Closed dialogues"))],
    )
    theme = forms.ChoiceField(label=_("Theme"), required=False, choices=[("", _("All themes")), *Theme.choices])
    county = forms.ChoiceField(
        label=_("County of a member authority"),
        required=False,
        choices=[("", _("All counties")), *County.choices],
    )
    within = forms.IntegerField(
        label=_("Deadline for proposals within (days)"),
        required=False,
        min_value=1,
        max_value=365,
        help_text=_("Dialogues whose deadline for proposals is at most this many days away. Leave empty for any."),
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("", _("Default order")),
            (SOONEST_DEADLINE, _("Soonest deadline first")),
            (LATEST_DEADLINE, _("Latest deadline first")),
            (NEWEST, _("Most recently opened first")),
        ],
        help_text=_("By default open dialogues come soonest deadline first, closed ones most recently closed first."),
    )


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DialogueForm(ContentLanguageFormMixin, forms.ModelForm):
    class Meta:
        model = Dialogue
        # what an open dialogue's amendment may change, its need and the language it is written in
        fields = ["need", *AMENDABLE_FIELDS, "content_language"]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "schedule": forms.Textarea(attrs={"rows": 3}),
            "meeting_plan": forms.Textarea(attrs={"rows": 3}),
            "question_deadline": DateTimeInput(),
            "submission_deadline": DateTimeInput(),
        }
        labels = {"need": _("Need statement")}
        help_texts = {
            "question_deadline": _("Questions sent after this are refused."),
            "submission_deadline": _("Proposals can be sent and replaced until then."),
            "answer_days": _("The group's promise: questions older than this are flagged."),
        }

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].queryset = group.needs.filter(state="published").select_related("current_version")
        self.fields["need"].label_from_instance = lambda need: str(need.published_version.title)
        self.fields["need"].empty_label = None
        if self.instance.pk and self.instance.state != Dialogue.State.DRAFT:
            self.fields["need"].disabled = True

    def clean(self):
        cleaned = super().clean()
        for name in ("question_deadline", "submission_deadline"):
            value, initial = cleaned.get(name), self.initial.get(name)
            # The field shows minutes only: a time left as it was comes back without its seconds.
            if value and initial and value == initial.replace(second=0, microsecond=0):
                cleaned[name] = initial
        questions, submissions = cleaned.get("question_deadline"), cleaned.get("submission_deadline")
        if questions and submissions and questions > submissions:
            self.add_error(
                "submission_deadline", _("The deadline for proposals must be after the last day for questions.")
            )
        if questions and questions <= timezone.now() and questions != self.initial.get("question_deadline"):
            self.add_error("question_deadline", _("Choose a time in the future."))
        return cleaned


class AmendmentForm(DialogueForm):
    """Editing an open dialogue: what changed is published as one numbered amendment, with the
    reason, to every participant. `amendments` (after is_valid) holds the fields that changed.
    The language of the texts is not a term of the dialogue: changing it is no amendment."""

    reason = forms.CharField(
        label=_("Reason for the change"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
        required=False,
        help_text=_("Published to every participant with the change. Required when anything changes."),
    )
    approve_short_notice = forms.BooleanField(
        label=_("I approve the shorter notice as facilitator"),
        required=False,
        help_text=_("Needed when a deadline is moved earlier and leaves suppliers less than the minimum notice."),
    )
    override_reason = forms.CharField(
        label=_("Publish anyway: why the matched words do not identify a supplier"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=3000,
        required=False,
        help_text=_("Goes into the audit log. Leave empty and reword the texts instead if you can."),
    )

    def __init__(self, *args, is_facilitator=False, offer_override=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_facilitator:
            del self.fields["approve_short_notice"]
        if not offer_override:
            del self.fields["override_reason"]

    def clean(self):
        cleaned = super().clean()
        self.amendments = {
            name: cleaned[name]
            for name in self._meta.fields
            if name in AMENDABLE_FIELDS and name in cleaned and cleaned[name] != getattr(self.instance, name)
        }
        if self.amendments and not cleaned.get("reason", "").strip():
            self.add_error(
                "reason",
                _("Say why the dialogue changes: the reason is published to every participant with the change."),
            )
        return cleaned


class WithdrawalForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the withdrawal"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
        help_text=_("Published to every participant in the withdrawal notice."),
        error_messages={"required": _("Say why the entry is withdrawn: every participant is told the reason.")},
    )
    override_reason = forms.CharField(
        label=_("Publish anyway: why the matched words do not identify a supplier"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=3000,
        required=False,
        help_text=_("Goes into the audit log. Leave empty and reword the reason instead if you can."),
    )

    def __init__(self, *args, offer_override=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not offer_override:
            del self.fields["override_reason"]

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Say why the entry is withdrawn: every participant is told the reason."))
        return reason


class OrganisationChoiceForm(forms.Form):
    """On whose behalf: a person may work for more than one supplier."""

    organisation = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=Organisation.objects.none(), empty_label=None
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])
        if len(organisations) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].initial = organisations[0].pk


def requirement_choices(version) -> list:
    requirements = version.requirements if version is not None else []
    return [("", _("The need statement as a whole"))] + [
        (r["number"], f"R{r['number']}: {r['text'][:70]}") for r in requirements
    ]


class QuestionForm(OrganisationChoiceForm):
    requirement_number = forms.TypedChoiceField(label=_("About"), required=False, coerce=int, empty_value=None)
    text = forms.CharField(
        label=_("Your question"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=_(
            "Every supplier taking part gets the group's answer at the same time, without your name. "
            "The group may reword the question so that it does not identify you."
        ),
    )

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirement_number"].choices = requirement_choices(version)

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError(_("Write your question."))
        return text


class QuestionsField(forms.ModelMultipleChoiceField):
    """Checkboxes of questions. A value that is not a whole number of a sensible size is
    refused before it reaches the database (SQLite cannot even compare a 30-digit number)."""

    def _check_values(self, value):
        # Django 6.1.3's private ModelMultipleChoiceField._check_values, which clean() calls with
        # the submitted keys before it queries them (pinned in tests/test_patched_internals.py).
        for pk in value:
            if not (str(pk).isascii() and str(pk).isdigit() and len(str(pk)) < 19):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


class AnswerForm(forms.ModelForm):
    questions = QuestionsField(
        label=_("Questions this answers"),
        queryset=Question.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Near-identical questions can share one published answer."),
    )
    requirement_number = forms.TypedChoiceField(label=_("About"), required=False, coerce=int, empty_value=None)

    class Meta:
        model = Answer
        fields = ["question_text", "body", "requirement_number"]
        widgets = {"question_text": forms.Textarea(attrs={"rows": 4}), "body": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, dialogue, version, answer_kind=Answer.Kind.ANSWER, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirement_number"].choices = requirement_choices(version)
        if answer_kind == Answer.Kind.ANSWER and self.instance.amends_id is None:
            pending = dialogue.questions.unanswered()
            self.fields["questions"].queryset = pending
            self.fields["questions"].label_from_instance = lambda question: question.text[:160]
            self.fields["question_text"].required = True
        else:
            del self.fields["questions"]
            self.fields["question_text"].label = _("Subject")
            self.fields["question_text"].help_text = _("Optional: what the clarification is about.")

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise ValidationError(_("Write the answer."))
        return body

    def clean(self):
        cleaned = super().clean()
        if "questions" in self.fields and not cleaned.get("questions"):
            self.add_error("questions", _("Choose at least one question that this answers."))
        return cleaned


def override_reason_field():
    return forms.CharField(
        label=_("Publish anyway, because"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
        help_text=_(
            "Only if what was found does not point at a supplier here, for example a common word. "
            "The reason goes to the audit log."
        ),
    )


class PublishForm(forms.Form):
    """Publishing a text to every participant or the public. What the identity check holds
    back (dialogues/deidentify.py) goes out only with a reason."""

    override_reason = override_reason_field()

    def clean_override_reason(self):
        return self.cleaned_data["override_reason"].strip()


class SubmissionForm(OrganisationChoiceForm):
    text = forms.CharField(
        label=_("Your proposal"),
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=SubmissionVersion._meta.get_field("text").max_length,
        required=False,
    )
    secret_parts = forms.CharField(
        label=_("Parts that contain trade secrets"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
        help_text=_("Name the sections, figures or attachments, item by item. Leave empty if nothing is secret."),
    )
    secret_reason = forms.CharField(
        label=_("Why disclosure would harm you"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
        help_text=_(
            "What you send may become a public document. The authority decides on secrecy (OSL 31:16) when "
            "someone asks for it; your reasons are the basis for that decision."
        ),
    )
    keep_attachments = forms.MultipleChoiceField(
        label=_("Keep these attachments from your latest version"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, previous_attachments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.previous_attachments = {str(a.pk): a for a in previous_attachments}
        if self.previous_attachments:
            self.fields["keep_attachments"].choices = [
                (pk, attachment.original_name) for pk, attachment in self.previous_attachments.items()
            ]
            self.fields["keep_attachments"].initial = list(self.previous_attachments)
        else:
            del self.fields["keep_attachments"]
        for index in range(1, ATTACHMENT_FIELDS + 1):
            self.fields[f"attachment_{index}"] = forms.FileField(
                label=_("Attachment %(number)s") % {"number": index}, required=False
            )
            self.fields[f"attachment_{index}_secret"] = forms.BooleanField(
                label=_("This attachment contains trade secrets"), required=False
            )

    def attachment_rows(self):
        return [
            (self[f"attachment_{index}"], self[f"attachment_{index}_secret"])
            for index in range(1, ATTACHMENT_FIELDS + 1)
        ]

    def clean(self):
        cleaned = super().clean()
        self.uploads = []
        for index in range(1, ATTACHMENT_FIELDS + 1):
            upload = cleaned.get(f"attachment_{index}")
            if upload:
                try:
                    content_type = check_upload(upload)
                except ValidationError as error:
                    self.add_error(f"attachment_{index}", error)
                else:
                    self.uploads.append((upload, content_type, bool(cleaned.get(f"attachment_{index}_secret"))))
        self.kept = [self.previous_attachments[pk] for pk in cleaned.get("keep_attachments", [])]
        if not cleaned.get("text", "").strip() and not self.uploads and not self.kept and not self.errors:
            raise ValidationError(_("Write your proposal or attach at least one file."))
        if self.errors and self.files:
            # Browsers cannot refill a file field: say so, next to the kept text.
            self.add_error(None, _("Your text is kept. Choose the files again before sending."))
        return cleaned


class MeetingSlotsForm(forms.Form):
    first_start = forms.DateTimeField(label=_("First meeting starts"), widget=DateTimeInput())
    length_minutes = forms.IntegerField(
        label=_("Length of each meeting (minutes)"), min_value=15, max_value=240, initial=45
    )
    count = forms.IntegerField(label=_("Number of meetings"), min_value=1, max_value=40, initial=4)
    gap_minutes = forms.IntegerField(
        label=_("Break between meetings (minutes)"), min_value=0, max_value=240, initial=15
    )
    location = forms.CharField(
        label=_("Where"), max_length=200, required=False, help_text=_("A room, an address or a video link.")
    )

    def clean_first_start(self):
        first_start = self.cleaned_data["first_start"]
        if first_start <= timezone.now():
            raise ValidationError(_("Choose a time in the future."))
        return first_start


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10000,
        help_text=_("For the group's record. Not shown to other suppliers."),
    )
    anything_new = forms.TypedChoiceField(
        label=_("Did the group tell this supplier anything the other participants have not been told?"),
        choices=[("no", _("No")), ("yes", _("Yes"))],
        widget=forms.RadioSelect,
        coerce=lambda value: value == "yes",
    )
    clarification = forms.CharField(
        label=_("Clarification to every participant"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
        required=False,
        help_text=_("Published to all participants with the answers, without the supplier's name or secrets."),
    )
    # Shown only when the identity check held the clarification back.
    override_reason = override_reason_field()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("anything_new") and not cleaned.get("clarification", "").strip():
            self.add_error(
                "clarification", _("Write what was new, so that every participant gets the same information.")
            )
        if cleaned.get("anything_new") is False:
            cleaned["clarification"] = ""
        cleaned["override_reason"] = cleaned.get("override_reason", "").strip()
        return cleaned


class DeclarationForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_("Conflict of interest (jäv)"),
        choices=[
            ("no", _("I have no conflict of interest with any supplier in this dialogue")),
            ("yes", _("I have a conflict of interest")),
        ],
        widget=forms.RadioSelect,
        coerce=lambda value: value == "yes",
    )
    description = forms.CharField(
        label=_("Describe the conflict"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
        required=False,
        help_text=_("For example a relative, a former employer or shares in a supplier."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("has_conflict") and not cleaned.get("description", "").strip():
            self.add_error("description", _("Describe the conflict of interest."))
        return cleaned


class ClearanceForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the conflict of interest no longer stands in the way"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
        help_text=_("The person is told this reason; it stays in the dialogue's record and the audit log."),
        error_messages={"required": _("Give the reason for clearing the conflict of interest.")},
    )
