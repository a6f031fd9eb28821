"""The facilitators' programme view and annual report (issue 20): the tables of
indicator/programme.py as a page, a printable report, and CSV and JSON for every table."""

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import record
from core import csv_export
from core.private_responses import mark_private
from indicator.access import require_indicator_facilitator
from indicator.programme import (
    INDICATOR_TABLES,
    REPORT_TABLES,
    SNAPSHOT_TABLES,
    YEAR_TABLES,
    Period,
    Table,
    as_json,
    build,
    first_year_with_groups,
    plain,
    report_period,
    year_range,
)
from indicator.services import MIN_AUTHORITIES

ALL_YEARS = "all"


def _year_or_404(value) -> int:
    """A year a report may cover (FIRST_YEAR to this year); 404 for anything else."""
    low, high = year_range()
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise Http404(_("There is no such year.")) from None
    if not low <= year <= high:
        raise Http404(_("There is no such year."))
    return year


def programme(request):
    """Groups today, and the year-by-year figures of one year (this year unless chosen) or all."""
    require_indicator_facilitator(request.user)
    low, high = year_range()
    first = first_year_with_groups()
    choice = request.GET.get("year", str(high))
    if choice == ALL_YEARS:
        years, year = list(range(first, high + 1)), None
    else:
        year = _year_or_404(choice)
        years = [year]
    period = Period(years, timezone.now())
    return render(
        request,
        "indicator/programme.html",
        {
            "year": year,
            "period": period,
            "year_choices": list(range(high, min(first, year or first) - 1, -1)),
            "all_years": ALL_YEARS,
            "snapshot_tables": build(SNAPSHOT_TABLES, period),
            "year_tables": build(YEAR_TABLES, period),
            "report_year": year or high,
            "minimum": MIN_AUTHORITIES,
        },
    )


def _report_sections(period: Period) -> list[dict]:
    tables = {key: builder(period) for key, builder in REPORT_TABLES.items()}
    headings = [
        ("groups", _("Buyer groups"), [*SNAPSHOT_TABLES, "groups-per-year"]),
        ("dialogues", _("Market dialogues and suppliers"), ["dialogues-per-year", "suppliers-by-size"]),
        ("questions", _("Questions and answers"), ["questions-per-year"]),
        ("meetings", _("Meetings"), ["meetings-per-year"]),
        ("indicator", _("Goal 5 indicator"), list(INDICATOR_TABLES)),
    ]
    return [
        {"id": key, "heading": heading, "tables": [tables[name] for name in names]} for key, heading, names in headings
    ]


def report(request, year):
    require_indicator_facilitator(request.user)
    year = _year_or_404(year)
    period = report_period(year)
    return render(
        request,
        "indicator/report.html",
        {"year": year, "period": period, "sections": _report_sections(period), "minimum": MIN_AUTHORITIES},
    )


def _report_table(request, year, table) -> tuple[Period, Table]:
    require_indicator_facilitator(request.user)
    year = _year_or_404(year)
    builder = REPORT_TABLES.get(table)
    if builder is None:
        raise Http404(_("The report has no such table."))
    period = report_period(year)
    return period, builder(period)


def _record_export(request, year, name):
    record(actor=request.user, action=Action.INDICATOR_EXPORTED, target=None, detail=f"report {year} {name}")


def report_table_csv(request, year, table):
    period, table = _report_table(request, year, table)
    _record_export(request, period.last, f"{table.key}.csv")
    header = [table.row_header, *(column.label for column in table.columns)]
    if table.suppressible:
        # The columns of the row whose figures are not shown: an empty cell elsewhere has no answers.
        header.append(
            _("Not shown: fewer than %(minimum)s authorities, or hidden so that such a figure cannot be worked out")
            % {"minimum": MIN_AUTHORITIES}
        )
    rows = [
        [
            row.label,
            *(plain(value, column.unit) for column, value in zip(table.columns, row.values, strict=True)),
            *(
                [", ".join(column.label for column in row.suppressed_columns(table.columns))]
                if table.suppressible
                else []
            ),
        ]
        for row in table.rows
    ]
    return csv_export.table_response(request, filename=f"{table.key}-{period.last}.csv", header=header, rows=rows)


def _about(period: Period) -> dict:
    return {
        "year": period.last,
        "years": period.years,
        "taken_at": period.now.isoformat(),
        "min_authorities": MIN_AUTHORITIES,
    }


def report_table_json(request, year, table):
    period, table = _report_table(request, year, table)
    _record_export(request, period.last, f"{table.key}.json")
    return mark_private(JsonResponse({**_about(period), "table": as_json(table)}))


def report_json(request, year):
    require_indicator_facilitator(request.user)
    year = _year_or_404(year)
    period = report_period(year)
    _record_export(request, year, "report.json")
    return mark_private(JsonResponse({**_about(period), "tables": [as_json(t) for t in build(REPORT_TABLES, period)]}))
