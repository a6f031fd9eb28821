"""core.csv_export: the one CSV writer every export uses (record, audit log, indicator)."""

import csv
import io
from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import gettext_lazy

from core.csv_export import safe_cell, table_lines, table_response, write_table


@pytest.mark.parametrize(
    ("value", "written"),
    [
        # text a spreadsheet would run as a formula (OWASP CSV injection)
        ("=1+1", "'=1+1"),
        ('=HYPERLINK("http://evil.example","Klicka")', '\'=HYPERLINK("http://evil.example","Klicka")'),
        ("+46 70 123 45 67", "'+46 70 123 45 67"),
        ("-2+3", "'-2+3"),
        ("-5", "'-5"),  # text that looks like a number is still text someone typed
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\tindraget", "'\tindraget"),
        ("\r=1+1", "'\r=1+1"),
        # ... also behind leading whitespace
        ("  =1+1", "'  =1+1"),
        (" @SUM(A1)", "' @SUM(A1)"),
        ("\n-1", "'\n-1"),
        ("\u00a0+1", "'\u00a0+1"),
        # ordinary text, also with those characters further in
        ("", ""),
        ("Solvent Energi AB", "Solvent Energi AB"),
        ("a=b", "a=b"),
        ("e-post: sara@solvent.se", "e-post: sara@solvent.se"),
        ("2026-11-24T12:00:00+01:00", "2026-11-24T12:00:00+01:00"),
        ("'=redan skyddad", "'=redan skyddad"),
        ("Ålands bank", "Ålands bank"),
        # values that are not text
        (None, ""),
        (0, 0),
        (-42, -42),  # a number the platform computed: a spreadsheet reads it as a number
        (-3.5, -3.5),
        (Decimal("-1.25"), Decimal("-1.25")),
        (True, True),
        (7, 7),
    ],
)
def test_safe_cell(value, written):
    assert safe_cell(value) == written
    assert type(safe_cell(value)) is type(written)


def test_a_lazy_translation_is_written_as_its_text():
    with translation.override("en"):
        assert safe_cell(gettext_lazy("yes")) == "yes"


def read(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")  # spreadsheet programs then read å, ä and ö as UTF-8
    return list(csv.reader(io.StringIO(text[1:])))


ROWS = [["=1+1", -2, None, "rad\nmed radbrytning"], ["@x", 3.5, "ok", "-"]]
EXPECTED = [["Namn", "Tal", "Tom", "Text"], ["'=1+1", "-2", "", "rad\nmed radbrytning"], ["'@x", "3.5", "ok", "'-"]]


def test_write_table_into_a_text_stream():
    stream = io.StringIO(newline="")
    write_table(stream, ["Namn", "Tal", "Tom", "Text"], ROWS)
    assert read(stream.getvalue()) == EXPECTED


def test_table_lines_yield_one_line_per_row():
    lines = list(table_lines(["Namn", "Tal", "Tom", "Text"], iter(ROWS)))
    assert len(lines) == 3
    assert read("".join(lines)) == EXPECTED


def test_a_header_is_neutralised_too():
    assert read("".join(table_lines(["=Namn"], [])))[0] == ["'=Namn"]


def test_table_response_streams_the_rows():
    request = RequestFactory().get("/export.csv")
    response = table_response(
        request, filename="export-2026-12-04.csv", header=["Namn", "Tal", "Tom", "Text"], rows=ROWS
    )
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="export-2026-12-04.csv"'
    assert read(response.getvalue().decode("utf-8")) == EXPECTED
