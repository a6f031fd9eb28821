"""Writing, submitting and reviewing experience reports. Every change is in the audit log with
the group; facilitators hear when a report waits for review, the group's coordinators when it
is published or returned."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.models import Action
from audit.services import record
from experience.figures import compute_figures
from experience.models import ExperienceReport
from groups.models import BuyerGroup
from notifications.services import notify


class ReportRuleError(Exception):
    """A rule of the report's life was broken; the message is for people."""


def _require(report: ExperienceReport, states, message: str) -> None:
    if report.state not in states:
        raise ReportRuleError(message)


@transaction.atomic
def save_report(*, group: BuyerGroup, user, fields: dict, content_language: str) -> ExperienceReport:
    """Create or change the group's report (its coordinators, once the group has ended: access
    checks that). The first save takes the platform's figures; a returned report stays returned
    until it is sent again."""
    if not group.is_ended:
        raise ReportRuleError(_("The experience report is written when the group has ended."))
    report = ExperienceReport.objects.select_for_update().filter(group=group).first()
    created = report is None
    if created:
        report = ExperienceReport(group=group, author=user)
    else:
        _require(report, ExperienceReport.EDITABLE_STATES, _("The report cannot be changed now."))
    for name in ExperienceReport.TEXT_FIELDS:
        setattr(report, name, fields[name])
    report.content_language = content_language
    if created:
        report.figures, report.figures_at = compute_figures(group), timezone.now()
    report.save()
    record(actor=user, action=Action.EXPERIENCE_SAVED, target=report, group=group, detail="created" if created else "")
    return report


@transaction.atomic
def refresh_figures(*, report: ExperienceReport, user) -> ExperienceReport:
    """Take the platform's figures again (while the coordinators still write the report)."""
    report = ExperienceReport.objects.select_for_update().get(pk=report.pk)
    _require(report, ExperienceReport.EDITABLE_STATES, _("The report cannot be changed now."))
    report.figures, report.figures_at = compute_figures(report.group), timezone.now()
    report.save(update_fields=["figures", "figures_at", "updated_at"])
    record(actor=user, action=Action.EXPERIENCE_SAVED, target=report, group=report.group, detail="figures")
    return report


@transaction.atomic
def submit_report(*, report: ExperienceReport, user) -> ExperienceReport:
    """Send the report to the facilitators for review; they are notified."""
    report = ExperienceReport.objects.select_for_update().select_related("group").get(pk=report.pk)
    _require(report, ExperienceReport.EDITABLE_STATES, _("The report has already been sent for review."))
    report.state = ExperienceReport.State.SUBMITTED
    report.submitted_at = timezone.now()
    report.save(update_fields=["state", "submitted_at", "updated_at"])
    record(actor=user, action=Action.EXPERIENCE_SUBMITTED, target=report, group=report.group)
    notify(
        kind="experience_review",
        recipients=User.objects.facilitators(),
        params={"group": report.group.name},
        place=report.group,
        target=report,
        actor=user,
    )
    return report


@transaction.atomic
def publish_report(*, report: ExperienceReport, user) -> ExperienceReport:
    """Make a report waiting for review public (facilitators); the coordinators are notified."""
    report = ExperienceReport.objects.select_for_update().select_related("group").get(pk=report.pk)
    _require(report, [ExperienceReport.State.SUBMITTED], _("Only a report waiting for review can be published."))
    now = timezone.now()
    report.state = ExperienceReport.State.PUBLISHED
    report.reviewed_by, report.reviewed_at, report.published_at = user, now, now
    report.review_comment = ""
    report.save(update_fields=["state", "reviewed_by", "reviewed_at", "published_at", "review_comment", "updated_at"])
    record(actor=user, action=Action.EXPERIENCE_PUBLISHED, target=report, group=report.group)
    _notify_coordinators(report, user, variant="published")
    return report


@transaction.atomic
def return_report(*, report: ExperienceReport, user, comment: str) -> ExperienceReport:
    """Send a report waiting for review back to the coordinators with a comment (facilitators)."""
    if not comment.strip():
        raise ReportRuleError(_("Say what the coordinators need to change."))
    report = ExperienceReport.objects.select_for_update().select_related("group").get(pk=report.pk)
    _require(report, [ExperienceReport.State.SUBMITTED], _("Only a report waiting for review can be returned."))
    report.state = ExperienceReport.State.RETURNED
    report.reviewed_by, report.reviewed_at = user, timezone.now()
    report.review_comment = comment.strip()
    report.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_comment", "updated_at"])
    record(actor=user, action=Action.EXPERIENCE_RETURNED, target=report, group=report.group, reason=comment)
    _notify_coordinators(report, user, variant="returned", comment=comment.strip())
    return report


def _notify_coordinators(report: ExperienceReport, user, *, variant: str, comment: str = "") -> None:
    notify(
        kind="experience_reviewed",
        recipients=User.objects.filter(coordinated_groups__group=report.group),
        params={"variant": variant, "group": report.group.name, "comment": comment},
        place=report.group,
        target=report,
        actor=user,
    )
