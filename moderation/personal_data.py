"""The reports the person filed, for their personal-data export (core/personal_data.py)."""

from django.utils.translation import gettext_lazy as _

from core.personal_data import register_section
from moderation.models import Report


def _reports(user):
    # What was reported is named by kind and place only: it is someone else's text.
    for report in Report.objects.filter(reporter=user).select_related("group").order_by("created_at", "pk"):
        yield {
            "kind": report.get_kind_display(),
            "group": report.group.name,
            "reason": report.reason,
            "state": report.get_state_display(),
            "created_at": report.created_at,
            "decided_at": report.decided_at,
            "decision_note": report.decision_note,
        }


def register_personal_data() -> None:
    register_section("reports", description=_("Content you reported."), models=[Report], rows=_reports)
