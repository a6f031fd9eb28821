"""The facilitators' programme view and annual report (issue 20): the figures as tables.

Each figure is a pure function that returns a Table (rows, columns, caption and the text that
says how it is computed) from a constant number of aggregate queries, whatever the number of
groups, dialogues or suppliers. The views render the same Table as HTML, CSV and JSON.

Counts of groups, dialogues, suppliers, questions and meetings are not answers of the
indicator and are shown as they are. The figures made from authorities' self-assessments go
through indicator.services.shown(), so a figure resting on fewer than MIN_AUTHORITIES
authorities is suppressed here exactly as on the dashboard.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, F, Min, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, SizeClass
from dialogues.models import Dialogue, MeetingSlot, Participation, Question
from groups.models import BuyerGroup, Procedure, Stage, Theme
from indicator.models import REFERENCE_POINTS, Assessment, Statement
from indicator.services import MIN_AUTHORITIES, Cell, response_rates, statement_averages, suppressed_averages

# The first year a report can cover: the national baseline of the goal 5 indicator.
FIRST_YEAR = 2016
# A supplier is small when its size class ends below this many employees.
SMALL_BELOW = 50

COUNT, PERCENT, AVERAGE = "count", "percent", "average"


@dataclass(frozen=True)
class Column:
    key: str  # stable, for JSON and tests
    label: str
    unit: str = COUNT


@dataclass(frozen=True)
class Row:
    key: object  # stable: a year, a stage's code, a size class's pk
    label: str
    values: list  # one per column: an int, a float, None (no figure) or a Cell (may be suppressed)

    @property
    def suppressed(self) -> bool:
        return any(isinstance(value, Cell) and value.suppressed for value in self.values)

    def suppressed_columns(self, columns: list[Column]) -> list[Column]:
        return [
            column
            for column, value in zip(columns, self.values, strict=True)
            if isinstance(value, Cell) and value.suppressed
        ]


@dataclass(frozen=True)
class Table:
    key: str
    caption: str
    row_header: str
    columns: list[Column]
    rows: list[Row]
    method: str  # how the figures are computed, shown under the table and in the JSON
    # Whether the table holds figures from the self-assessments (and so may have suppressed cells).
    suppressible: bool = False

    @property
    def cells(self) -> list:
        """[(row, [(number or None, unit, suppressed)])] for the template."""
        return [
            (row, [_cell(value, column.unit) for value, column in zip(row.values, self.columns, strict=True)])
            for row in self.rows
        ]


def _cell(value, unit: str) -> tuple:
    if isinstance(value, Cell):
        return value.value, unit, value.suppressed
    return value, unit, False


@dataclass(frozen=True)
class Period:
    """The years the year-by-year tables cover (oldest first), the report's year and the moment
    the data was taken: tables compare with it (a meeting held, a question past its time)."""

    years: list[int]
    now: datetime

    @property
    def first(self) -> int:
        return self.years[0]

    @property
    def last(self) -> int:
        return self.years[-1]


def year_range() -> tuple[int, int]:
    """The years a report or the programme view may be asked for."""
    return FIRST_YEAR, timezone.localdate().year


def first_year_with_groups() -> int:
    """The year the oldest buyer group started (this year when there are none); one query."""
    first = BuyerGroup.objects.aggregate(first=Min("created_at"))["first"]
    low, high = year_range()
    return min(max(timezone.localtime(first).year, low), high) if first else high


def _bounds(period: Period) -> tuple[datetime, datetime]:
    """From the start of the first year to the start of the year after the last, local time."""
    start = timezone.make_aware(datetime(period.first, 1, 1))
    end = timezone.make_aware(datetime(period.last + 1, 1, 1))
    return start, end


def _share(part: int, whole: int) -> float | None:
    return 100 * part / whole if whole else None


def _by_year(rows, period: Period, *names) -> dict:
    """{year: {name: value}} from aggregate rows with a "year", zeros for years without rows."""
    result = {year: dict.fromkeys(names, 0) for year in period.years}
    for row in rows:
        if row["year"] in result:
            for name in names:
                result[row["year"]][name] += row[name] or 0
    return result


# --- Groups today ---------------------------------------------------------------------------


def _ongoing_and_ended(field_name: str, choices, key: str, caption: str, row_header: str, method: str) -> Table:
    counts = {
        row[field_name]: row
        for row in BuyerGroup.objects.values(field_name)
        .annotate(ongoing=Count("pk", filter=Q(outcome="")), ended=Count("pk", filter=~Q(outcome="")))
        .order_by(field_name)
    }
    rows = []
    for value, label in choices:
        row = counts.get(value, {"ongoing": 0, "ended": 0})
        rows.append(Row(value, str(label), [row["ongoing"], row["ended"], row["ongoing"] + row["ended"]]))
    total = [sum(row.values[index] for row in rows) for index in range(3)]
    rows.append(Row("total", _("All groups"), total))
    return Table(
        key=key,
        caption=caption,
        row_header=row_header,
        columns=[
            Column("ongoing", _("Ongoing")),
            Column("ended", _("Ended")),
            Column("all", _("All")),
        ],
        rows=rows,
        method=method,
    )


def groups_by_stage(period: Period) -> Table:
    return _ongoing_and_ended(
        "current_stage",
        Stage.choices,
        "groups-by-stage",
        _("Buyer groups by stage"),
        _("Stage"),
        _(
            "Every buyer group counted once, in the stage it is in when the data was taken. An ended group "
            "stays in the stage it ended in."
        ),
    )


def groups_by_theme(period: Period) -> Table:
    return _ongoing_and_ended(
        "theme",
        Theme.choices,
        "groups-by-theme",
        _("Buyer groups by theme"),
        _("Theme"),
        _("Every buyer group counted once, under the theme it has when the data was taken."),
    )


def groups_by_outcome(period: Period) -> Table:
    counts = dict(BuyerGroup.objects.values_list("outcome").annotate(count=Count("pk")).order_by("outcome"))
    rows = [Row("active", _("Active (not ended)"), [counts.get("", 0)])]
    rows += [Row(value, str(label), [counts.get(value, 0)]) for value, label in BuyerGroup.Outcome.choices]
    rows.append(Row("total", _("All groups"), [sum(counts.values())]))
    return Table(
        key="groups-by-outcome",
        caption=_("Buyer groups by outcome"),
        row_header=_("Outcome"),
        columns=[Column("groups", _("Groups"))],
        rows=rows,
        method=_(
            "Every buyer group counted once by how it has ended when the data was taken; a group that has not "
            "ended is active. A group a facilitator reopened counts as active."
        ),
    )


def groups_by_procedure(period: Period) -> Table:
    counts = dict(
        BuyerGroup.objects.filter(outcome=BuyerGroup.Outcome.PROCURED)
        .values_list("ending_procedure")
        .annotate(count=Count("pk"))
        .order_by("ending_procedure")
    )
    rows = [Row(value, str(label), [counts.get(value, 0)]) for value, label in Procedure.choices]
    if counts.get(""):
        rows.append(Row("", _("Not stated"), [counts[""]]))
    rows.append(Row("total", _("All procured groups"), [sum(counts.values())]))
    return Table(
        key="groups-by-procedure",
        caption=_("Procured buyer groups by procedure"),
        row_header=_("Procedure"),
        columns=[Column("groups", _("Groups"))],
        rows=rows,
        method=_(
            "The buyer groups that have ended as procured when the data was taken, by the procurement procedure "
            "they stated when they ended."
        ),
    )


# --- Year by year ---------------------------------------------------------------------------


def groups_per_year(period: Period) -> Table:
    start, end = _bounds(period)
    started = _by_year(
        BuyerGroup.objects.filter(created_at__gte=start, created_at__lt=end)
        .annotate(year=ExtractYear("created_at"))
        .values("year")
        .annotate(started=Count("pk"))
        .order_by("year"),
        period,
        "started",
    )
    outcomes = [value for value, _label in BuyerGroup.Outcome.choices]
    ended = _by_year(
        BuyerGroup.objects.filter(ended_on__year__gte=period.first, ended_on__year__lte=period.last)
        .exclude(outcome="")
        .annotate(year=ExtractYear("ended_on"))
        .values("year")
        .annotate(**{outcome: Count("pk", filter=Q(outcome=outcome)) for outcome in outcomes})
        .order_by("year"),
        period,
        *outcomes,
    )
    rows = [
        Row(
            year,
            str(year),
            [
                started[year]["started"],
                *(ended[year][outcome] for outcome in outcomes),
                sum(ended[year].values()),
            ],
        )
        for year in period.years
    ]
    return Table(
        key="groups-per-year",
        caption=_("Buyer groups started and ended per year"),
        row_header=_("Year"),
        columns=[
            Column("started", _("Started")),
            *(
                Column(f"ended_{value}", _("Ended: %(outcome)s") % {"outcome": label})
                for value, label in BuyerGroup.Outcome.choices
            ),
            Column("ended", _("Ended in all")),
        ],
        rows=rows,
        method=_(
            "A group counts in the year it was created on the platform, and, if it has ended, in the year of "
            "its ending date, by its outcome. A reopened group no longer counts as ended. Years follow Swedish "
            "time."
        ),
    )


def _size_classes() -> tuple[list[SizeClass], set[int]]:
    sizes = list(SizeClass.objects.all())
    small = {size.pk for size in sizes if size.max_employees is not None and size.max_employees < SMALL_BELOW}
    return sizes, small


def _participations(period: Period):
    start, end = _bounds(period)
    return Participation.objects.filter(
        dialogue__opened_at__gte=start,
        dialogue__opened_at__lt=end,
        organisation__kind=Organisation.Kind.SUPPLIER,
    ).annotate(year=ExtractYear("dialogue__opened_at"))


def _small_method() -> str:
    return _(
        "Small companies are suppliers whose size class ends below %(limit)s employees; suppliers that have not "
        "stated their size are counted separately and left out of the share, which is of the suppliers with a "
        "known size."
    ) % {"limit": SMALL_BELOW}


def dialogues_per_year(period: Period) -> Table:
    start, end = _bounds(period)
    dialogues = _by_year(
        Dialogue.objects.filter(opened_at__gte=start, opened_at__lt=end)
        .annotate(year=ExtractYear("opened_at"))
        .values("year")
        .annotate(dialogues=Count("pk"))
        .order_by("year"),
        period,
        "dialogues",
    )
    sizes, small = _size_classes()
    suppliers = _supplier_sizes(period)
    rows = []
    for year in period.years:
        by_size = suppliers.get(year, {})
        total = sum(by_size.values())
        known = total - by_size.get(None, 0)
        small_count = sum(count for size, count in by_size.items() if size in small)
        rows.append(
            Row(year, str(year), [dialogues[year]["dialogues"], total, small_count, _share(small_count, known)])
        )
    return Table(
        key="dialogues-per-year",
        caption=_("Market dialogues and participating suppliers per year"),
        row_header=_("Year"),
        columns=[
            Column("dialogues", _("Dialogues opened")),
            Column("suppliers", _("Participating suppliers")),
            Column("small", _("Small companies")),
            Column("small_share", _("Share of small companies"), PERCENT),
        ],
        rows=rows,
        method=_(
            "A dialogue counts in the year it was opened to the market; drafts never opened are left out. A "
            "participating supplier is a supplier organisation that registered for a dialogue opened that year, "
            "even if it withdrew later; a supplier in several dialogues of a year counts once."
        )
        + " "
        + _small_method(),
    )


def _supplier_sizes(period: Period) -> dict:
    """{year: {size class pk or None: distinct suppliers}}: one query (a supplier has one size)."""
    result = {}
    rows = (
        _participations(period)
        .values("year", size=F("organisation__size_class"))
        .annotate(suppliers=Count("organisation", distinct=True))
        .order_by("year", "size")
    )
    for row in rows:
        result.setdefault(row["year"], {})[row["size"]] = row["suppliers"]
    return result


def suppliers_by_size(period: Period) -> Table:
    sizes, small = _size_classes()
    suppliers = _supplier_sizes(period)
    rows = []
    for year in period.years:
        by_size = suppliers.get(year, {})
        total = sum(by_size.values())
        known = total - by_size.get(None, 0)
        small_count = sum(count for size, count in by_size.items() if size in small)
        rows.append(
            Row(
                year,
                str(year),
                [
                    *(by_size.get(size.pk, 0) for size in sizes),
                    by_size.get(None, 0),
                    total,
                    _share(small_count, known),
                ],
            )
        )
    return Table(
        key="suppliers-by-size",
        caption=_("Participating suppliers by size class per year"),
        row_header=_("Year"),
        columns=[
            *(Column(f"size_class_{size.pk}", size.name) for size in sizes),
            Column("size_unknown", _("Size not stated")),
            Column("suppliers", _("All participating suppliers")),
            Column("small_share", _("Share of small companies"), PERCENT),
        ],
        rows=rows,
        method=_(
            "The suppliers that registered for a dialogue opened in the year, each counted once a year, by the "
            "size class it has when the data was taken."
        )
        + " "
        + _small_method(),
    )


def questions_per_year(period: Period) -> Table:
    start, end = _bounds(period)
    answered = Q(answer__published_at__isnull=False, answer__withdrawn_at__isnull=True)
    unanswered = Q(answer__isnull=True) | Q(answer__published_at__isnull=True) | Q(answer__withdrawn_at__isnull=False)
    counts = _by_year(
        Question.objects.filter(created_at__gte=start, created_at__lt=end, hidden_at__isnull=True)
        .annotate(year=ExtractYear("created_at"))
        .values("year")
        .annotate(
            asked=Count("pk"),
            answered=Count("pk", filter=answered),
            in_time=Count("pk", filter=answered & Q(answer__published_at__lte=F("answer_due_at"))),
            overdue=Count("pk", filter=unanswered & Q(answer_due_at__lt=period.now)),
        )
        .order_by("year"),
        period,
        "asked",
        "answered",
        "in_time",
        "overdue",
    )
    rows = []
    for year in period.years:
        row = counts[year]
        due = row["answered"] + row["overdue"]
        rows.append(
            Row(
                year,
                str(year),
                [
                    row["asked"],
                    row["answered"],
                    row["in_time"],
                    _share(row["in_time"], due),
                    row["overdue"],
                    row["asked"] - row["answered"] - row["overdue"],
                ],
            )
        )
    return Table(
        key="questions-per-year",
        caption=_("Suppliers' questions per year"),
        row_header=_("Year"),
        columns=[
            Column("asked", _("Asked")),
            Column("answered", _("Answered")),
            Column("answered_in_time", _("Answered within the promised time")),
            Column("in_time_share", _("Share answered in time"), PERCENT),
            Column("overdue", _("Unanswered past the promised time")),
            Column("not_yet_due", _("Unanswered, not yet due")),
        ],
        rows=rows,
        method=_(
            "A question counts in the year it was asked; questions a moderator hid are left out. It is answered "
            "when an answer covering it is published and not withdrawn, and in time when that answer was "
            "published no later than the promised answer time (the dialogue's working days after the question). "
            "The share is of the questions answered or already past their promised time."
        ),
    )


def meetings_per_year(period: Period) -> Table:
    start, end = _bounds(period)
    booked = Q(organisation__isnull=False)
    counts = _by_year(
        MeetingSlot.objects.filter(starts_at__gte=start, starts_at__lt=end)
        .annotate(year=ExtractYear("starts_at"))
        .values("year")
        .annotate(
            offered=Count("pk"),
            held=Count("pk", filter=booked & Q(starts_at__lte=period.now)),
            upcoming=Count("pk", filter=booked & Q(starts_at__gt=period.now)),
            cancelled=Count("pk", filter=Q(organisation__isnull=True, cancelled_at__isnull=False)),
        )
        .order_by("year"),
        period,
        "offered",
        "held",
        "upcoming",
        "cancelled",
    )
    names = ["offered", "held", "upcoming", "cancelled"]
    return Table(
        key="meetings-per-year",
        caption=_("One-to-one meetings per year"),
        row_header=_("Year"),
        columns=[
            Column("offered", _("Times offered")),
            Column("held", _("Held")),
            Column("upcoming", _("Booked, still to come")),
            Column("cancelled", _("Cancelled, not booked again")),
        ],
        rows=[Row(year, str(year), [counts[year][name] for name in names]) for year in period.years],
        method=_(
            "A meeting counts in the year it starts. It is held when a supplier booked it and its start has "
            "passed when the data was taken; booked meetings whose start has not come are counted apart. A "
            "cancelled meeting is one whose booking was cancelled and no other supplier took the time."
        ),
    )


# --- The indicator (reusing indicator.services, suppression and all) -------------------------


def indicator_by_statement(period: Period) -> Table:
    assessments = Assessment.objects.in_years(period.first, period.last)
    overall = suppressed_averages(assessments.averages(), None)
    by_statement = suppressed_averages(statement_averages(assessments), "statement", partition=False)
    cells = {}
    for row in overall:
        cells.setdefault("overall", {})[row["year"]] = row["cell"]
    for row in by_statement:
        cells.setdefault(row["key"], {})[row["year"]] = row["cell"]
    labels = [("overall", _("Weighted average, all statements"))]
    labels += [(statement.pk, statement.text) for statement in Statement.objects.all()]
    return Table(
        key="indicator-by-statement",
        caption=_("Goal 5 indicator: average per statement and year"),
        row_header=_("Statement"),
        columns=[Column(str(year), str(year), AVERAGE) for year in period.years],
        rows=[
            Row(key, str(label), [cells.get(key, {}).get(year) for year in period.years])
            for key, label in labels
            if key in cells or key == "overall"
        ],
        method=_(
            "As on the indicator's dashboard: an authority's score is the weighted mean of the statements it "
            "rated, the weighted average is the plain mean of the authorities' scores, and a statement's figure "
            "is the mean rating of the authorities that rated it. A figure from fewer than %(minimum)s "
            "authorities is not shown. Compare with the national measurements in the next table."
        )
        % {"minimum": MIN_AUTHORITIES},
        suppressible=True,
    )


def indicator_references(period: Period) -> Table:
    return Table(
        key="indicator-references",
        caption=_("Goal 5 indicator: national measurements"),
        row_header=_("Measurement"),
        columns=[Column("value", _("Weighted average"), AVERAGE)],
        rows=[Row(index, str(point.label), [point.value]) for index, point in enumerate(REFERENCE_POINTS, 1)],
        method=_(
            "The national measurements of goal 5 of the procurement strategy. Their questions and weights were "
            "not published in full, so compare the direction rather than the decimals."
        ),
    )


def _response_table(key, caption, row_header, rows, year) -> Table:
    return Table(
        key=key,
        caption=caption,
        row_header=row_header,
        columns=[
            Column("could", _("Could answer")),
            Column("answered", _("Have answered")),
            Column("rate", _("Response rate"), PERCENT),
        ],
        rows=[Row(k, str(label), [row.could, row.answered, row.rate]) for k, label, row in rows],
        method=_(
            "The verified contracting authorities that could answer the self-assessment for %(year)s, and how "
            "many of them have answered, by the kind and size they have when the data was taken. A group of "
            "fewer than %(minimum)s authorities gets no figures."
        )
        % {"year": year, "minimum": MIN_AUTHORITIES},
        suppressible=True,
    )


def response_rate_by_kind(period: Period) -> Table:
    rates = response_rates(period.last)
    rows = [("total", _("All authorities"), rates["total"])]
    rows += [
        (kind.value, kind.label, rates["kind"][kind.value])
        for kind in Organisation.AUTHORITY_KINDS
        if kind.value in rates["kind"]
    ]
    return _response_table(
        "response-rate-by-kind",
        _("Response rate %(year)s by kind of organisation") % {"year": period.last},
        _("Kind of organisation"),
        rows,
        period.last,
    )


def response_rate_by_size(period: Period) -> Table:
    rates = response_rates(period.last)
    sizes = [(size.pk, size.name) for size in SizeClass.objects.all()] + [(None, _("Size not stated"))]
    rows = [("total", _("All authorities"), rates["total"])]
    rows += [
        ("unknown" if key is None else key, label, rates["size_class"][key])
        for key, label in sizes
        if key in rates["size_class"]
    ]
    return _response_table(
        "response-rate-by-size",
        _("Response rate %(year)s by size") % {"year": period.last},
        _("Size"),
        rows,
        period.last,
    )


# --- The sections -----------------------------------------------------------------------------

Builder = Callable[[Period], Table]

SNAPSHOT_TABLES: dict[str, Builder] = {
    "groups-by-stage": groups_by_stage,
    "groups-by-theme": groups_by_theme,
    "groups-by-outcome": groups_by_outcome,
    "groups-by-procedure": groups_by_procedure,
}
YEAR_TABLES: dict[str, Builder] = {
    "groups-per-year": groups_per_year,
    "dialogues-per-year": dialogues_per_year,
    "suppliers-by-size": suppliers_by_size,
    "questions-per-year": questions_per_year,
    "meetings-per-year": meetings_per_year,
}
INDICATOR_TABLES: dict[str, Builder] = {
    "indicator-by-statement": indicator_by_statement,
    "indicator-references": indicator_references,
    "response-rate-by-kind": response_rate_by_kind,
    "response-rate-by-size": response_rate_by_size,
}
REPORT_TABLES: dict[str, Builder] = {**SNAPSHOT_TABLES, **YEAR_TABLES, **INDICATOR_TABLES}


def build(builders: dict[str, Builder], period: Period) -> list[Table]:
    return [builder(period) for builder in builders.values()]


def report_period(year: int, now=None) -> Period:
    """The annual report of a year: its year-by-year tables run from the first year with buyer
    groups up to the report's year, which comes last, so the year is seen against the ones before."""
    first = min(first_year_with_groups(), year)
    return Period(list(range(first, year + 1)), now or timezone.now())


PLACES = {PERCENT: 1, AVERAGE: 2}


def plain(value, unit: str):
    """A value for CSV and JSON as the page shows it: a suppressed cell None, a percentage with
    one decimal, an average with two."""
    if isinstance(value, Cell):
        value = value.value
    if isinstance(value, float | Decimal):
        return round(float(value), PLACES.get(unit, 2))
    return value


def as_json(table: Table) -> dict:
    return {
        "key": table.key,
        "caption": table.caption,
        "method": table.method,
        "row_header": table.row_header,
        "columns": [{"key": column.key, "label": column.label, "unit": column.unit} for column in table.columns],
        "rows": [
            {
                "key": row.key,
                "label": row.label,
                "values": {
                    column.key: plain(value, column.unit)
                    for column, value in zip(table.columns, row.values, strict=True)
                },
                "suppressed": row.suppressed,
                # which of the null values are suppressed (the others have no answers at all)
                "suppressed_columns": [column.key for column in row.suppressed_columns(table.columns)],
            }
            for row in table.rows
        ],
    }
