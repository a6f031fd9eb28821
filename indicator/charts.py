"""Line charts as server-rendered SVG: this module works out the geometry, the template
`indicator/_chart.html` draws it. No JavaScript and no chart library.

Coordinates are formatted here as plain numbers ("123.4"), never by the template, where
Swedish number formatting would write "123,4" and break the drawing.
"""

import math
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from indicator.models import REFERENCE_POINTS
from indicator.services import MIN_AUTHORITIES, Cell

WIDTH, HEIGHT = 780, 300
# The right margin holds the reference lines' labels, clear of the data.
LEFT, RIGHT, TOP, BOTTOM = 44, 256, 16, 36
SCALE_MIN, SCALE_MAX = 1, 5
# Each at least 4.5:1 against white; every series also has its own marker shape, so colour
# is never the only difference (WCAG 1.4.1, 1.4.11).
COLOURS = ["#1b1f24", "#005a8c", "#b34700", "#2d6a2d", "#7b2d8e", "#a1142a", "#00626b", "#5c4a00"]
MARKERS = ["circle", "square", "triangle", "diamond", "triangle-down", "cross"]


@dataclass
class Point:
    year: int
    average: float
    count: int | None
    x: str
    y: str
    marker: str  # an SVG path


@dataclass
class Line:
    label: str
    colour: str
    marker: str
    points: list[Point]
    path: str  # "M x y L x y …", broken where a year has no value
    swatch: str  # the marker drawn in the legend
    # one per year of the chart: a Point, SUPPRESSED (too few authorities) or None (no answers)
    cells: list = field(default_factory=list)


@dataclass
class Chart:
    id: str
    title: str
    description: str
    first_header: str
    years: list[int]
    lines: list[Line]
    x_ticks: list[tuple[str, int]]
    y_ticks: list[tuple[str, str]]
    references: list[dict]
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_bottom: int = HEIGHT - BOTTOM
    centre_x: int = (LEFT + WIDTH - RIGHT) // 2
    centre_y: int = TOP + 40
    minimum: int = MIN_AUTHORITIES

    @property
    def is_empty(self) -> bool:
        return not any(line.points for line in self.lines) and not self.has_suppressed

    @property
    def has_points(self) -> bool:
        return any(line.points for line in self.lines)

    @property
    def has_suppressed(self) -> bool:
        return any(cell is SUPPRESSED for line in self.lines for cell in line.cells)


SUPPRESSED = "suppressed"  # a table cell whose figure rests on too few authorities to be shown


def _coordinate(value: float) -> str:
    return f"{value:.1f}"


@dataclass(frozen=True)
class Axis:
    """The part of the 1–5 scale the chart shows: the data and the reference points, with a
    margin, in half steps. A narrower axis shows the small yearly changes that matter here."""

    low: float
    high: float

    @classmethod
    def around(cls, values: list[float]) -> "Axis":
        values = [*values, *(float(point.value) for point in REFERENCE_POINTS)]
        low = max(SCALE_MIN, math.floor((min(values) - 0.2) * 2) / 2)
        high = min(SCALE_MAX, math.ceil((max(values) + 0.2) * 2) / 2)
        return cls(low, high)

    @property
    def ticks(self) -> list[float]:
        step = 0.5 if self.high - self.low <= 2.5 else 1.0
        count = round((self.high - self.low) / step)
        return [self.low + index * step for index in range(count + 1)]

    def y(self, value: float) -> float:
        plot_height = HEIGHT - TOP - BOTTOM
        return TOP + (self.high - value) / (self.high - self.low) * plot_height


def _x(index: int, count: int) -> float:
    """Years sit in the middle of equal bands, so one year lands in the centre."""
    plot_width = WIDTH - LEFT - RIGHT
    return LEFT + (index + 0.5) * plot_width / max(count, 1)


def marker_path(shape: str, x: float, y: float, size: float = 4.5) -> str:
    c = _coordinate
    if shape == "square":
        return f"M{c(x - size)} {c(y - size)}h{c(2 * size)}v{c(2 * size)}h{c(-2 * size)}Z"
    if shape == "triangle":
        return f"M{c(x)} {c(y - size - 1)}L{c(x + size + 1)} {c(y + size)}L{c(x - size - 1)} {c(y + size)}Z"
    if shape == "triangle-down":
        return f"M{c(x)} {c(y + size + 1)}L{c(x + size + 1)} {c(y - size)}L{c(x - size - 1)} {c(y - size)}Z"
    if shape == "diamond":
        return f"M{c(x)} {c(y - size - 1)}L{c(x + size + 1)} {c(y)}L{c(x)} {c(y + size + 1)}L{c(x - size - 1)} {c(y)}Z"
    if shape == "cross":
        return (
            f"M{c(x - size)} {c(y - size)}L{c(x + size)} {c(y + size)}"
            f"M{c(x + size)} {c(y - size)}L{c(x - size)} {c(y + size)}"
        )
    return (  # circle, as two arcs
        f"M{c(x - size)} {c(y)}a{c(size)} {c(size)} 0 1 0 {c(2 * size)} 0a{c(size)} {c(size)} 0 1 0 {c(-2 * size)} 0Z"
    )


def line_chart(
    *, chart_id: str, title: str, subject: str, first_header: str, years: list[int], series, per_statement=False
) -> Chart:
    """A chart of averages per year on the 1–5 scale, with the national reference lines.

    series is a list of (label, {year: Cell}), the cells already through
    indicator.services.shown(); years are the chart's columns. A suppressed cell is neither
    drawn nor written: the table marks it and says why."""
    years = sorted(years)
    axis = Axis.around([cell.value for _label, values in series for cell in values.values() if cell.value is not None])
    lines = []
    for index, (label, values) in enumerate(series):
        shape = MARKERS[index % len(MARKERS)]
        points, cells, path, previous = [], [], [], None
        for column, year in enumerate(years):
            cell = values.get(year, Cell(None, 0))
            if cell.value is None:
                cells.append(SUPPRESSED if cell.suppressed else None)
                previous = None
                continue
            x, y = _x(column, len(years)), axis.y(cell.value)
            point = Point(year, cell.value, cell.count, _coordinate(x), _coordinate(y), marker_path(shape, x, y))
            points.append(point)
            cells.append(point)
            path.append(f"{'L' if previous is not None else 'M'}{point.x} {point.y}")
            previous = point
        lines.append(
            Line(
                label=label,
                colour=COLOURS[index % len(COLOURS)],
                marker=shape,
                points=points,
                path="".join(path),
                swatch=marker_path(shape, 14, 8),
                cells=cells,
            )
        )
    references = [
        {
            "y": _coordinate(axis.y(float(point.value))),
            "text": f"{number_format(point.value, 1)}: {point.label}",
            "value": point.value,
            "label": point.label,
        }
        for point in REFERENCE_POINTS
    ]
    return Chart(
        id=chart_id,
        title=title,
        description=_describe(subject, years, lines, axis, per_statement),
        first_header=first_header,
        years=years,
        lines=lines,
        x_ticks=[(_coordinate(_x(i, len(years))), year) for i, year in enumerate(years)],
        y_ticks=[(_coordinate(axis.y(value)), number_format(value, 1)) for value in axis.ticks],
        references=references,
    )


def _describe(subject: str, years: list[int], lines: list[Line], axis: Axis, per_statement: bool) -> str:
    references = "; ".join(f"{number_format(p.value, 1)}, {p.label}" for p in REFERENCE_POINTS)
    if not years or not any(line.points for line in lines):
        if any(cell is SUPPRESSED for line in lines for cell in line.cells):
            return _(
                "Nothing to draw: every figure rests on fewer than %(minimum)s authorities and is not shown. "
                "Reference lines: %(references)s."
            ) % {"minimum": MIN_AUTHORITIES, "references": references}
        return _("No self-assessments to show. Reference lines: %(references)s.") % {"references": references}
    if per_statement:
        wording = _(
            "Average rating per year, %(first)s–%(last)s, by %(subject)s: %(series)s. The scale is 1 to 5; "
            "the chart shows %(low)s to %(high)s. Reference lines (the national measurements of the whole "
            "indicator): %(references)s. The figures are in the table below the chart."
        )
    else:
        wording = _(
            "Weighted average per year, %(first)s–%(last)s, by %(subject)s: %(series)s. The scale is 1 to 5; "
            "the chart shows %(low)s to %(high)s. Reference lines: %(references)s. The figures are in the table "
            "below the chart."
        )
    description = wording % {
        "first": years[0],
        "last": years[-1],
        "subject": subject,
        "series": ", ".join(str(line.label) for line in lines if line.points),
        "low": number_format(axis.low, 1),
        "high": number_format(axis.high, 1),
        "references": references,
    }
    if any(cell is SUPPRESSED for line in lines for cell in line.cells):
        description += " " + _("Figures from fewer than %(minimum)s authorities are not shown.") % {
            "minimum": MIN_AUTHORITIES
        }
    return description
