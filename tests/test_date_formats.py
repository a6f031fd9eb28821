"""One way to write a date per language (issue 19): Swedish as Django writes it ("4 december
2026 13:05", short "2026-12-04"), English with the day before the month's name and a 24-hour
clock (config/formats/en), never "12/04/2026" or "Dec. 4, 2026, 1:05 p.m."."""

from datetime import datetime

import pytest
from django.utils import formats, translation

MOMENT = datetime(2026, 12, 4, 13, 5)


@pytest.mark.parametrize(
    ("language", "format_name", "shown"),
    [
        ("sv", "DATE_FORMAT", "4 december 2026"),
        ("sv", "DATETIME_FORMAT", "4 december 2026 13:05"),
        ("sv", "SHORT_DATE_FORMAT", "2026-12-04"),
        ("en", "DATE_FORMAT", "4 December 2026"),
        ("en", "DATETIME_FORMAT", "4 December 2026 13:05"),
        ("en", "SHORT_DATE_FORMAT", "4 Dec 2026"),
        ("en", "SHORT_DATETIME_FORMAT", "4 Dec 2026 13:05"),
        ("en", "TIME_FORMAT", "13:05"),
    ],
)
def test_dates_read_one_way_in_each_language(language, format_name, shown):
    with translation.override(language):
        assert formats.date_format(MOMENT, format_name) == shown


def test_english_still_reads_the_dates_people_type():
    with translation.override("en"):
        assert "%Y-%m-%d" in formats.get_format("DATE_INPUT_FORMATS")
