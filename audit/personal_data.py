"""The audit entries of what the person did, for their personal-data export (core/personal_data.py)."""

from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry
from core.personal_data import register_section

# Targets whose label names a place, a text an authority published or an organisation, never a
# person or what someone else wrote. Any other target (a person, a reported message, an
# invitation to an address) is given by type and id only: it is someone else's personal data.
PLACE_TARGETS = frozenset(
    {
        "accounts.organisation",
        "groups.buyergroup",
        "groups.membership",
        "groups.needstatement",
        "groups.needversion",
        "dialogues.dialogue",
        "dialogues.answer",
        "discussions.thread",
        "indicator.assessment",
    }
)


def _audit_log(user):
    # Rows hold the actor's id, not a foreign key (audit/models.py): no relation to find them by.
    for entry in AuditEntry.objects.filter(actor_id=user.pk).order_by("at", "pk").iterator(chunk_size=500):
        yield {
            "at": entry.at,
            "action": entry.action,
            "description": entry.get_action_display(),
            "target_type": entry.target_type,
            "target_id": entry.target_id,
            "target": entry.target_label if entry.target_type in PLACE_TARGETS else None,
            "group": entry.group_label,
            "reason": entry.reason,
            "detail": entry.detail,
            "ip_address": entry.ip,
        }


def register_personal_data() -> None:
    register_section(
        "audit_log",
        description=_(
            "The audit log's entries of what you did (joining, publishing, moderating and the like), "
            "with the IP address each was done from."
        ),
        models=[],
        rows=_audit_log,
    )
