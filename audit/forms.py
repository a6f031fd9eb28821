from django import forms
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from audit.models import Action, AuditEntry


def _choices_from_log(id_field: str, label_field: str) -> list[tuple[str, str]]:
    """Who or which group appears in the log, as (id, name) choices, from the log's own name
    snapshots (a name that changed shows as it was last written), in name order. The log knows
    people and groups only by plain ids: it reads nothing from accounts or groups."""
    named = (
        AuditEntry.objects.exclude(**{f"{id_field}__isnull": True})
        .values(id_field, label_field)
        .annotate(latest=Max("at"))
        .order_by()
    )
    latest: dict[int, tuple] = {}
    for row in named:
        key = row[id_field]
        if key not in latest or row["latest"] > latest[key][0]:
            latest[key] = (row["latest"], row[label_field])
    choices = [(str(key), label or f"#{key}") for key, (_at, label) in latest.items()]
    return sorted(choices, key=lambda choice: choice[1].casefold())


class AuditFilterForm(forms.Form):
    actor = forms.ChoiceField(
        label=_("Actor"),
        required=False,
        error_messages={"invalid_choice": _("That person has no entries in the log. Choose one from the list.")},
    )
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("All actions")), *Action.choices],
        error_messages={"invalid_choice": _("“%(value)s” is not an action in the log. Choose one from the list.")},
    )
    group = forms.ChoiceField(
        label=_("Buyer group"),
        required=False,
        error_messages={"invalid_choice": _("That buyer group does not exist. Choose one from the list.")},
    )
    date_from = forms.DateField(
        label=_("From date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD, for example 2026-11-24.")},
    )
    date_to = forms.DateField(
        label=_("To date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD, for example 2026-11-24.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].choices = [("", _("Everyone")), *_choices_from_log("actor_id", "actor_label")]
        self.fields["group"].choices = [("", _("All groups")), *_choices_from_log("group_id", "group_label")]

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("date_from"), cleaned.get("date_to")
        if first and last and first > last:
            self.add_error("date_to", _("The last date cannot come before the first date."))
        return cleaned

    def filter(self, entries):
        """The entries the valid filters select (dates are whole days in Swedish time)."""
        data = self.cleaned_data
        if data["actor"]:
            entries = entries.filter(actor_id=int(data["actor"]))
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if data["group"]:
            entries = entries.filter(group_id=int(data["group"]))
        if data["date_from"]:
            entries = entries.filter(at__date__gte=data["date_from"])
        if data["date_to"]:
            entries = entries.filter(at__date__lte=data["date_to"])
        return entries
