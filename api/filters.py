"""The query parameters each list takes, checked as forms are: a bad value is a 400 naming the
parameter (api/errors.py), never a silently ignored filter."""

from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from accounts.models import County
from dialogues.models import Dialogue
from dialogues.services.listing import filter_public_dialogues
from groups.models import NeedStatement, Stage, Theme

MAX_PAGE_SIZE = 100


class ListParameters(forms.Form):
    limit = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE_SIZE, help_text=_("Objects per page, 1–100 (20 if not given).")
    )
    theme = forms.ChoiceField(required=False, choices=Theme.choices)
    updated_since = forms.DateTimeField(
        required=False, help_text=_("Only objects changed at or after this time (ISO 8601, e.g. 2026-12-01T08:00:00Z).")
    )

    def filter(self, queryset, *, theme_field="theme"):
        data = self.cleaned_data
        if data["theme"]:
            queryset = queryset.filter(**{theme_field: data["theme"]})
        if data["updated_since"]:
            queryset = queryset.filter(updated_at__gte=data["updated_since"])
        return queryset


class GroupParameters(ListParameters):
    STATUSES = [("ongoing", _("Ongoing")), ("ended", _("Ended"))]
    status = forms.ChoiceField(required=False, choices=STATUSES)
    stage = forms.ChoiceField(required=False, choices=Stage.choices)

    def filter(self, queryset, **kwargs):
        queryset = super().filter(queryset, **kwargs)
        data = self.cleaned_data
        if data["status"]:
            queryset = queryset.filter(outcome="") if data["status"] == "ongoing" else queryset.exclude(outcome="")
        if data["stage"]:
            queryset = queryset.filter(current_stage=data["stage"])
        return queryset


class NeedParameters(ListParameters):
    status = forms.ChoiceField(
        required=False, choices=[(state, NeedStatement.State(state).label) for state in ("published", "closed")]
    )

    def filter(self, queryset, **kwargs):
        queryset = super().filter(queryset, theme_field="group__theme")
        if self.cleaned_data["status"]:
            queryset = queryset.filter(state=self.cleaned_data["status"])
        return queryset


class DialogueParameters(ListParameters):
    status = forms.ChoiceField(
        required=False, choices=[(state, Dialogue.State(state).label) for state in ("open", "closed")]
    )
    deadline_within = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=365,
        help_text=_("Only dialogues whose deadline for proposals is within this many days from now (1–365)."),
    )
    county = forms.ChoiceField(
        required=False,
        choices=County.choices,
        help_text=_("Only dialogues of groups with a member authority in this county (its two-digit code)."),
    )

    def filter(self, queryset, **kwargs):
        """The same filtering as the /dialogues/ page (dialogues.services.listing)."""
        data = self.cleaned_data
        asked = {
            "state": data["status"],
            "theme": data["theme"],
            "within": data["deadline_within"],
            "county": data["county"],
        }
        queryset = filter_public_dialogues(queryset, asked, default_state=None)
        if data["updated_since"]:
            queryset = queryset.filter(updated_at__gte=data["updated_since"])
        return queryset


def openapi_parameters(form_class) -> list[OpenApiParameter]:
    """The form's fields as the OpenAPI document's query parameters (limit comes from the
    pagination)."""
    parameters = []
    for name, field in form_class.base_fields.items():
        if name == "limit":
            continue
        kind = OpenApiTypes.DATETIME if isinstance(field, forms.DateTimeField) else OpenApiTypes.STR
        if isinstance(field, forms.IntegerField):
            kind = OpenApiTypes.INT
        choices = [value for value, _label in field.choices if value] if isinstance(field, forms.ChoiceField) else None
        parameters.append(
            OpenApiParameter(name, kind, OpenApiParameter.QUERY, description=field.help_text or "", enum=choices)
        )
    return parameters
