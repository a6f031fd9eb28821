from django.db import transaction

from audit.models import Action
from audit.services import record
from guidance.models import GuidanceText

EDITABLE_FIELDS = ("title_sv", "body_sv", "title_en", "body_en")


@transaction.atomic
def update_guidance_text(*, text: GuidanceText, user, fields: dict) -> list[str]:
    """Save the facilitator's wording and log who changed which fields. Returns the names of
    the fields that changed; nothing is saved or logged when none did."""
    changed = [name for name in EDITABLE_FIELDS if fields[name] != getattr(text, name)]
    if not changed:
        return []
    for name in changed:
        setattr(text, name, fields[name])
    text.updated_by = user
    text.save()
    record(actor=user, action=Action.GUIDANCE_EDITED, target=text, detail=", ".join(changed))
    return changed
