"""Labels for the codes that groups keep in snapshots (need versions' requirements, commitment
history): the snapshot keeps the code, the page shows it in the reader's language."""

from django import template

from groups.models import Endorsement, Priority

register = template.Library()


def _label(choices, code) -> str:
    try:
        return str(choices(code).label)
    except ValueError:  # a code from before the choices changed: show it as stored
        return "" if code is None else str(code)


@register.filter
def priority_label(code: str) -> str:
    return _label(Priority, code)


@register.filter
def commitment_label(code: str) -> str:
    return _label(Endorsement.Commitment, code)
