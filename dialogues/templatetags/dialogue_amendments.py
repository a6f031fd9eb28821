"""How an amendment's changes read: the record and the Answer keep machine values (ISO times,
numbers, texts); they are shown here in the reader's language and date format."""

from datetime import datetime

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from dialogues.models import Dialogue

register = template.Library()

TEXT_FIELDS = ("title", "purpose", "schedule", "meeting_plan")


def _label(change: dict) -> str:
    if change.get("field") == "need_version":
        return gettext("need statement version")
    try:
        return str(Dialogue._meta.get_field(change.get("field", "")).verbose_name)
    except FieldDoesNotExist:
        return change.get("label", "")


def _value(field: str, value) -> str:
    if value is None or value == "":
        return "–"
    if field in ("question_deadline", "submission_deadline"):
        try:
            return date_format(timezone.localtime(datetime.fromisoformat(value)), "DATETIME_FORMAT")
        except (TypeError, ValueError):
            return str(value)
    if field == "answer_days":
        return ngettext("%(count)s working day", "%(count)s working days", int(value)) % {"count": value}
    if field == "need_version":
        return gettext("version %(number)s") % {"number": value}
    return str(value)


@register.filter
def amendment_lines(changes) -> list[dict]:
    """An amendment's changes as {label, old, new, approved_by, is_text}, ready to show; is_text
    says the values are the dialogue's own texts (in its language), not dates or numbers."""
    return [
        {
            "label": _label(change),
            "old": _value(change.get("field", ""), change.get("old")),
            "new": _value(change.get("field", ""), change.get("new")),
            "approved_by": change.get("short_notice_approved_by", ""),
            "is_text": change.get("field") in TEXT_FIELDS,
        }
        for change in changes or []
    ]
