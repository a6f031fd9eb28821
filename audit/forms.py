from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from audit.models import Action
from groups.models import BuyerGroup


class AuditFilterForm(forms.Form):
    actor = forms.CharField(
        label=_("Actor"),
        required=False,
        max_length=200,
        help_text=_("Part of a name or an e-mail address."),
    )
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("All actions")), *Action.choices],
        error_messages={"invalid_choice": _("“%(value)s” is not an action in the log. Choose one from the list.")},
    )
    group = forms.ModelChoiceField(
        label=_("Buyer group"),
        required=False,
        queryset=BuyerGroup.objects.order_by("name"),
        empty_label=_("All groups"),
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

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("date_from"), cleaned.get("date_to")
        if first and last and first > last:
            self.add_error("date_to", _("The last date cannot come before the first date."))
        return cleaned

    def filter(self, entries):
        """The entries the valid filters select (dates are whole days in Swedish time)."""
        data = self.cleaned_data
        if text := data["actor"].strip():
            people = User.objects.filter(Q(email__icontains=text) | Q(name__icontains=text)).values("pk")
            entries = entries.filter(Q(actor_label__icontains=text) | Q(actor_id__in=people))
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if data["group"]:
            entries = entries.filter(group_id=data["group"].pk)
        if data["date_from"]:
            entries = entries.filter(at__date__gte=data["date_from"])
        if data["date_to"]:
            entries = entries.filter(at__date__lte=data["date_to"])
        return entries
