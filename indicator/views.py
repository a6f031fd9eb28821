from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.models import Organisation, SizeClass
from audit.models import Action
from audit.services import record
from core import csv_export
from indicator.access import (
    get_organisation_for_answering,
    get_organisation_for_indicator,
    require_indicator_facilitator,
)
from indicator.charts import line_chart
from indicator.forms import AssessmentForm, DelegationForm, IndicatorFilterForm
from indicator.models import Assessment, AssessmentChange, Delegation, answerable_years, in_buyer_group
from indicator.services import (
    MIN_AUTHORITIES,
    Cell,
    StaleAssessment,
    dashboard_averages,
    delegate_answering,
    non_respondents,
    questions_for,
    response_rates,
    revoke_delegation,
    save_assessment,
    shown,
)
from indicator.statistics import DIMENSIONS, group_labels, public_statistics

# --- The facilitators' dashboard --------------------------------------------------------


def dashboard(request):
    require_indicator_facilitator(request.user)
    form = IndicatorFilterForm(request.GET or None)
    charts = _dashboard_charts(_filtered(form, Assessment.objects.all()), request.GET.urlencode())
    return render(request, "indicator/dashboard.html", {"form": form, **charts})


def _filtered(form, assessments):
    """The assessments the filters select; all of them while the filters have errors."""
    if not form.is_bound or not form.is_valid():
        return assessments
    data = form.cleaned_data
    assessments = assessments.in_years(data["year_from"], data["year_to"])
    if data["kind"]:
        assessments = assessments.filter(kind=data["kind"])
    if data["size_class"]:
        assessments = assessments.filter(size_class=data["size_class"])
    return assessments


def _series(rows, groups) -> list:
    """[(label, {year: Cell})] for each (key, label) in groups that has rows; rows come from
    indicator.services.dashboard_averages, already suppressed."""
    values = {}
    for row in rows:
        values.setdefault(row["key"], {})[row["year"]] = row["cell"]
    return [(label, values[key]) for key, label in groups if key in values]


def _dashboard_charts(assessments, query: str) -> dict:
    averages = dashboard_averages(assessments)
    labels = group_labels()
    years = sorted({row["year"] for row in averages["overall"]})
    overall = _series(averages["overall"], labels["overall"])
    charts = [
        line_chart(
            chart_id="chart-kind",
            title=_("Weighted average by kind of organisation"),
            subject=_("kind of organisation"),
            first_header=_("Kind of organisation"),
            years=years,
            series=overall + _series(averages["kind"], labels["kind"]),
        ),
        line_chart(
            chart_id="chart-size",
            title=_("Weighted average by size"),
            subject=_("size"),
            first_header=_("Size"),
            years=years,
            series=_series(averages["size_class"], labels["size_class"]),
        ),
        line_chart(
            chart_id="chart-groups",
            title=_("Buyer-group members and other authorities"),
            subject=_("membership of buyer groups"),
            first_header=_("Authorities"),
            years=years,
            series=_series(averages["in_group"], labels["in_group"]),
        ),
        line_chart(
            chart_id="chart-statements",
            title=_("Average rating per statement"),
            subject=_("statement"),
            first_header=_("Statement"),
            years=years,
            series=_series(averages["statement"], labels["statement"]),
            per_statement=True,
        ),
    ]
    return {
        "charts": charts,
        "assessment_count": assessments.count(),
        "minimum": MIN_AUTHORITIES,
        "averages_export_url": reverse("indicator:averages-export") + (f"?{query}" if query else ""),
        "assessments_export_url": reverse("indicator:assessments-export") + (f"?{query}" if query else ""),
    }


# --- Goal 5 in figures (public) ------------------------------------------------------------


@login_not_required
@require_safe
def statistics(request):
    """The yearly averages of every self-assessment, for anyone: exactly what
    indicator.statistics.public_statistics gives the open-data API too."""
    figures = public_statistics()
    years = sorted({row["year"] for rows in figures.values() for row in rows})
    headings = {
        "overall": (_("Weighted average of all authorities"), _("Authorities")),
        "kind": (_("Weighted average by kind of organisation"), _("Kind of organisation")),
        "size_class": (_("Weighted average by size"), _("Size")),
        "in_group": (_("Buyer-group members and other authorities"), _("Authorities")),
        "statement": (_("Average rating per statement"), _("Statement")),
    }
    tables = [
        {
            "id": f"figures-{dimension.replace('_', '-')}",
            "title": headings[dimension][0],
            "first_header": headings[dimension][1],
            "lines": _lines_by_group(figures[dimension], years),
            "has_suppressed": any(row["suppressed"] for row in figures[dimension]),
        }
        for dimension in DIMENSIONS
    ]
    return render(request, "indicator/statistics.html", {"tables": tables, "years": years, "minimum": MIN_AUTHORITIES})


def _lines_by_group(rows, years) -> list:
    """[(label, [row, or None where the group has no answers that year, for each year])]."""
    groups = {}
    for row in rows:
        groups.setdefault(row["key"], (row["label"], {}))[1][row["year"]] = row
    return [(label, [by_year.get(year) for year in years]) for label, by_year in groups.values()]


# --- Who has answered this year (facilitators) ----------------------------------------------


def responses(request):
    """This year's response rate by kind and size class, and the authorities that have not
    answered yet, by name."""
    require_indicator_facilitator(request.user)
    year = timezone.localdate().year
    rates = response_rates(year)
    kinds = [(rates["kind"].get(kind.value), kind.label) for kind in Organisation.AUTHORITY_KINDS]
    sizes = [(size.pk, size.name) for size in SizeClass.objects.all()] + [(None, _("Size not stated"))]
    return render(
        request,
        "indicator/responses.html",
        {
            "year": year,
            "total": rates["total"],
            "by_kind": [(label, row) for row, label in kinds if row],
            "by_size": [(label, rates["size_class"][key]) for key, label in sizes if key in rates["size_class"]],
            "non_respondents": list(non_respondents(year)),
            "minimum": MIN_AUTHORITIES,
        },
    )


# --- CSV exports (facilitators) ----------------------------------------------------------


def _two_places(value):
    """Averages and scores with two decimals, still numbers (core.csv_export writes numbers as
    they are and neutralises text)."""
    return Decimal(value).quantize(Decimal("0.01")) if isinstance(value, float) else value


def _csv_response(request, name: str, header: list, rows):
    return csv_export.table_response(
        request,
        filename=f"{name}-{timezone.localdate():%Y-%m-%d}.csv",
        header=header,
        rows=([_two_places(value) for value in row] for row in rows),
    )


def _export_detail(name: str, request) -> str:
    query = request.GET.urlencode()
    return f"{name}?{query}" if query else name


def averages_export(request):
    """Every average the dashboard shows, suppressed the same way: a suppressed row has no
    average and no count, and says so in its last column."""
    require_indicator_facilitator(request.user)
    form = IndicatorFilterForm(request.GET or None)
    averages = dashboard_averages(_filtered(form, Assessment.objects.all()))
    record(
        actor=request.user, action=Action.INDICATOR_EXPORTED, target=None, detail=_export_detail("averages", request)
    )
    labels = group_labels()
    dimensions = {
        "overall": _("All authorities"),
        "kind": _("Kind of organisation"),
        "size_class": _("Size"),
        "in_group": _("Buyer groups"),
        "statement": _("Statement (average rating)"),
    }
    yes = _("yes")
    rows = []
    for dimension, title in dimensions.items():
        names = {key: str(label) for key, label in labels[dimension]}  # translated now, not while streaming
        rows += [
            [
                title,
                names.get(row["key"]),
                row["year"],
                row["cell"].value,
                row["cell"].count,
                yes if row["cell"].suppressed else "",
            ]
            for row in averages[dimension]
        ]
    return _csv_response(
        request,
        "indicator-averages",
        [
            _("Grouping"),
            _("Group"),
            _("Year"),
            _("Weighted average"),
            _("Number of authorities"),
            _("Not shown: fewer than %(minimum)s authorities, or hidden so that such a figure cannot be worked out")
            % {"minimum": MIN_AUTHORITIES},
        ],
        rows,
    )


def assessments_export(request):
    """One row per assessment: scores, never comments (they are the authority's own)."""
    require_indicator_facilitator(request.user)
    form = IndicatorFilterForm(request.GET or None)
    record(
        actor=request.user, action=Action.INDICATOR_EXPORTED, target=None, detail=_export_detail("assessments", request)
    )
    assessments = (
        _filtered(form, Assessment.objects.all())
        .with_score()
        .annotate(in_group=in_buyer_group())
        .select_related("organisation", "size_class")
        .order_by("year", "organisation__name")
    )
    # Translated here, in the request's language: the rows are read while the response streams.
    kinds = {kind: str(label) for kind, label in Organisation.Kind.choices}
    yes, no = _("yes"), _("no")
    rows = (
        [
            assessment.year,
            assessment.organisation.name,
            assessment.organisation.organisation_number,
            kinds.get(assessment.kind, assessment.kind),
            assessment.size_class.name if assessment.size_class else "",
            yes if assessment.in_group else no,
            assessment.score,
            assessment.rated,
            assessment.updated_at.date().isoformat(),
        ]
        for assessment in assessments.iterator(chunk_size=500)
    )
    return _csv_response(
        request,
        "indicator-assessments",
        [
            _("Year"),
            _("Organisation"),
            _("Organisation number"),
            _("Kind of organisation"),
            _("Size"),
            _("Member of a buyer group"),
            _("Weighted score"),
            _("Statements rated"),
            _("Last saved"),
        ],
        rows,
    )


# --- The authority's own page --------------------------------------------------------------


def organisation_detail(request, pk):
    organisation, access = get_organisation_for_indicator(request.user, pk)
    return render(request, "indicator/organisation_detail.html", _organisation_context(organisation, access))


def _organisation_context(organisation, access, **forms) -> dict:
    """The authority's answers by year, each year's score beside the averages of its kind and
    size class that year; a failed delegation form passed in keeps its errors."""
    assessments = list(
        organisation.maturity_assessments.with_score()
        .select_related("size_class")
        .prefetch_related(
            "answers", Prefetch("changes", queryset=AssessmentChange.objects.select_related("changed_by"))
        )
        .order_by("-year")
    )
    years = [assessment.year for assessment in assessments]
    by_kind = {
        (row["year"], row["kind"]): row
        for row in Assessment.objects.filter(year__in=years, kind__in={a.kind for a in assessments}).averages("kind")
    }
    by_size = {
        (row["year"], row["size_class"]): row
        for row in Assessment.objects.filter(
            year__in=years, size_class__in={a.size_class_id for a in assessments if a.size_class_id}
        ).averages("size_class")
    }
    for assessment in assessments:
        assessment.kind_average = _cell(by_kind.get((assessment.year, assessment.kind)))
        assessment.size_average = _cell(by_size.get((assessment.year, assessment.size_class_id)))
    first, last = answerable_years()
    answered = set(years)
    context = {
        "organisation": organisation,
        "access": access,
        "assessments": assessments,
        "chart": _organisation_chart(organisation, assessments),
        "open_years": [{"year": year, "answered": year in answered} for year in (last, first)],
        "minimum": MIN_AUTHORITIES,
    }
    if access.can_delegate:
        context["delegations"] = list(organisation.indicator_delegations.select_related("user"))
        context["delegation_form"] = DelegationForm(organisation=organisation)
        context["has_colleagues_to_choose"] = context["delegation_form"].fields["user"].queryset.exists()
    context.update(forms)
    return context


def _organisation_chart(organisation, assessments):
    kinds = {a.kind for a in assessments}
    sizes = {a.size_class for a in assessments}
    kind_label = (
        _("Average, %(group)s") % {"group": Organisation.Kind(kinds.pop()).label}
        if len(kinds) == 1
        else _("Average, same kind")
    )
    size = sizes.pop() if len(sizes) == 1 else None
    size_label = _("Average, %(group)s") % {"group": size.name} if size else _("Average, same size")
    series = [
        # the authority's own score: its own figure, not an aggregate of others
        (organisation.name, {a.year: Cell(a.score, None) for a in assessments if a.score is not None}),
        (kind_label, {a.year: a.kind_average for a in assessments if a.kind_average}),
        (size_label, {a.year: a.size_average for a in assessments if a.size_average}),
    ]
    return line_chart(
        chart_id="chart-own",
        title=_("%(organisation)s compared with authorities of its kind and size") % {"organisation": organisation},
        subject=_("organisation"),
        first_header=_("Scores"),
        years=[a.year for a in assessments],
        series=series,
    )


def _cell(row) -> Cell | None:
    """An average beside the authority's own score, suppressed like every other: with one other
    authority of its kind, the average would give that authority's score away."""
    return shown(row["average"], row["count"]) if row else None


def assessment_edit(request, pk, year):
    organisation, access = get_organisation_for_answering(request.user, pk, year)
    assessment = Assessment.objects.filter(organisation=organisation, year=year).prefetch_related("answers").first()
    form = AssessmentForm(
        request.POST or None,
        questions=questions_for(assessment=assessment),
        initial={"revision": assessment.revision if assessment else None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            assessment_saved = save_assessment(
                organisation=organisation,
                year=year,
                user=request.user,
                answers=form.answers(),
                base_revision=form.cleaned_data["revision"],
            )
        except StaleAssessment as stale:
            _keep_for_next_save(form, stale.current)
        else:
            messages.success(
                request,
                _("The self-assessment of %(organisation)s for %(year)s is saved.")
                % {"organisation": organisation.name, "year": year},
            )
            return redirect(assessment_saved)
    return render(
        request,
        "indicator/assessment_form.html",
        {"organisation": organisation, "access": access, "year": year, "assessment": assessment, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _keep_for_next_save(form, current: Assessment) -> None:
    """Tell the editor who saved in between; their typed answers stay in the form, and saving
    again replaces the other version (which stays in the history)."""
    form.data = form.data.copy()
    form.data["revision"] = current.revision
    who = current.updated_by.display_name if current.updated_by else _("someone")
    form.add_error(
        None,
        _(
            "%(person)s saved this self-assessment at %(time)s, while you were answering. Your answers are kept "
            "below and theirs are in the history. Save again to replace theirs with yours."
        )
        % {"person": who, "time": date_format(timezone.localtime(current.updated_at), "SHORT_DATETIME_FORMAT")},
    )


@require_POST
def delegation_create(request, pk):
    organisation, access = get_organisation_for_indicator(request.user, pk, manage_delegations=True)
    form = DelegationForm(request.POST, organisation=organisation)
    if form.is_valid():
        delegate_answering(organisation=organisation, user=form.cleaned_data["user"], granted_by=request.user)
        messages.success(
            request,
            _("%(person)s can now answer the self-assessment for %(organisation)s.")
            % {"person": form.cleaned_data["user"].display_name, "organisation": organisation.name},
        )
        return redirect("indicator:organisation-detail", organisation.pk)
    return render(
        request,
        "indicator/organisation_detail.html",
        _organisation_context(organisation, access, delegation_form=form),
        status=400,
    )


@require_POST
def delegation_delete(request, pk, delegation_pk):
    organisation, _access = get_organisation_for_indicator(request.user, pk, manage_delegations=True)
    delegation = get_object_or_404(
        Delegation.objects.select_related("user"), pk=delegation_pk, organisation=organisation
    )
    revoke_delegation(delegation=delegation)
    messages.success(
        request,
        _("%(person)s can no longer answer the self-assessment.") % {"person": delegation.user.display_name},
    )
    return redirect("indicator:organisation-detail", organisation.pk)
