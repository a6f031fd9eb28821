"""Small cells: a figure computed from fewer than three authorities is shown nowhere, in the
dashboard's charts and their tables, the authority page, the response rate or the exports
(test_export.py), and cannot be worked out from a total and the other groups. Also the
average per statement by year, and who has answered this year."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation
from indicator.charts import SUPPRESSED
from indicator.services import MIN_AUTHORITIES, Cell, non_respondents, protect_partition, response_rates, shown
from tests.factories import OrganisationFactory
from tests.indicator.conftest import answer

pytestmark = pytest.mark.django_db

NOTE = "Fewer than 3 authorities: not shown"


def this_year():
    return timezone.localdate().year


def kommun(cast, name, size=3):
    return OrganisationFactory(name=name, kind=Organisation.Kind.KOMMUN, size_class=cast.sizes[size])


def test_the_rule_hides_two_and_shows_three():
    assert MIN_AUTHORITIES == 3
    assert shown(2.5, 2) == Cell(None, None, suppressed=True)
    assert shown(2.5, 1).suppressed and shown(None, 0).suppressed
    assert shown(2.5, 3) == Cell(2.5, 3)


def test_a_hidden_group_cannot_be_worked_out_from_the_total():
    """Five municipalities and one region make a total of six: with the municipalities shown,
    the total would give the region's score away, so the municipalities are hidden too."""
    counts = {"kommun": 5, "region": 1}
    cells = protect_partition({key: shown(1.0, count) for key, count in counts.items()}, counts)
    assert cells["kommun"].suppressed and cells["region"].suppressed
    # With two hidden groups of two the hidden ones hold four together: nothing more is hidden.
    counts = {"kommun": 5, "region": 2, "bolag": 2}
    cells = protect_partition({key: shown(1.0, count) for key, count in counts.items()}, counts)
    assert cells["kommun"] == Cell(1.0, 5)
    # The smallest shown group is the one hidden with the small one.
    counts = {"kommun": 5, "region": 1, "bolag": 3}
    cells = protect_partition({key: shown(1.0, count) for key, count in counts.items()}, counts)
    assert cells["bolag"].suppressed and not cells["kommun"].suppressed


def kind_row(response, label):
    chart = response.context["charts"][0]
    return next(line for line in chart.lines if str(line.label) == label)


@pytest.mark.parametrize("count, hidden", [(2, True), (3, False)])
def test_the_dashboard_chart_and_its_table(client, cast, count, hidden):
    for index in range(count):
        answer(kommun(cast, f"Kommun {index}"), 2026, [4] * 6)
    client.force_login(cast.facilitator)
    response = client.get(reverse("indicator:dashboard"))
    line = kind_row(response, "Municipality (kommun)")
    html = response.content.decode()
    if hidden:
        assert line.cells == [SUPPRESSED] and line.points == [] and line.path == ""
        assert 'class="suppressed"' in html and NOTE in html
        assert "4.00" not in html
        assert "fewer than 3 authorities" in response.context["charts"][0].description
    else:
        assert [point.average for point in line.points] == [4.0] and line.cells[0].count == 3
        assert 'class="suppressed"' not in html and NOTE not in html


def test_the_dashboard_hides_the_group_that_would_give_another_away(client, cast):
    for index in range(5):
        answer(kommun(cast, f"Kommun {index}"), 2026, [4] * 6)
    region = OrganisationFactory(kind=Organisation.Kind.REGION, size_class=cast.sizes[4])
    answer(region, 2026, [1] * 6)
    client.force_login(cast.facilitator)
    response = client.get(reverse("indicator:dashboard"))
    assert kind_row(response, "All authorities").cells[0].average == pytest.approx(21 / 6)
    assert kind_row(response, "Municipality (kommun)").cells == [SUPPRESSED]
    assert kind_row(response, "Region").cells == [SUPPRESSED]


@pytest.mark.parametrize("count, hidden", [(2, True), (3, False)])
def test_the_authority_page_hides_an_average_of_two(client, cast, count, hidden):
    answer(cast.vaxjo, 2026, [4] * 6)
    for index in range(count - 1):
        answer(kommun(cast, f"Kommun {index}"), 2026, [2] * 6)
    client.force_login(cast.admin)
    response = client.get(reverse("indicator:organisation-detail", args=[cast.vaxjo.pk]))
    assessment = response.context["assessments"][0]
    html = response.content.decode()
    chart_lines = response.context["chart"].lines
    if hidden:
        assert assessment.kind_average.suppressed and assessment.size_average.suppressed
        assert NOTE in html and "3.00" not in html
        assert chart_lines[1].cells == [SUPPRESSED] and chart_lines[2].cells == [SUPPRESSED]
    else:
        assert (assessment.kind_average.value, assessment.kind_average.count) == (pytest.approx(8 / 3), 3)
        assert NOTE not in html
    assert chart_lines[0].points[0].average == 4.0  # its own score is its own


def test_the_average_per_statement_by_year(client, cast):
    """Each statement on its own line, year by year; a statement only two rated is hidden."""
    others = [kommun(cast, f"Kommun {index}") for index in range(2)]
    answer(cast.vaxjo, 2025, [1, 2, 3, 4, 5, 1])
    answer(cast.lund, 2025, [3, 2, 3, 4, 5, 1])
    answer(others[0], 2025, [5, 2, 3, 4, None, 1])
    for organisation in (cast.vaxjo, cast.lund, *others):
        answer(organisation, 2026, [4, 4, 4, 4, 4, 4])
    client.force_login(cast.facilitator)
    response = client.get(reverse("indicator:dashboard"))
    chart = next(chart for chart in response.context["charts"] if chart.id == "chart-statements")
    assert chart.years == [2025, 2026]
    assert len(chart.lines) == 6
    by_statement = [
        [cell if cell is SUPPRESSED else (cell.average, cell.count) for cell in line.cells] for line in chart.lines
    ]
    assert by_statement == [
        [(3.0, 3), (4.0, 4)],
        [(2.0, 3), (4.0, 4)],
        [(3.0, 3), (4.0, 4)],
        [(4.0, 3), (4.0, 4)],
        [SUPPRESSED, (4.0, 4)],  # two rated it in 2025
        [(1.0, 3), (4.0, 4)],
    ]
    assert chart.lines[0].label.startswith("We hold a dialogue with potential suppliers")
    assert len(chart.references) == 2  # the national reference points


@pytest.fixture
def small_world(cast):
    """Four authorities could answer this year: three municipalities answered, a region did
    not. Suppliers, the agency and unverified organisations cannot answer."""
    ljungby = kommun(cast, "Ljungby kommun")
    region = OrganisationFactory(name="Region Kronoberg", kind=Organisation.Kind.REGION, size_class=cast.sizes[4])
    for organisation in (cast.vaxjo, cast.lund, ljungby):
        answer(organisation, this_year(), [3] * 6)
    answer(region, this_year() - 1, [3] * 6)  # last year does not count
    return region


def test_the_response_rate_and_who_has_not_answered(cast, small_world):
    rates = response_rates(this_year())
    assert (rates["total"].could, rates["total"].answered.value, rates["total"].rate.value) == (4, 3, 75.0)
    assert (rates["kind"]["kommun"].could, rates["kind"]["kommun"].rate.value) == (3, 100.0)
    assert rates["kind"]["region"].could == 1 and rates["kind"]["region"].rate.suppressed
    assert rates["kind"]["region"].answered.suppressed
    assert rates["size_class"][cast.sizes[3].pk].answered.value == 3
    assert rates["size_class"][cast.sizes[4].pk].rate.suppressed
    assert [organisation.name for organisation in non_respondents(this_year())] == ["Region Kronoberg"]


def test_the_responses_page(client, cast, small_world):
    client.force_login(cast.facilitator)
    response = client.get(reverse("indicator:responses"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 of 4 authorities have answered (75 %)." in html
    assert "Region Kronoberg" in html and "Ljungby kommun" not in html
    assert "<td>3</td><td>100 %</td>" in html  # the municipalities
    assert NOTE in html  # the region alone: not shown


@pytest.mark.parametrize("role", ["admin", "member", "delegate", "other_authority", "supplier", "stranger"])
def test_only_facilitators_see_who_has_not_answered(client, cast, small_world, role):
    client.force_login(getattr(cast, role))
    assert client.get(reverse("indicator:responses")).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client, cast):
    response = client.get(reverse("indicator:responses"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
