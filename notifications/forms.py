from django import forms
from django.utils.translation import gettext_lazy as _

from groups.models import Theme
from notifications.kinds import Delivery, Kind


def kind_field_name(kind: str) -> str:
    return f"kind_{kind}"


class PreferencesForm(forms.Form):
    """One choice per kind; suppliers also pick the buyer-group themes they follow."""

    def __init__(self, *args, deliveries: dict[str, str], themes: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[kind_field_name(kind)] = forms.ChoiceField(
                label=kind.label, choices=Delivery.choices, initial=deliveries[kind]
            )
        if themes is not None:
            self.fields["themes"] = forms.MultipleChoiceField(
                label=_("Themes you follow"),
                help_text=_("You hear when a buyer group in one of these themes opens a market dialogue."),
                choices=Theme.choices,
                required=False,
                initial=themes,
                widget=forms.CheckboxSelectMultiple,
            )

    def kind_fields(self):
        return [self[kind_field_name(kind)] for kind in Kind]

    def deliveries(self) -> dict[str, str]:
        return {kind.value: self.cleaned_data[kind_field_name(kind)] for kind in Kind}
