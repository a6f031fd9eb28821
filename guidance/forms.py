from django import forms
from django.utils.translation import gettext_lazy as _

from guidance.models import GuidanceText


class GuidanceTextForm(forms.ModelForm):
    class Meta:
        model = GuidanceText
        fields = ["title_sv", "body_sv", "title_en", "body_en"]
        widgets = {
            "body_sv": forms.Textarea(attrs={"rows": 14, "lang": "sv"}),
            "body_en": forms.Textarea(attrs={"rows": 14, "lang": "en"}),
            "title_sv": forms.TextInput(attrs={"lang": "sv"}),
            "title_en": forms.TextInput(attrs={"lang": "en"}),
        }
        help_texts = {
            "body_sv": _('Plain text. Leave an empty line between paragraphs; start a line with "- " for a list item.'),
            "body_en": _("Leave the English title and text empty to show the Swedish text on English pages."),
        }

    def clean(self):
        cleaned = super().clean()
        title_en, body_en = (cleaned.get("title_en") or "").strip(), (cleaned.get("body_en") or "").strip()
        if bool(title_en) != bool(body_en):
            field = "body_en" if title_en else "title_en"
            self.add_error(field, _("Give both the English title and the English text, or leave both empty."))
        return cleaned
