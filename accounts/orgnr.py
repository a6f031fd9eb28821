"""Swedish organisationsnummer: NNNNNN-NNNN with a Luhn (mod 10) check digit.

Authorities (state, regions, municipalities) always have 2 or more as the third digit, so
their numbers can never be mistaken for a personnummer. Sole traders use their
personnummer as organisation number: accepted for suppliers, but never shown publicly.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_SHAPE = re.compile(r"^\d{6}-?\d{4}$")


def luhn_is_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return total % 10 == 0


def normalise_organisation_number(value: str) -> str:
    """Return the number as NNNNNN-NNNN, or raise ValidationError with a message for people."""
    cleaned = re.sub(r"\s", "", value or "")
    if cleaned.startswith("16") and len(cleaned.replace("-", "")) == 12:
        cleaned = cleaned[2:]  # the 12-digit form only prefixes "16"
    if not _SHAPE.match(cleaned):
        raise ValidationError(
            _("Write the organisation number as ten digits, NNNNNN-NNNN, for example 212000-0142."),
            code="format",
        )
    digits = cleaned.replace("-", "")
    if not luhn_is_valid(digits):
        raise ValidationError(
            _("The organisation number %(number)s has a wrong check digit. Check the number for typing errors."),
            params={"number": f"{digits[:6]}-{digits[6:]}"},
            code="check_digit",
        )
    return f"{digits[:6]}-{digits[6:]}"


def is_personal_number(number: str) -> bool:
    """A third digit below 2 means a personnummer (a sole trader): personal data."""
    return int(number[2]) < 2
