"""The guidance texts a person last edited, for their personal-data export (core/personal_data.py)."""

from django.utils.translation import gettext_lazy as _

from core.personal_data import register_section
from guidance.models import GuidanceText


def _edited(user):
    for text in GuidanceText.objects.filter(updated_by=user).order_by("slug"):
        yield {"guidance_text": text.slug, "title": text.title_sv, "updated_at": text.updated_at}


def register_personal_data() -> None:
    register_section(
        "guidance_edits",
        description=_("The guidance texts you were the last to edit (as a facilitator)."),
        models=[GuidanceText],
        rows=_edited,
    )
