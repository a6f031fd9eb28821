"""The code lists of the OpenAPI document, named once (settings.SPECTACULAR_SETTINGS)."""

from accounts.models import Organisation
from dialogues.models import Answer
from groups.models import BuyerGroup

ORGANISATION_KINDS = Organisation.Kind.choices
OUTCOMES = BuyerGroup.Outcome.choices
ANSWER_KINDS = Answer.Kind.choices
