"""How the audit log words the details of experience-report entries (audit/details.py)."""

from django.utils.translation import gettext as _

from audit.details import register_detail
from audit.models import Action


def _saved(entry, readable) -> str:
    return {"created": _("first version"), "figures": _("took the platform's figures again")}.get(
        entry.detail, entry.detail
    )


def register_audit_details() -> None:
    register_detail(Action.EXPERIENCE_SAVED, _saved)
