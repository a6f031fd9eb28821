from datetime import datetime

from django import template
from django.utils.formats import date_format

from audit.models import Action
from dialogues.models import Answer, SubmissionAccess
from dialogues.record import MODERATION_ACTIONS

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


@register.filter
def access_action_label(code: str) -> str:
    """The proposal access log's code ("view", "download", "export") in the reader's language."""
    try:
        return str(SubmissionAccess.Action(code).label)
    except ValueError:
        return code


@register.filter
def answer_kind_label(code: str) -> str:
    """An entry's kind ("answer", "clarification"…) in the reader's language."""
    try:
        return str(Answer.Kind(code).label)
    except ValueError:
        return code


_MODERATION_CODES = {code: action for action, code in MODERATION_ACTIONS.items()}


@register.filter
def moderation_action_label(code: str) -> str:
    """The record's moderation code ("hidden", "locked"…) in the reader's language."""
    action = _MODERATION_CODES.get(code)
    return str(Action(action).label) if action else code
