from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from moderation.models import Report

REASON_ERRORS = {
    "required": _("Give a reason: it is kept for the record."),
    "max_length": _("A reason can be at most %(limit_value)d characters; this one has %(show_value)d."),
}


def _reason_field(label, help_text, *, required=True):
    field = forms.CharField(
        label=label,
        required=required,
        max_length=Report.REASON_MAX_LENGTH,
        error_messages=REASON_ERRORS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_text,
    )
    return field


class ReportForm(forms.Form):
    reason = _reason_field(
        _("What is wrong?"),
        _("For example: insulting, personal data, off topic, advertising. Only moderators read this."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = _(
            "Say what is wrong: the moderators need a reason to act on a report."
        )


class HideForm(forms.Form):
    reason = _reason_field(_("Reason"), _("Shown to everyone in place of the content, and kept for the record."))
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class NoteForm(forms.Form):
    note = _reason_field(_("Note (optional)"), _("Kept for the record."), required=False)


class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("All states")), *Report.State.choices])
    group = forms.TypedChoiceField(label=_("Place"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *Report.Kind.choices])

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("All groups")), *((g.pk, g.name) for g in groups)]


class SuspensionForm(forms.Form):
    DURATIONS = [
        ("1", _("1 day")),
        ("7", _("1 week")),
        ("30", _("30 days")),
        ("", _("Until a moderator lifts it")),
    ]

    place = forms.TypedChoiceField(label=_("Suspend from"), coerce=int)
    duration = forms.ChoiceField(label=_("For how long"), choices=DURATIONS, required=False)
    reason = _reason_field(_("Reason"), _("The person is told the reason, and it is kept for the record."))
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    SITE = 0

    def __init__(self, *args, groups, site_wide: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(g.pk, g.name) for g in groups]
        if site_wide:
            choices.insert(0, (self.SITE, _("The whole site")))
        self.fields["place"].choices = choices
        self.groups = {g.pk: g for g in groups}

    def clean_place(self):
        place = self.cleaned_data["place"]
        return None if place == self.SITE else self.groups[place]

    def ends_at(self):
        days = self.cleaned_data.get("duration")
        return timezone.now() + timedelta(days=int(days)) if days else None
