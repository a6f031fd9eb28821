from django import forms
from django.utils.translation import gettext_lazy as _

from core.content_language import ContentLanguageFormMixin
from experience.models import ExperienceReport
from groups.models import Procedure, Theme


class ReportForm(ContentLanguageFormMixin, forms.ModelForm):
    class Meta:
        model = ExperienceReport
        fields = [*ExperienceReport.TEXT_FIELDS, "content_language"]
        widgets = {name: forms.Textarea(attrs={"rows": 6}) for name in ExperienceReport.TEXT_FIELDS}


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What do the coordinators need to change?"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The coordinators see this comment with the returned report."),
    )


class ReportFilterForm(forms.Form):
    """The public list's search and filters; an unknown value is an error on the form, never a 500."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    theme = forms.ChoiceField(label=_("Theme"), required=False, choices=[("", _("All themes")), *Theme.choices])
    procedure = forms.ChoiceField(
        label=_("Procedure"), required=False, choices=[("", _("All procedures")), *Procedure.choices]
    )
