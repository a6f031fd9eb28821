"""The annual report: every table in HTML, CSV and JSON with the same figures, the
indicator's small cells suppressed in all three, facilitators only, bad input 404, and a
constant number of queries."""

import csv
import io
from datetime import timedelta

import html5lib
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import Organisation
from dialogues.models import Dialogue, MeetingSlot, Participation, Question
from groups.models import BuyerGroup, NeedStatement, Stage, Theme
from indicator.programme import REPORT_TABLES
from tests.factories import OrganisationFactory, next_number
from tests.indicator.conftest import answer

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8-sig")


def html_tables(content: str) -> dict:
    """{table key: [[cell text, …] per body row]} from the report's page."""
    document = html5lib.parse(content, namespaceHTMLElements=False)
    tables = {}
    for wrapper in document.iter("div"):
        if (wrapper.get("class") or "") != "programme-table":
            continue
        rows = []
        for row in wrapper.find(".//tbody").findall("tr"):
            rows.append(["".join(cell.itertext()).strip() for cell in row])
        tables[wrapper.get("id").removeprefix("table-")] = rows
    return tables


def as_shown(value, unit) -> str:
    """A JSON value as the page writes it (in English, the tests' language)."""
    if value is None:
        return "–"
    if unit == "percent":
        return f"{value:.1f} %"
    if unit == "average":
        return f"{value:.2f}"
    return str(value)


@pytest.fixture
def facilitator_client(client, cast):
    client.force_login(cast.facilitator)
    return client


def test_every_table_is_in_the_report_with_its_method_and_downloads(facilitator_client, world):
    response = facilitator_client.get(reverse("indicator:report", args=[YEAR]))
    assert response.status_code == 200
    content = response.content.decode()
    tables = [table for section in response.context["sections"] for table in section["tables"]]
    assert [table.key for table in tables] == list(REPORT_TABLES)
    for table in tables:
        assert escape(table.caption) in content
        assert escape(table.method) in content
        assert reverse("indicator:report-table-csv", args=[YEAR, table.key]) in content
        assert reverse("indicator:report-table-json", args=[YEAR, table.key]) in content
    assert "<time datetime=" in content


def test_csv_and_json_match_the_page(facilitator_client, world, cast):
    for organisation in (cast.vaxjo, cast.lund):
        answer(organisation, YEAR, [3] * 6)  # two authorities: the indicator's cells are suppressed
    page = html_tables(facilitator_client.get(reverse("indicator:report", args=[YEAR])).content.decode())
    assert set(page) == set(REPORT_TABLES)
    for key in REPORT_TABLES:
        data = facilitator_client.get(reverse("indicator:report-table-json", args=[YEAR, key])).json()["table"]
        units = [column["unit"] for column in data["columns"]]
        keys = [column["key"] for column in data["columns"]]
        as_page = [
            [
                row["label"],
                *(
                    "–*" if k in row["suppressed_columns"] else as_shown(row["values"][k], unit)
                    for k, unit in zip(keys, units, strict=True)
                ),
            ]
            for row in data["rows"]
        ]
        shown = [[cell.split("Fewer than")[0] if cell.startswith("–*") else cell for cell in row] for row in page[key]]
        assert shown == as_page, key

        lines = list(
            csv.reader(
                io.StringIO(body(facilitator_client.get(reverse("indicator:report-table-csv", args=[YEAR, key]))))
            )
        )
        assert lines[0][: len(keys) + 1] == [data["row_header"], *(c["label"] for c in data["columns"])], key
        for line, row in zip(lines[1:], data["rows"], strict=True):
            expected = [row["label"], *("" if row["values"][k] is None else str(row["values"][k]) for k in keys)]
            assert line[: len(keys) + 1] == expected, key
            if key.startswith(("indicator-by", "response-rate")):
                labels = {c["key"]: c["label"] for c in data["columns"]}
                assert line[-1] == ", ".join(labels[k] for k in row["suppressed_columns"])


def test_the_indicators_small_cells_are_suppressed_in_html_csv_and_json(facilitator_client, cast):
    for organisation in (cast.vaxjo, cast.lund):
        answer(organisation, YEAR, [4] * 6)
    page = facilitator_client.get(reverse("indicator:report", args=[YEAR])).content.decode()
    statements = html_tables(page)["indicator-by-statement"]
    assert statements and all(row[-1].startswith("–*") for row in statements)
    assert "4.00" not in page

    data = facilitator_client.get(reverse("indicator:report-table-json", args=[YEAR, "indicator-by-statement"])).json()
    assert all(row["suppressed"] and row["values"][str(YEAR)] is None for row in data["table"]["rows"])
    assert all(row["suppressed_columns"] == [str(YEAR)] for row in data["table"]["rows"])
    lines = list(
        csv.reader(
            io.StringIO(
                body(
                    facilitator_client.get(reverse("indicator:report-table-csv", args=[YEAR, "indicator-by-statement"]))
                )
            )
        )
    )
    assert all(line[-2] == "" and line[-1] == str(YEAR) for line in lines[1:])

    rates = facilitator_client.get(reverse("indicator:report-table-json", args=[YEAR, "response-rate-by-kind"])).json()
    kommun = next(row for row in rates["table"]["rows"] if row["key"] == "kommun")
    # two kommuner could answer: the register count is shown, how many answered is not
    assert kommun["values"] == {"could": 2, "answered": None, "rate": None}
    assert kommun["suppressed"] is True and kommun["suppressed_columns"] == ["answered", "rate"]


def test_three_authorities_are_shown(facilitator_client, cast):
    third = OrganisationFactory(name="Ljungby kommun", kind=Organisation.Kind.KOMMUN, size_class=cast.sizes[3])
    for organisation in (cast.vaxjo, cast.lund, third):
        answer(organisation, YEAR, [4] * 6)
    data = facilitator_client.get(reverse("indicator:report-table-json", args=[YEAR, "indicator-by-statement"])).json()
    overall = data["table"]["rows"][0]
    assert overall["values"] == {str(YEAR): 4.0} and overall["suppressed"] is False
    page = facilitator_client.get(reverse("indicator:report", args=[YEAR])).content.decode()
    assert html_tables(page)["indicator-by-statement"][0][-1] == "4.00"
    rates = facilitator_client.get(reverse("indicator:report-table-json", args=[YEAR, "response-rate-by-kind"])).json()
    kommun = next(row for row in rates["table"]["rows"] if row["key"] == "kommun")
    assert kommun["values"] == {"could": 3, "answered": 3, "rate": 100.0}


def test_the_json_of_the_whole_report(facilitator_client, world):
    data = facilitator_client.get(reverse("indicator:report-json", args=[YEAR])).json()
    assert data["year"] == YEAR and data["years"] == [YEAR - 1, YEAR]
    assert [table["key"] for table in data["tables"]] == list(REPORT_TABLES)
    assert all(table["method"] and table["caption"] for table in data["tables"])


def test_a_past_years_report_ends_with_that_year(facilitator_client, world):
    data = facilitator_client.get(reverse("indicator:report-table-json", args=[YEAR - 1, "groups-per-year"])).json()
    assert [row["key"] for row in data["table"]["rows"]] == [YEAR - 1]


@pytest.mark.parametrize(
    "url",
    [
        reverse("indicator:report", args=[2015]),
        reverse("indicator:report", args=[YEAR + 1]),
        reverse("indicator:report-json", args=[99999]),
        reverse("indicator:report-table-csv", args=[YEAR, "no-such-table"]),
        reverse("indicator:report-table-json", args=[YEAR, "no-such-table"]),
        reverse("indicator:report-table-csv", args=[1999, "groups-by-stage"]),
        f"/indicator/report/{YEAR}/groups-by-stage.xml",
    ],
)
def test_bad_input_is_404(facilitator_client, url):
    response = facilitator_client.get(url)
    assert response.status_code == 404


ROLES = ["stranger", "supplier", "other_authority", "admin", "member"]
URLS = [
    reverse("indicator:programme"),
    reverse("indicator:report", args=[YEAR]),
    reverse("indicator:report-json", args=[YEAR]),
    reverse("indicator:report-table-csv", args=[YEAR, "groups-by-stage"]),
    reverse("indicator:report-table-json", args=[YEAR, "indicator-by-statement"]),
]


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("role", ROLES)
def test_only_facilitators(client, cast, role, url):
    client.force_login(getattr(cast, role))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", URLS)
def test_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("url", URLS)
def test_facilitators_see_it(facilitator_client, url):
    assert facilitator_client.get(url).status_code == 200


# --- Queries ------------------------------------------------------------------------------------


def grow(cast, count):
    """count more groups, each with a need, an opened dialogue, two suppliers, a question and
    two meeting times, across stages, themes, outcomes and two years."""
    now = timezone.now()
    stages, themes = list(Stage.values), list(Theme.values)
    outcomes = ["", "procured", "continuing", "abandoned"]
    start = BuyerGroup.objects.count()
    groups = BuyerGroup.objects.bulk_create(
        BuyerGroup(
            name=f"Grupp {start + i}",
            slug=f"grupp-{start + i}",
            theme=themes[i % len(themes)],
            current_stage=stages[i % len(stages)],
            summary="s",
            challenge="c",
            outcome=outcomes[i % 4],
            ended_on=(now - timedelta(days=i % 500)).date() if i % 4 else None,
            ending_procedure="open" if i % 4 == 1 else "",
        )
        for i in range(count)
    )
    needs = NeedStatement.objects.bulk_create(NeedStatement(group=group) for group in groups)
    dialogues = Dialogue.objects.bulk_create(
        Dialogue(
            group=group,
            need=need,
            title="d",
            purpose="p",
            question_deadline=now,
            submission_deadline=now,
            state="open",
            opened_at=now - timedelta(days=i % 500),
        )
        for i, (group, need) in enumerate(zip(groups, needs, strict=True))
    )
    suppliers = Organisation.objects.bulk_create(
        Organisation(
            name=f"Leverantör {start + i}",
            kind="supplier",
            organisation_number=next_number("55"),
            size_class=cast.sizes[i % len(cast.sizes)] if i % 3 else None,
            status="verified",
        )
        for i in range(count)
    )
    Participation.objects.bulk_create(
        Participation(dialogue=dialogue, organisation=supplier)
        for i, dialogue in enumerate(dialogues)
        for supplier in (suppliers[i], suppliers[(i + 1) % count])
    )
    Question.objects.bulk_create(
        Question(
            dialogue=d, organisation=suppliers[i], text="q", created_at=now - timedelta(days=i % 500), answer_due_at=now
        )
        for i, d in enumerate(dialogues)
    )
    MeetingSlot.objects.bulk_create(
        MeetingSlot(
            dialogue=d,
            starts_at=now + timedelta(days=offset),
            ends_at=now + timedelta(days=offset, hours=1),
            organisation=suppliers[i] if offset < 0 else None,
        )
        for i, d in enumerate(dialogues)
        for offset in (-3 - i % 300, 5)
    )


def count_queries(client, path, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params or {})
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return len(queries)


@pytest.mark.parametrize(
    ("path", "params"),
    [
        (reverse("indicator:programme"), None),
        (reverse("indicator:programme"), {"year": "all"}),
        (reverse("indicator:report", args=[YEAR]), None),
        (reverse("indicator:report-json", args=[YEAR]), None),
        (reverse("indicator:report-table-csv", args=[YEAR, "suppliers-by-size"]), None),
    ],
)
def test_query_count_is_the_same_for_5_and_200_groups(facilitator_client, cast, path, params):
    for organisation in (cast.vaxjo, cast.lund):
        answer(organisation, YEAR, [3] * 6)
    grow(cast, 5)
    small = count_queries(facilitator_client, path, params)
    grow(cast, 195)
    assert BuyerGroup.objects.count() == 200
    large = count_queries(facilitator_client, path, params)
    assert large == small, f"{small} queries with 5 groups, {large} with 200"


def test_the_two_hundred_are_counted(facilitator_client, cast):
    grow(cast, 200)
    response = facilitator_client.get(reverse("indicator:programme"), {"year": "all"})
    outcome = response.context["snapshot_tables"][2]
    assert outcome.rows[-1].values == [200]
