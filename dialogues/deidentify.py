"""Does a text about to go to every participant (or the public) identify a supplier?

PRODUCT.md §2.4 "Fair by construction": every text that goes to all participants or the
public is checked against every participating supplier's identifying words before it is
published. `identifying_matches` finds them; dialogues/services.py: `guard_identity` holds a
text back on a match unless the group overrides with a reason (which goes to the audit log).
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Match:
    """One thing in the text that identifies a supplier: `found` is what the text says, `what`
    says (for people) what it identifies."""

    found: str
    what: str


def identifying_matches(dialogue, *texts: str) -> list[Match]:
    """What in `texts` identifies any organisation that takes or took part in the dialogue, or
    any of their people. (Groundwork: the full rules are being written.)"""
    text = "\n".join(texts).casefold()
    matches = []
    for participation in dialogue.participations.select_related("organisation"):
        organisation = participation.organisation
        for candidate in (organisation.name, organisation.organisation_number):
            if candidate and candidate.casefold() in text:
                matches.append(Match(found=candidate, what=_("a participating supplier")))
    return matches
