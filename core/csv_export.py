"""The one way the platform writes CSV: every export (the dialogue record's tables, the audit
log, the indicator) goes through here, so each is safe to open in a spreadsheet program.

CSV injection (OWASP): a spreadsheet runs a cell whose text starts with `=`, `+`, `-` or `@`
as a formula, and a tab or carriage return at the start can hide one; so can leading spaces,
which some spreadsheet programs skip before they look. Such a cell is written with an apostrophe in front, which the
spreadsheet shows as text and does not run. The apostrophe stays visible in a text editor;
that is the accepted price.

Numbers the platform itself writes (ints, floats, Decimals from its own columns and sums) are
written as numbers even when negative: Python can only spell them with digits, a sign, a
point and an exponent, which a spreadsheet reads as a number and never as a formula. Text is
neutralised even when it looks like a number ("-5" typed by a supplier), because text can
just as well be "-5+cmd|' /C calc'!A0" and we do not guess.

A byte order mark comes first so that spreadsheet programs read å, ä and ö as UTF-8.
"""

import csv
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.http import StreamingHttpResponse

from core.private_responses import mark_private
from core.streaming import streamed_lines

BYTE_ORDER_MARK = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value as a spreadsheet may safely read it: None as an empty cell, numbers as they
    are, and text that a spreadsheet would run as a formula behind an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal):  # bool is an int: written as True/False
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS) or text.lstrip().startswith(FORMULA_STARTS):
        return "'" + text
    return text


class SafeWriter:
    """csv.writer that neutralises every cell: writerow(values) and writerows(rows)."""

    def __init__(self, stream):
        self._writer = csv.writer(stream)

    def writerow(self, values: Iterable):
        return self._writer.writerow([safe_cell(value) for value in values])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


def write_table(stream, header: Iterable, rows: Iterable[Iterable]) -> None:
    """The byte order mark, the header and the rows into a text stream (opened with
    newline="", as the csv module wants)."""
    stream.write(BYTE_ORDER_MARK)
    writer = SafeWriter(stream)
    writer.writerow(header)
    writer.writerows(rows)


class _Echo:
    """csv.writer writes into this and gets the line back, so rows stream one by one."""

    def write(self, value):
        return value


def table_lines(header: Iterable, rows: Iterable[Iterable]) -> Iterator[str]:
    """The byte order mark and the header, then one CSV line per row as it is read."""
    writer = SafeWriter(_Echo())
    yield BYTE_ORDER_MARK + writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)


def table_response(request, *, filename: str, header: Iterable, rows: Iterable[Iterable]) -> StreamingHttpResponse:
    """A CSV download streamed row by row (rows may be a lazy generator over a queryset's
    iterator()), under WSGI and ASGI alike."""
    lines = streamed_lines(request, table_lines(header, rows))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return mark_private(response)
