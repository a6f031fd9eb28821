"""The CSV exports: what the dashboard shows, filtered the same way, and never a comment."""

import csv
import io

import pytest
from django.urls import reverse

from accounts.models import Organisation
from groups.models import BuyerGroup, Membership
from tests.factories import OrganisationFactory
from tests.indicator.conftest import answer

pytestmark = pytest.mark.django_db


def rows_of(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="indicator-')
    assert response.streaming
    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


@pytest.fixture
def answered(cast):
    group = BuyerGroup.objects.create(name="G", slug="g", theme="energy", summary="s", challenge="c")
    Membership.objects.create(group=group, organisation=cast.lund, role="member", status="active")
    region = OrganisationFactory(name="Region Kronoberg", kind=Organisation.Kind.REGION, size_class=cast.sizes[4])
    answer(cast.vaxjo, 2025, [2, 2, 2, 2, 2, 2], comments=["Hemligt", "", "", "", "", ""])
    answer(cast.vaxjo, 2026, [3, 3, 3, 3, None, 3])
    answer(cast.lund, 2026, [4, 4, 4, 4, 4, 4])
    answer(region, 2026, [5, 4, 5, 4, 5, 4])
    return region


SUPPRESSED_HEADER = "Not shown: fewer than 3 authorities, or hidden so that such a figure cannot be worked out"


def test_averages_export(client, cast, answered):
    """Three authorities answered 2026, one 2025: only the 2026 total has three behind it.
    Every smaller group is an empty row marked as not shown."""
    client.force_login(cast.facilitator)
    rows = rows_of(client.get(reverse("indicator:averages-export")))
    size = cast.sizes[3].name
    statements = [row for row in rows if row[0] == "Statement (average rating)"]
    assert rows[: len(rows) - len(statements)] == [
        ["Grouping", "Group", "Year", "Weighted average", "Number of authorities", SUPPRESSED_HEADER],
        ["All authorities", "All authorities", "2025", "", "", "yes"],
        ["All authorities", "All authorities", "2026", "3.83", "3", ""],
        ["Kind of organisation", "Municipality (kommun)", "2025", "", "", "yes"],
        ["Kind of organisation", "Municipality (kommun)", "2026", "", "", "yes"],
        ["Kind of organisation", "Region", "2026", "", "", "yes"],
        ["Size", size, "2025", "", "", "yes"],
        ["Size", size, "2026", "", "", "yes"],
        ["Size", cast.sizes[4].name, "2026", "", "", "yes"],
        ["Buyer groups", "In no buyer group", "2025", "", "", "yes"],
        ["Buyer groups", "In no buyer group", "2026", "", "", "yes"],
        ["Buyer groups", "Members of a buyer group", "2026", "", "", "yes"],
    ]
    # Per statement: in 2026 three authorities rated each statement but the fifth, which Växjö
    # left unanswered; 2025 has Växjö alone.
    assert [row[2:] for row in statements] == [
        *[["2025", "", "", "yes"]] * 6,
        ["2026", "4.00", "3", ""],
        ["2026", "3.67", "3", ""],
        ["2026", "4.00", "3", ""],
        ["2026", "3.67", "3", ""],
        ["2026", "", "", "yes"],
        ["2026", "3.67", "3", ""],
    ]


def test_averages_export_shows_three_and_hides_two(client, cast, answered):
    """Filtered to municipalities, 2026 has two (Växjö and Lund): hidden. A third makes it shown."""
    client.force_login(cast.facilitator)
    params = {"year_from": "2026", "kind": "kommun"}
    rows = rows_of(client.get(reverse("indicator:averages-export"), params))
    assert rows[1] == ["All authorities", "All authorities", "2026", "", "", "yes"]
    third = OrganisationFactory(name="Ljungby kommun", kind=Organisation.Kind.KOMMUN, size_class=cast.sizes[3])
    answer(third, 2026, [5, 5, 5, 5, 5, 5])
    rows = rows_of(client.get(reverse("indicator:averages-export"), params))
    assert rows[1] == ["All authorities", "All authorities", "2026", "4.00", "3", ""]


def test_assessments_export_lists_scores_without_comments(client, cast, answered):
    client.force_login(cast.facilitator)
    response = client.get(reverse("indicator:assessments-export"), {"year_from": "2026"})
    rows = rows_of(response)
    assert rows[0] == [
        "Year",
        "Organisation",
        "Organisation number",
        "Kind of organisation",
        "Size",
        "Member of a buyer group",
        "Weighted score",
        "Statements rated",
        "Last saved",
    ]
    assert [row[:8] for row in rows[1:]] == [
        ["2026", "Lunds kommun", cast.lund.organisation_number, "Municipality (kommun)", cast.sizes[3].name,
         "yes", "4.00", "6"],
        ["2026", "Region Kronoberg", answered.organisation_number, "Region", cast.sizes[4].name, "no", "4.50", "6"],
        ["2026", "Växjö kommun", cast.vaxjo.organisation_number, "Municipality (kommun)", cast.sizes[3].name,
         "no", "3.00", "5"],
    ]  # fmt: skip
    assert not any("Hemligt" in cell for row in rows for cell in row)


def test_exports_follow_the_filters(client, cast, answered):
    client.force_login(cast.facilitator)
    rows = rows_of(client.get(reverse("indicator:averages-export"), {"kind": "region"}))
    groups = {row[1] for row in rows[1:] if row[0] != "Statement (average rating)"}
    assert groups == {"All authorities", "Region", cast.sizes[4].name, "In no buyer group"}
    rows = rows_of(client.get(reverse("indicator:assessments-export"), {"year_to": "2025"}))
    assert [row[1] for row in rows[1:]] == ["Växjö kommun"]


def test_the_dashboard_links_to_the_exports_with_its_filters(client, cast, answered):
    client.force_login(cast.facilitator)
    html = client.get(reverse("indicator:dashboard"), {"kind": "region"}).content.decode()
    assert 'href="/indicator/averages.csv?kind=region"' in html
    assert 'href="/indicator/assessments.csv?kind=region"' in html


@pytest.mark.parametrize("start", ["=", "+", "-", "@", " ="])
def test_a_name_a_spreadsheet_would_run_as_a_formula_is_written_as_text(client, cast, start):
    tricky = OrganisationFactory(name=start + 'HYPERLINK("http://evil.example","Klicka")', size_class=cast.sizes[3])
    answer(tricky, 2026, [3, 3, 3, 3, 3, 3])
    cast.sizes[3].name = start + "SUM(A1)"
    cast.sizes[3].save(update_fields=["name"])
    client.force_login(cast.facilitator)
    rows = rows_of(client.get(reverse("indicator:assessments-export")))
    assert rows[1][1] == "'" + tricky.name
    assert rows[1][4] == "'" + start + "SUM(A1)"
    assert rows[1][6] == "3.00"  # the score the platform computed stays a number
    averages = rows_of(client.get(reverse("indicator:averages-export")))
    assert ["Size", "'" + start + "SUM(A1)", "2026", "", "", "yes"] in averages  # one authority: not shown
