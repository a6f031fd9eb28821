"""The experience reports the person wrote, for their personal-data export (core/personal_data.py).
A facilitator's review of someone else's report is in the export from the audit log."""

from django.utils.translation import gettext_lazy as _

from core.personal_data import register_section
from experience.models import ExperienceReport


def _reports(user):
    for report in ExperienceReport.objects.filter(author=user).select_related("group").order_by("created_at"):
        yield {
            "group": report.group.name,
            "state": report.state,
            "created_at": report.created_at,
            "published_at": report.published_at,
            **{name: getattr(report, name) for name in ExperienceReport.TEXT_FIELDS},
        }


def register_personal_data() -> None:
    register_section(
        "experience_reports",
        description=_("The experience reports you started for buyer groups you coordinated."),
        models=[ExperienceReport],
        rows=_reports,
    )
