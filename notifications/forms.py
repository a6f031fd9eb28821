from django import forms

from notifications.registry import Delivery, registered_kinds


def kind_field_name(kind: str) -> str:
    return f"kind_{kind}"


class PreferencesForm(forms.Form):
    """One choice per registered kind, in the order the apps registered them."""

    def __init__(self, *args, deliveries: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in registered_kinds():
            self.fields[kind_field_name(kind.key)] = forms.ChoiceField(
                label=kind.label, choices=Delivery.choices, initial=deliveries[kind.key]
            )

    def kind_fields(self):
        return [self[kind_field_name(kind.key)] for kind in registered_kinds()]

    def deliveries(self) -> dict[str, str]:
        return {kind.key: self.cleaned_data[kind_field_name(kind.key)] for kind in registered_kinds()}
