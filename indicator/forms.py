from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, OrganisationMember, SizeClass, User
from groups.models import BuyerGroup
from indicator.models import FIRST_YEAR, LAST_YEAR, OutreachMessage

RATING_CHOICES = [
    (1, _("1 – not at all")),
    (2, _("2 – to a small extent")),
    (3, _("3 – partly")),
    (4, _("4 – to a large extent")),
    (5, _("5 – fully")),
    ("", _("Not answered")),
]


class AssessmentForm(forms.Form):
    """One rating (1–5 or not answered) and an optional comment per question."""

    revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[f"rating_{question.statement_id}"] = forms.TypedChoiceField(
                label=question.text,
                choices=RATING_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                initial="" if question.rating is None else question.rating,
                error_messages={
                    "invalid_choice": _("“%(value)s” is not a rating. Choose from 1 to 5, or “Not answered”.")
                },
            )
            self.fields[f"comment_{question.statement_id}"] = forms.CharField(
                label=_("Comment"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=question.comment,
            )

    def items(self):
        """(question, rating field, comment field) for the template, in order."""
        return [
            (question, self[f"rating_{question.statement_id}"], self[f"comment_{question.statement_id}"])
            for question in self.questions
        ]

    def clean(self):
        cleaned = super().clean()
        ratings = [f"rating_{question.statement_id}" for question in self.questions]
        if not any(name in self.errors for name in ratings) and all(cleaned.get(name) is None for name in ratings):
            raise ValidationError(
                _("Rate at least one statement. Statements left as “Not answered” do not count in the score."),
                code="empty",
            )
        return cleaned

    def answers(self) -> dict:
        return {
            question.statement_id: (
                self.cleaned_data[f"rating_{question.statement_id}"],
                self.cleaned_data[f"comment_{question.statement_id}"].strip(),
            )
            for question in self.questions
        }


class ColleagueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name} ({obj.email})" if obj.name else obj.email


class DelegationForm(forms.Form):
    user = ColleagueChoiceField(
        label=_("Colleague"),
        queryset=User.objects.none(),
        empty_label=_("Choose a colleague"),
        help_text=_("They can answer and change the self-assessment for the organisation until you remove them."),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        # Administrators answer anyway; delegation is for the organisation's other people.
        self.fields["user"].queryset = (
            User.objects.filter(
                affiliations__organisation=organisation,
                affiliations__role=OrganisationMember.Role.MEMBER,
                deleted_at__isnull=True,
            )
            .exclude(indicator_delegations__organisation=organisation)
            .order_by("name", "email")
        )


class IndicatorFilterForm(forms.Form):
    year_from = forms.IntegerField(
        label=_("From year"),
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages={
            "min_value": _("The indicator starts with the 2016 baseline: choose 2016 or later."),
            "max_value": _("Choose %(limit_value)s or earlier."),
        },
    )
    year_to = forms.IntegerField(
        label=_("To year"),
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages={
            "min_value": _("The indicator starts with the 2016 baseline: choose 2016 or later."),
            "max_value": _("Choose %(limit_value)s or earlier."),
        },
    )
    kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        required=False,
        choices=[("", _("All kinds")), *[(kind.value, kind.label) for kind in Organisation.AUTHORITY_KINDS]],
    )
    size_class = forms.ModelChoiceField(
        label=_("Size"), required=False, queryset=SizeClass.objects.all(), empty_label=_("All sizes")
    )

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("year_from"), cleaned.get("year_to")
        if first and last and first > last:
            self.add_error("year_to", _("The last year cannot come before the first year."))
        return cleaned


class OutreachForm(forms.Form):
    """A facilitator's letter to many people: to whom, then the subject and the text. Plain text:
    it is shown escaped on the platform and sent as it is written."""

    audience = forms.ChoiceField(
        label=_("To"), choices=OutreachMessage.Audience.choices, widget=forms.RadioSelect, initial="all_coordinators"
    )
    group = forms.ModelChoiceField(
        label=_("Group"),
        queryset=BuyerGroup.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("Choose a group"),
        help_text=_("Only when writing to one group."),
    )
    year = forms.IntegerField(
        label=_("Self-assessment year"),
        required=False,
        min_value=FIRST_YEAR,
        help_text=_("Only when writing to the authorities that have not answered. Empty: this year."),
        error_messages={"min_value": _("The indicator starts with the 2016 baseline: choose 2016 or later.")},
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Plain text, at most 5,000 characters."),
    )

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year is not None and year > timezone.localdate().year:
            raise ValidationError(_("Choose this year or an earlier one."), code="max_value")
        return year

    def clean(self):
        cleaned = super().clean()
        audience = cleaned.get("audience")
        if audience == OutreachMessage.Audience.GROUP:
            group = cleaned.get("group")
            if group is None and "group" not in self.errors:
                self.add_error("group", _("Choose the group to write to."))
            elif group is not None and group.is_ended:
                self.add_error("group", _("The group has ended: write to its people one by one instead."))
        if audience == OutreachMessage.Audience.NON_RESPONDENTS and cleaned.get("year") is None:
            if "year" not in self.errors:
                cleaned["year"] = timezone.localdate().year
        return cleaned

    def recipients_args(self) -> dict:
        """The audience as audience_people() and send_outreach() take it."""
        audience = self.cleaned_data["audience"]
        return {
            "audience": audience,
            "group": self.cleaned_data["group"] if audience == OutreachMessage.Audience.GROUP else None,
            "year": self.cleaned_data["year"] if audience == OutreachMessage.Audience.NON_RESPONDENTS else None,
        }


def outreach_initial(query) -> dict:
    """The form's starting values from ?audience=&group=&year= (links from the responses page and a
    group's page); anything not valid is left out, never an error."""
    initial = {}
    if query.get("audience") in OutreachMessage.Audience.values:
        initial["audience"] = query["audience"]
    slug = query.get("group", "")
    if slug and len(slug) <= 80 and (group := BuyerGroup.objects.filter(slug=slug).first()):
        initial["group"] = group.slug
        initial.setdefault("audience", OutreachMessage.Audience.GROUP)
    year = query.get("year", "")
    if year.isdigit() and len(year) == 4 and FIRST_YEAR <= int(year) <= timezone.localdate().year:
        initial["year"] = int(year)
    return initial
