"""How the audit log words the details of the groups' entries (audit/details.py): the log keeps
a stage or a role by its code and the reader sees its label in their own language. Entries
written before a detail became a code (a stage's label in the actor's language) read as stored.
Registered in apps.py."""

from django.utils.translation import gettext as _

from audit.details import register_detail
from audit.models import Action
from groups.models import Membership, Stage

MEMBERSHIP_ROLE_ACTIONS = (
    Action.MEMBERSHIP_REQUESTED,
    Action.MEMBERSHIP_APPROVED,
    Action.MEMBERSHIP_DECLINED,
    Action.INVITATION_SENT,
    Action.INVITATION_ACCEPTED,
    Action.INVITATION_DECLINED,
)
# Why a coordinator was removed when nobody gave a reason: the code the service writes.
COORDINATOR_LEFT_WITH_ORGANISATION = "membership_ended"


def _stage(entry, readable: bool) -> str | None:
    return str(dict(Stage.choices)[entry.detail]) if entry.detail in Stage.values else None


def _membership_role(entry, readable: bool) -> str | None:
    # Organisations invite colleagues with roles of their own (accounts): only a membership's role here.
    if entry.target_type != "groups.membership" or entry.detail not in Membership.Role.values:
        return None
    return str(dict(Membership.Role.choices)[entry.detail])


def _group_created(entry, readable: bool) -> str | None:
    if "organisation" not in entry.params:
        return None
    return _("first member: %(organisation)s") % {"organisation": entry.params["organisation"]}


def _coordinator_removed(entry, readable: bool) -> str | None:
    if entry.detail == COORDINATOR_LEFT_WITH_ORGANISATION:
        return _("their organisation is no longer a member")
    return None


def register_audit_details() -> None:
    register_detail(Action.GROUP_STAGE_CHANGED, _stage)
    register_detail(Action.GROUP_CREATED, _group_created)
    register_detail(Action.COORDINATOR_REMOVED, _coordinator_removed)
    for action in MEMBERSHIP_ROLE_ACTIONS:
        register_detail(action, _membership_role)
