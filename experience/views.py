"""Experience reports: the public list and a report's page, writing and sending one for review
(the group's coordinators), the facilitators' review, and the sections on a group's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from experience.access import (
    ReportAccess,
    get_group_for_writing,
    get_report_for_review,
    get_report_for_viewing,
    require_reviewer,
)
from experience.forms import ReportFilterForm, ReportForm, ReturnForm
from experience.models import ExperienceReport
from experience.services import (
    ReportRuleError,
    publish_report,
    refresh_figures,
    return_report,
    save_report,
    submit_report,
)

REPORTS_PER_PAGE = 12
SAME_THEME_LIMIT = 3


@login_not_required
@require_GET
def report_list(request):
    form = ReportFilterForm(request.GET or None)
    reports = ExperienceReport.objects.published().select_related("group")
    if form.is_valid():
        if query := form.cleaned_data["q"].strip():
            text = Q(group__name__icontains=query)
            for name in ExperienceReport.TEXT_FIELDS:
                text |= Q(**{f"{name}__icontains": query})
            reports = reports.filter(text)
        if theme := form.cleaned_data["theme"]:
            reports = reports.filter(group__theme=theme)
        if procedure := form.cleaned_data["procedure"]:
            reports = reports.filter(group__ending_procedure=procedure)
    elif form.is_bound:
        reports = reports.none()  # an unknown theme or procedure finds nothing; the form says why
    page = Paginator(reports.order_by("-published_at", "-pk"), REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    query_string = request.GET.copy()
    query_string.pop("page", None)
    return render(
        request,
        "experience/report_list.html",
        {
            "form": form,
            "page": page,
            "query_string": query_string.urlencode(),
            "review_count": ExperienceReport.objects.filter(state=ExperienceReport.State.SUBMITTED).count()
            if request.user.is_authenticated and request.user.is_facilitator
            else None,
        },
    )


@login_not_required
@require_GET
def report_detail(request, slug):
    report, access = get_report_for_viewing(request.user, slug)
    return render(request, "experience/report_detail.html", {"report": report, "group": report.group, "access": access})


def report_edit(request, slug):
    """Write the report, or change a draft or a returned one (the group's coordinators)."""
    group, report, access = get_group_for_writing(request.user, slug)
    initial = {}
    if report is None:  # start from what the group already wrote down
        choice = getattr(group, "procedure_choice", None)
        initial = {
            "need": group.challenge,
            "procedure_reason": choice.rationale if choice else "",
            "outcome": group.ending_note,
            "content_language": group.content_language,
        }
    form = ReportForm(request.POST or None, instance=report, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            report = save_report(
                group=group,
                user=request.user,
                fields={name: form.cleaned_data[name] for name in ExperienceReport.TEXT_FIELDS},
                content_language=form.cleaned_data["content_language"],
            )
        except ReportRuleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The report is saved. Send it for review when it is ready."))
            return redirect(report)
    return render(
        request, "experience/report_form.html", {"group": group, "report": report, "access": access, "form": form}
    )


@require_POST
def report_figures(request, slug):
    group, report, access = get_group_for_writing(request.user, slug)
    if report is None:
        return redirect("experience:report-edit", slug=group.slug)
    try:
        refresh_figures(report=report, user=request.user)
    except ReportRuleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The figures are taken again from the platform."))
    return redirect(report)


def report_submit(request, slug):
    """Send the report for review: a confirmation page, then the sending (the group's coordinators)."""
    group, report, access = get_group_for_writing(request.user, slug)
    if report is None:
        return redirect("experience:report-edit", slug=group.slug)
    if request.method == "POST":
        try:
            submit_report(report=report, user=request.user)
        except ReportRuleError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The report is sent to the facilitators for review."))
        return redirect(report)
    return render(request, "experience/report_submit.html", {"group": group, "report": report})


@require_GET
def review_list(request):
    require_reviewer(request.user)
    reports = ExperienceReport.objects.filter(state=ExperienceReport.State.SUBMITTED).select_related("group", "author")
    return render(request, "experience/review_list.html", {"reports": reports.order_by("submitted_at", "pk")})


def report_review(request, slug):
    """Publish a report waiting for review, or return it with a comment (facilitators), after
    a confirmation: the page shows the report and both choices."""
    report = get_report_for_review(request.user, slug)
    return_form = ReturnForm(request.POST if request.POST.get("decision") == "return" else None)
    if request.method == "POST":
        decision = request.POST.get("decision")
        try:
            if decision == "publish":
                publish_report(report=report, user=request.user)
                messages.success(request, _("The report is published."))
                return redirect(report)
            if decision == "return" and return_form.is_valid():
                return_report(report=report, user=request.user, comment=return_form.cleaned_data["comment"])
                messages.success(request, _("The report is returned to the coordinators."))
                return redirect("experience:review-list")
            if decision not in ("publish", "return"):
                messages.error(request, _("Choose whether to publish the report or return it."))
        except ReportRuleError as error:
            messages.error(request, str(error))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "experience/report_review.html",
        {"report": report, "group": report.group, "return_form": return_form},
        status=status,
    )


def group_page_section(request, group, group_access_):
    """On a group's page (groups/page_sections.py): an ended group's report, or the invitation
    to write it; an ongoing group's workspace, the published reports of groups on its theme."""
    if group.is_ended:
        report = ExperienceReport.objects.filter(group=group).first()
        access = ReportAccess(group=group_access_)
        may_write = access.can_write and (report is None or report.is_editable)
        if report is None or not (report.is_published or access.can_see_unpublished):
            report = None
        if report is None and not may_write:
            return None
        context = {"group": group, "report": report, "may_write": may_write}
        return render_to_string("experience/_group_report.html", context, request=request)
    if not group_access_.can_see_workspace:
        return None
    reports = list(
        ExperienceReport.objects.published()
        .filter(group__theme=group.theme)
        .exclude(group=group)
        .select_related("group")
        .order_by("-published_at", "-pk")[:SAME_THEME_LIMIT]
    )
    if not reports:
        return None
    return render_to_string("experience/_same_theme.html", {"group": group, "reports": reports}, request=request)
