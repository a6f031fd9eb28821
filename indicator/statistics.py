"""Goal 5 in figures: the indicator's averages as open data (lagen (2022:818) om den
öppna datan). The public page (indicator.views.statistics) and the public API both read
public_statistics(), so the two can never disagree, and every figure in it comes from
dashboard_averages: a figure from fewer than MIN_AUTHORITIES authorities is never in it."""

from django.utils.translation import gettext as _

from accounts.models import Organisation, SizeClass
from indicator.models import Assessment, Statement
from indicator.services import dashboard_averages

# The tables, in the order the page shows them.
DIMENSIONS = ("overall", "kind", "size_class", "in_group", "statement")


def group_labels() -> dict:
    """Each dimension's groups as [(key, label)], in the order they are shown."""
    sizes = [(size.pk, size.name) for size in SizeClass.objects.all()]
    statements = [(statement.pk, statement.text) for statement in Statement.objects.all()]
    return {
        "overall": [(None, _("All authorities"))],
        "kind": [(kind.value, kind.label) for kind in Organisation.AUTHORITY_KINDS],
        "size_class": [*sizes, (None, _("Size not stated"))],
        "in_group": [(True, _("Members of a buyer group")), (False, _("In no buyer group"))],
        "statement": statements,
    }


def public_statistics() -> dict[str, list[dict]]:
    """Every yearly average of all self-assessments, by dimension (DIMENSIONS), each a list
    of rows in the order shown, group by group and year by year:

        {"dimension": "kind", "key": "kommun", "label": "Municipality (kommun)", "year": 2026,
         "value": 3.14, "authorities": 12, "suppressed": False}

    key is the group's code (a kind's value, a size class's or statement's id, True/False for
    buyer-group membership, None for all authorities and for size not stated); label is in
    the active language; value is rounded to two decimals, as the page shows it. A suppressed
    row has value and authorities None. Seven queries, whatever the number of authorities."""
    averages = dashboard_averages(Assessment.objects.all())
    labels = group_labels()
    statistics = {}
    for dimension in DIMENSIONS:
        # Groups without a label (a kind that no longer answers) are left out, as on the dashboard.
        order = {key: (index, str(label)) for index, (key, label) in enumerate(labels[dimension])}
        rows = sorted(
            (row for row in averages[dimension] if row["key"] in order),
            key=lambda row: (order[row["key"]][0], row["year"]),
        )
        statistics[dimension] = [_public_row(dimension, row, order[row["key"]][1]) for row in rows]
    return statistics


def _public_row(dimension: str, row: dict, label: str) -> dict:
    cell = row["cell"]
    return {
        "dimension": dimension,
        "key": row["key"],
        "label": label,
        "year": row["year"],
        "value": None if cell.value is None else round(cell.value, 2),
        "authorities": cell.count,
        "suppressed": cell.suppressed,
    }
