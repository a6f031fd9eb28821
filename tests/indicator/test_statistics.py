"""Goal 5 in figures: the indicator's yearly averages as open data, on a public page and, from
the same function (indicator.statistics.public_statistics), in the public API. Small cells are
suppressed exactly as on the dashboard, and the page shows every figure the function returns."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from accounts.models import Organisation
from indicator.models import Statement
from indicator.statistics import DIMENSIONS, public_statistics
from tests.factories import OrganisationFactory
from tests.indicator.conftest import answer
from tests.indicator.test_queries import grow

pytestmark = pytest.mark.django_db

PAGE = "/indicator/statistics/"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
SV = {"HTTP_ACCEPT_LANGUAGE": "sv"}
MARKER = '<td class="suppressed"><span aria-hidden="true">–*</span>'
NOTE = "Fewer than 3 authorities: not shown"


def authorities(cast, kind, count, ratings, *, year=2026, size=3):
    for index in range(count):
        organisation = OrganisationFactory(name=f"{kind} {year} {index}", kind=kind, size_class=cast.sizes[size])
        answer(organisation, year, ratings)


def figure(row) -> str:
    """A shown figure as the page writes it in English: the average and its authorities."""
    return f'<td>{row["value"]:.2f} <span class="muted">({row["authorities"]} authorities)</span></td>'


def test_the_url_is_the_one_the_api_docs_link_from():
    assert reverse("indicator:statistics") == PAGE


def test_anyone_reads_the_page_without_signing_in(client, cast):
    authorities(cast, Organisation.Kind.KOMMUN, 3, [3] * 6)
    response = client.get(PAGE, **EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Goal 5 in figures</h1>" in html
    assert 'href="/api/v1/docs/"' in html
    assert "fewer than 3 authorities: not shown" in html  # the intro explains the marker


@pytest.mark.parametrize("role", ["admin", "supplier", "stranger", "facilitator"])
def test_signed_in_people_read_it_too(client, cast, role):
    client.force_login(getattr(cast, role))
    assert client.get(PAGE, **EN).status_code == 200


def test_the_page_is_read_only(client, cast):
    assert client.post(PAGE).status_code == 405


def test_before_any_answers_the_page_says_so(client, cast):
    html = client.get(PAGE, **EN).content.decode()
    assert "No self-assessments have been answered yet" in html
    assert "<table" not in html
    assert public_statistics() == {dimension: [] for dimension in DIMENSIONS}


def test_the_footer_of_every_page_links_it(client, cast):
    html = client.get(reverse("home"), **EN).content.decode()
    assert f'<a href="{PAGE}">Goal 5 in figures</a>' in html


@pytest.fixture
def two_years(cast):
    """Three municipalities, three regions and three state agencies answer in 2025 and 2026;
    each kind its own size."""
    for year in (2025, 2026):
        authorities(cast, Organisation.Kind.KOMMUN, 3, [4, 3, 4, 3, 4, 2], year=year)
        authorities(cast, Organisation.Kind.REGION, 3, [2, 2, 3, 1, 5, 2], year=year, size=4)
        authorities(cast, Organisation.Kind.STATLIG_MYNDIGHET, 3, [5, 5, 4, 4, 3, 5], year=year, size=2)


def test_the_function_returns_plain_rows_for_the_api(cast, two_years):
    with translation.override("en"):
        statistics = public_statistics()
    assert list(statistics) == list(DIMENSIONS)
    overall = statistics["overall"]
    assert [row["year"] for row in overall] == [2025, 2026]
    assert overall[0] == {
        "dimension": "overall",
        "key": None,
        "label": "All authorities",
        "year": 2025,
        "value": overall[0]["value"],
        "authorities": 9,
        "suppressed": False,
    }
    assert overall[0]["value"] == round(overall[0]["value"], 2)
    kommun = next(row for row in statistics["kind"] if row["key"] == "kommun")
    assert (kommun["label"], kommun["value"], kommun["authorities"]) == ("Municipality (kommun)", 3.33, 3)
    statement = statistics["statement"][0]
    assert statement["key"] == Statement.objects.filter(is_active=True).first().pk
    assert isinstance(statement["label"], str) and statement["value"] == 3.67
    assert [row["key"] for row in statistics["in_group"]] == [False, False]  # nobody is in a buyer group


def test_every_figure_the_function_returns_is_on_the_page(client, cast, two_years):
    with translation.override("en"):
        statistics = public_statistics()
    html = client.get(PAGE, **EN).content.decode()
    shown = [row for rows in statistics.values() for row in rows if not row["suppressed"]]
    assert len(shown) > 20
    for row in shown:
        assert figure(row) in html, row
        assert f'<th scope="row">{escape(row["label"])}</th>' in html, row
    assert MARKER not in html


def test_a_kind_of_two_authorities_is_hidden_and_cannot_be_worked_out(client, cast):
    """Five municipalities and two regions: the regions' average is hidden, and so are the
    municipalities', or the total of seven less the five would give the regions away."""
    authorities(cast, Organisation.Kind.KOMMUN, 5, [4] * 6)
    authorities(cast, Organisation.Kind.REGION, 2, [1] * 6, size=4)
    statistics = public_statistics()
    by_kind = {row["key"]: row for row in statistics["kind"]}
    for kind in ("kommun", "region"):
        assert by_kind[kind]["suppressed"]
        assert (by_kind[kind]["value"], by_kind[kind]["authorities"]) == (None, None)
    by_size = {row["key"]: row for row in statistics["size_class"]}
    assert all(row["suppressed"] for row in by_size.values())  # the same authorities by size
    assert statistics["overall"][0]["value"] == round(22 / 7, 2)

    html = client.get(PAGE, **EN).content.decode()
    assert html.count(MARKER) == 4  # two kinds, two sizes
    assert NOTE in html
    assert "4.00" not in html and "1.00" not in html  # neither group's own average
    assert "(5 authorities)" not in html and "(2 authorities)" not in html
    assert figure(statistics["overall"][0]) in html  # 3.14 from all seven


def test_a_statement_rated_by_two_is_hidden_on_its_own(client, cast):
    authorities(cast, Organisation.Kind.KOMMUN, 2, [5, 5, 5, 5, 5, 5])
    authorities(cast, Organisation.Kind.KOMMUN, 2, [2, None, None, None, None, None], size=4)
    by_statement = public_statistics()["statement"]
    assert [row["suppressed"] for row in by_statement] == [False, True, True, True, True, True]
    html = client.get(PAGE, **EN).content.decode()
    assert figure(by_statement[0]) in html  # 3.50 from four
    assert "5.00" not in html


def test_the_page_in_swedish_and_in_english(client, cast, two_years):
    statement = Statement.objects.filter(is_active=True).first()
    swedish = client.get(PAGE, **SV)
    assert swedish.headers["Content-Language"] == "sv"
    html = swedish.content.decode()
    assert '<html lang="sv"' in html
    assert escape(statement.text_sv) in html and '<th scope="row">Kommun</th>' in html
    assert "3,33" in html  # decimal comma
    english = client.get(PAGE, **EN)
    assert english.headers["Content-Language"] == "en"
    html = english.content.decode()
    assert escape(statement.text_en) in html and "Municipality (kommun)" in html
    assert "3.33" in html


@pytest.mark.parametrize(
    "name", ["indicator:dashboard", "indicator:averages-export", "indicator:responses", "indicator:assessments-export"]
)
def test_the_facilitators_figures_stay_closed(client, cast, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(cast.admin)
    assert client.get(reverse(name)).status_code == 403


def queries(callable_):
    with CaptureQueriesContext(connection) as captured:
        callable_()
    return len(captured)


def test_the_queries_do_not_grow_with_the_number_of_authorities(client, cast):
    grow(cast, 3)
    small_function = queries(public_statistics)
    small_page = queries(lambda: client.get(PAGE))
    grow(cast, 27)
    assert queries(public_statistics) == small_function <= 7  # five averages, sizes, statements
    assert queries(lambda: client.get(PAGE)) == small_page
