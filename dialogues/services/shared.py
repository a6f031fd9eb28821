"""What every dialogue service shares: the errors they raise, the identity check before a text
goes to every participant or the public, and the people of the group's member authorities."""

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import User
from accounts.services import users_of_organisations
from audit.models import Action
from audit.services import record as record_audit
from dialogues.deidentify import Match, identifying_matches
from groups.models import BuyerGroup, Membership


class DialogueRuleError(Exception):
    """A rule of the dialogue was broken; the message is for people."""


class IdentifyingText(Exception):
    """The text to publish identifies a participating supplier or one of its people: it is held
    back until the group rewords it or overrides the check with a reason."""

    def __init__(self, matches: list[Match]):
        super().__init__("identifying text")
        self.matches = matches
        self.names = [match.found for match in matches]


def guard_identity(*, dialogue, texts, user, override_reason="", target=None) -> None:
    """Hold back `texts` (going to every participant or the public) if they identify a
    participating supplier: raise IdentifyingText with what matched. With an override reason the
    texts pass, and the override, with what matched and why, goes to the audit log."""
    matches = identifying_matches(dialogue, *texts)
    if not matches:
        return
    if not override_reason.strip():
        raise IdentifyingText(matches)
    record_audit(
        actor=user,
        action=Action.IDENTITY_CHECK_OVERRIDDEN,
        target=target or dialogue,
        group=dialogue.group,
        reason=override_reason.strip(),
        detail="; ".join(f"{match.found} ({match.kind}: {match.organisation})" for match in matches),
    )


def _local(moment) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _touch(group_id) -> None:
    BuyerGroup.objects.filter(pk=group_id).update(last_activity_at=timezone.now())


def group_member_users(group):
    """The people of the group's member authorities: they answer and read proposals."""
    return users_of_organisations(
        group.memberships.active().filter(role=Membership.Role.MEMBER).values("organisation_id")
    )


def anyone_of(*querysets):
    """The people in any of the user querysets, as one queryset (one query when evaluated)."""
    condition = Q()
    for queryset in querysets:
        condition |= Q(pk__in=queryset.values("pk"))
    return User.objects.filter(condition)
