"""The one place that answers "may this user see, write or review this experience report?".
Views call the fetch-or-refuse helpers on their first line.

- A published report is public: everyone sees it, signed in or not.
- Until then the report is the group's own: its coordinators and member users and the
  facilitators see it; everyone else gets 404 (nothing to probe).
- The group's coordinators write and submit it, once the group has ended; others who see it
  get 403 with the reason.
- Facilitators review it: publish, or return it with a comment. Everyone else gets 403.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.access import require_facilitator
from experience.models import ExperienceReport
from groups.access import GroupAccess, get_group, group_access
from groups.models import BuyerGroup


@dataclass(frozen=True)
class ReportAccess:
    group: GroupAccess

    @property
    def can_see_unpublished(self) -> bool:
        return self.group.is_coordinator or self.group.is_member or self.group.is_facilitator

    @property
    def can_write(self) -> bool:
        return self.group.is_coordinator

    @property
    def can_review(self) -> bool:
        return self.group.is_facilitator


def report_access(user, group: BuyerGroup) -> ReportAccess:
    return ReportAccess(group=group_access(user, group))


def can_see(access: ReportAccess, report: ExperienceReport | None) -> bool:
    return report is not None and (report.is_published or access.can_see_unpublished)


def get_report_for_viewing(user, slug) -> tuple[ExperienceReport, ReportAccess]:
    """The group's report: for everyone once published, before that for the group's coordinators
    and members and for facilitators; 404 for everyone else, and when there is no report."""
    group = get_group(slug)
    report = ExperienceReport.objects.filter(group=group).select_related("group", "author", "reviewed_by").first()
    access = report_access(user, group)
    if not can_see(access, report):
        raise Http404
    return report, access


def get_group_for_writing(user, slug) -> tuple[BuyerGroup, ExperienceReport | None, ReportAccess]:
    """An ended group and its report (None before the first save), for its coordinators while
    the report is a draft or returned. Someone who may not see the report gets 404; anyone else
    403 with the reason."""
    group = get_group(slug)
    report = ExperienceReport.objects.filter(group=group).first()
    access = report_access(user, group)
    if not (access.can_see_unpublished or (report is not None and report.is_published)):
        raise Http404
    require_can_write(access, group, report)
    return group, report, access


def require_can_write(access: ReportAccess, group: BuyerGroup, report: ExperienceReport | None) -> None:
    if not access.can_write:
        raise PermissionDenied(_("Only the group's coordinators write its experience report."))
    if not group.is_ended:
        raise PermissionDenied(_("The experience report is written when the group has ended."))
    if report is not None and not report.is_editable:
        raise PermissionDenied(
            _("The report is waiting for a facilitator's review and cannot be changed until then.")
            if report.state == ExperienceReport.State.SUBMITTED
            else _("The report is published and cannot be changed.")
        )


def get_report_for_review(user, slug) -> ExperienceReport:
    """A report waiting for review, for facilitators only (403 for everyone else; 404 when the
    group has no report waiting)."""
    require_facilitator(user)
    return get_object_or_404(
        ExperienceReport.objects.select_related("group"), group__slug=slug, state=ExperienceReport.State.SUBMITTED
    )


def require_reviewer(user) -> None:
    """The review queue: facilitators only."""
    require_facilitator(user)
