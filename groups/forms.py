from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from core.content_language import ContentLanguageFormMixin
from core.uploads import check_upload
from groups.models import (
    BuyerGroup,
    Endorsement,
    Membership,
    NeedVersion,
    Priority,
    Procedure,
    ProcedureChoice,
    Stage,
    StagePlanEntry,
    Theme,
)
from groups.services.themes import follow_themes


class ThemeFollowForm(forms.Form):
    """The themes a supplier follows: a section of the notification settings page."""

    section_template = "groups/_theme_follow_section.html"

    themes = forms.MultipleChoiceField(
        label=_("Themes you follow"),
        help_text=_("You hear when a buyer group in one of these themes opens a market dialogue."),
        choices=Theme.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def save(self) -> None:
        follow_themes(user=self.user, themes=self.cleaned_data["themes"])


ONGOING = "ongoing"  # the directory's filter value for groups that have not ended


class GroupFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    theme = forms.ChoiceField(label=_("Theme"), required=False, choices=[("", _("All themes")), *Theme.choices])
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", _("All stages")), *Stage.choices])
    open = forms.BooleanField(label=_("Only groups open for new members"), required=False)
    outcome = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All groups")), (ONGOING, _("Ongoing")), *BuyerGroup.Outcome.choices],
    )


class GroupForm(ContentLanguageFormMixin, forms.ModelForm):
    organisation = forms.ModelChoiceField(
        label=_("Your organisation"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        help_text=_("It becomes the group's first member, and you its coordinator."),
    )

    class Meta:
        model = BuyerGroup
        fields = ["name", "theme", "summary", "challenge", "content_language", "is_open"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3}), "challenge": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class GroupEditForm(ContentLanguageFormMixin, forms.ModelForm):
    class Meta:
        model = BuyerGroup
        fields = ["name", "theme", "summary", "challenge", "content_language", "is_open"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3}), "challenge": forms.Textarea(attrs={"rows": 5})}


class JoinRequestForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=Organisation.objects.none(), empty_label=None
    )
    role = forms.ChoiceField(
        label=_("As"),
        choices=Membership.Role.choices,
        initial=Membership.Role.MEMBER,
        help_text=_("Observers follow and advise; they do not endorse the need."),
    )
    motivation = forms.CharField(
        label=_("Why do you want to join?"), widget=forms.Textarea(attrs={"rows": 4}), max_length=3000
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])


class InviteOrganisationForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    role = forms.ChoiceField(label=_("As"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER)
    message = forms.CharField(
        label=_("Message"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=3000
    )

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            Organisation.objects.verified()
            .filter(kind__in=[*Organisation.AUTHORITY_KINDS])
            .exclude(group_memberships__group=group, group_memberships__status__in=Membership.OPEN_STATUSES)
        )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("decline", _("Decline"))], widget=forms.HiddenInput
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "decline" and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Say why the request is declined; the organisation sees it."))
        return cleaned


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class FacilitatorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.email})" if obj.name else obj.email


class ContactsForm(forms.Form):
    """The facilitators named as the group's contact persons: only facilitators are offered, so
    anyone else's id in the POST is an invalid choice."""

    contacts = FacilitatorChoiceField(
        label=_("Contact persons at Upphandlingsmyndigheten"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Shown with name and e-mail address on the group's public page and in its workspace."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contacts"].queryset = (
            User.objects.facilitators().filter(is_active=True, deleted_at__isnull=True).order_by("name", "email")
        )


class GroupEndingForm(forms.Form):
    """How the group ended; each outcome asks for its own details and the others are dropped."""

    outcome = forms.ChoiceField(label=_("Outcome"), choices=BuyerGroup.Outcome.choices, widget=forms.RadioSelect)
    ended_on = forms.DateField(label=_("Date the group ended"), widget=forms.DateInput(attrs={"type": "date"}))
    procedure = forms.ChoiceField(
        label=_("Procedure"),
        required=False,
        choices=[("", "—"), *((code, label) for code, label in Procedure.choices if code != Procedure.UNDECIDED)],
    )
    advertised_on = forms.DateField(
        label=_("Date the procurement was advertised"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    notice_url = forms.URLField(
        label=_("Link to the advertised procurement"),
        required=False,
        max_length=500,
        # Shown as a link on the public page: only web addresses, never javascript: or data:.
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("An address starting with https:// or http://."),
    )
    notice_reference = forms.CharField(
        label=_("Notice reference"),
        required=False,
        max_length=120,
        help_text=_("For example the notice number in the advertising database or TED."),
    )
    continuation = forms.CharField(
        label=_("How the work continues"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example a network, another group or a project of one of the authorities."),
    )
    reason = forms.CharField(
        label=_("Why the group stopped"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        for name in ("ended_on", "advertised_on"):
            if cleaned.get(name) and cleaned[name] > today:
                self.add_error(name, _("The date cannot be in the future."))
        outcome = cleaned.get("outcome")
        if outcome == BuyerGroup.Outcome.PROCURED:
            if not cleaned.get("procedure"):
                self.add_error("procedure", _("Choose the procedure the procurement was advertised in."))
            if not cleaned.get("advertised_on") and "advertised_on" not in self.errors:
                self.add_error("advertised_on", _("Give the date the procurement was advertised."))
            has_notice = cleaned.get("notice_url") or cleaned.get("notice_reference", "").strip()
            if not has_notice and "notice_url" not in self.errors:
                message = _("Give a link to the advertised procurement or its notice reference.")
                self.add_error("notice_reference", message)
        elif outcome == BuyerGroup.Outcome.CONTINUING and not cleaned.get("continuation", "").strip():
            self.add_error("continuation", _("Say in a few words how the work continues."))
        elif outcome == BuyerGroup.Outcome.ABANDONED and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Say why the group stopped."))
        return cleaned

    def ending(self) -> dict:
        """The service's keywords for the chosen outcome, without the other outcomes' fields."""
        data = self.cleaned_data
        ending = {"outcome": data["outcome"], "ended_on": data["ended_on"]}
        if data["outcome"] == BuyerGroup.Outcome.PROCURED:
            ending.update(
                procedure=data["procedure"],
                advertised_on=data["advertised_on"],
                notice_url=data["notice_url"],
                notice_reference=data["notice_reference"].strip(),
            )
        elif data["outcome"] == BuyerGroup.Outcome.CONTINUING:
            ending["note"] = data["continuation"].strip()
        else:
            ending["note"] = data["reason"].strip()
        return ending


class StageEntryForm(forms.ModelForm):
    class Meta:
        model = StagePlanEntry
        fields = ["planned_start", "planned_end", "actual_start", "actual_end", "outcome_note"]
        widgets = {
            "planned_start": forms.DateInput(attrs={"type": "date"}),
            "planned_end": forms.DateInput(attrs={"type": "date"}),
            "actual_start": forms.DateInput(attrs={"type": "date"}),
            "actual_end": forms.DateInput(attrs={"type": "date"}),
            "outcome_note": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self):
        cleaned = super().clean()
        for start, end in (("planned_start", "planned_end"), ("actual_start", "actual_end")):
            if cleaned.get(start) and cleaned.get(end) and cleaned[end] < cleaned[start]:
                self.add_error(end, _("The end date is before the start date."))
        return cleaned


class ProcedureChoiceForm(forms.ModelForm):
    class Meta:
        model = ProcedureChoice
        fields = ["procedure", "lead_organisation", "legal_vehicle", "rationale", "external_reference", "status"]
        widgets = {"rationale": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_organisation"].queryset = Organisation.objects.filter(
            group_memberships__group=group,
            group_memberships__status=Membership.Status.ACTIVE,
            group_memberships__role=Membership.Role.MEMBER,
        ).distinct()
        self.fields["rationale"].required = True


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.content_type = check_upload(upload)
        return upload


class DocumentVersionForm(DocumentForm):
    title = None
    note = forms.CharField(label=_("What changed?"), required=False, max_length=300)


class NeedForm(forms.Form):
    """The text of a need statement; requirements come from RequirementFormSet beside it."""

    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    background = forms.CharField(label=_("Background"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    challenge = forms.CharField(label=_("The challenge"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    constraints = forms.CharField(label=_("Constraints"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    sustainability_goals = forms.CharField(
        label=_("Sustainability goals"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    timeline = forms.CharField(label=_("Timeline"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    market_questions = forms.CharField(
        label=_("Questions to the market"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    change_note = forms.CharField(
        label=_("What did you change?"), max_length=300, help_text=_("A short note for the version history.")
    )

    TEXT_FIELDS = NeedVersion.TEXT_FIELDS

    @classmethod
    def initial_from(cls, version):
        return {"base_version": version.number, **{name: getattr(version, name) for name in cls.TEXT_FIELDS}}

    def version_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.TEXT_FIELDS}


class RequirementForm(forms.Form):
    number = forms.IntegerField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(
        label=_("Function or outcome wanted"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What must be achieved, not how."),
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.MUST)
    rationale = forms.CharField(label=_("Rationale"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    verification = forms.CharField(
        label=_("How it will be verified"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def has_content(self) -> bool:
        return bool(self.cleaned_data.get("text", "").strip())

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("text", "").strip() and (cleaned.get("rationale") or cleaned.get("verification")):
            self.add_error("text", _("Describe the function or outcome, or clear the other fields of this row."))
        return cleaned


RequirementFormSet = forms.formset_factory(RequirementForm, extra=2, max_num=200)


def requirements_from(formset) -> list[dict]:
    return [
        {
            "number": form.cleaned_data.get("number"),
            "text": form.cleaned_data["text"].strip(),
            "priority": form.cleaned_data["priority"],
            "rationale": form.cleaned_data.get("rationale", "").strip(),
            "verification": form.cleaned_data.get("verification", "").strip(),
        }
        for form in formset.forms
        if form.cleaned_data and form.has_content()
    ]


class CommentForm(forms.Form):
    requirement_number = forms.TypedChoiceField(label=_("About"), required=False, coerce=int, empty_value=None)
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)

    def __init__(self, *args, requirements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirement_number"].choices = [("", _("The whole need statement"))] + [
            (r["number"], f"R{r['number']}: {r['text'][:60]}") for r in requirements
        ]


class EndorsementForm(forms.ModelForm):
    class Meta:
        model = Endorsement
        fields = ["commitment", "decision_reference", "quantity", "unit", "budget_min", "budget_max", "wanted_start"]
        widgets = {"wanted_start": forms.DateInput(attrs={"type": "date"})}

    def clean_quantity(self):
        quantity = self.cleaned_data.get("quantity")
        if quantity is not None and quantity < 0:
            raise ValidationError(_("The quantity cannot be negative."))
        return quantity

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("budget_min"), cleaned.get("budget_max")
        if low is not None and high is not None and low > high:
            self.add_error("budget_max", _("The upper end of the budget is below the lower end."))
        if cleaned.get("quantity") is not None and not cleaned.get("unit", "").strip():
            self.add_error("unit", _("Say what the quantity counts, for example vehicles or units."))
        return cleaned
