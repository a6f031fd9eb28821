from django import forms
from django.utils.translation import gettext_lazy as _

from discussions.models import Message

MESSAGE_ERRORS = {
    "required": _("Write a message before sending."),
    "max_length": _("A message can be at most %(limit_value)d characters; this one has %(show_value)d."),
}


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=Message.MAX_LENGTH,
        error_messages=MESSAGE_ERRORS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Markdown works: **bold**, *italic*, [link text](https://…), lists with - or 1. "
            "Write @ and a person's name to mention them."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No maxlength in the page: the browser would cut a pasted text without a word.
        # The server says how long it was instead, and keeps all of it in the form.
        self.fields["body"].widget.attrs.pop("maxlength", None)


class ThreadForm(MessageForm):
    title = forms.CharField(label=_("Subject"), max_length=200)
    field_order = ["title", "body"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].label = _("First message")


class MentionSearchForm(forms.Form):
    q = forms.CharField(max_length=100)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to everyone in the discussion and kept for the record."),
    )

    def __init__(self, *args, required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
