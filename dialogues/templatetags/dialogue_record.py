from datetime import datetime

from django import template
from django.utils.formats import date_format

register = template.Library()


@register.filter
def record_time(value: str | None) -> str:
    """A record's ISO 8601 time, shown in the reader's date format (the record keeps the ISO text)."""
    if not value:
        return "–"
    try:
        return date_format(datetime.fromisoformat(value), "DATETIME_FORMAT")
    except ValueError:
        return value
