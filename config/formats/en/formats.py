"""English dates that cannot be misread: the day before the month's name, a 24-hour clock.
Django's American defaults (12/04/2026, "Dec. 4, 2026, 1:35 p.m.") read as another day to
most of our readers (issue 19). Anything not set here falls back to Django's English formats."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y H:i"
MONTH_DAY_FORMAT = "j F"
