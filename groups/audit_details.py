"""How the audit log words the details of the groups' entries (audit/details.py): the log keeps
a stage or a role by its code and the reader sees its label in their own language. Entries
written before a detail became a code hold the label in the language of whoever acted then
("Tidig dialog"); the log is append-only, so they are not rewritten: such a label is recognised
in any of the site's languages and shown in the reader's. Anything else reads as stored.
Registered in apps.py."""

from functools import cache

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import OrganisationMember
from audit.details import register_detail, transition
from audit.models import Action
from groups.models import BuyerGroup, Membership, NeedStatement, Procedure, Stage

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


@cache
def _codes_by_label(choices) -> dict[str, str]:
    """Every label of the choices, in each of the site's languages, with its code."""
    codes = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            codes.update({str(label): code for code, label in choices.choices})
    return codes


def _label(choices, detail: str) -> str | None:
    """The label of the code in the detail (or of the label an older entry holds), in the
    current language; None for anything else."""
    code = detail if detail in choices.values else _codes_by_label(choices).get(detail)
    return str(dict(choices.choices)[code]) if code is not None else None


def _stage(entry, readable: bool) -> str | None:
    return _label(Stage, entry.detail)


def _membership_role(entry, readable: bool) -> str | None:
    # Organisations invite colleagues with roles of their own (accounts' invitations).
    if entry.target_type == "accounts.invitation":
        return _label(OrganisationMember.Role, entry.detail)
    if entry.target_type != "groups.membership":
        return None
    return _label(Membership.Role, entry.detail)


def _need_state(entry, readable: bool) -> str | None:
    return transition(entry.detail, NeedStatement.State)


def _group_created(entry, readable: bool) -> str | None:
    if "organisation" not in entry.params:
        return None
    return _("first member: %(organisation)s") % {"organisation": entry.params["organisation"]}


def _coordinator_removed(entry, readable: bool) -> str | None:
    if entry.detail == COORDINATOR_LEFT_WITH_ORGANISATION:
        return _("their organisation is no longer a member")
    return None


def _group_ended(entry, readable: bool) -> str | None:
    """The outcome, and for a procured group the procedure and where it was advertised."""
    outcome = _label(BuyerGroup.Outcome, entry.detail)
    if outcome is None:
        return None
    procedure = _label(Procedure, entry.params.get("procedure", ""))
    where = entry.params.get("notice_reference") or entry.params.get("notice_url")
    return ", ".join(part for part in (outcome, procedure, where) if part)


def _group_reopened(entry, readable: bool) -> str | None:
    outcome = _label(BuyerGroup.Outcome, entry.detail)
    return _("had ended: %(outcome)s") % {"outcome": outcome} if outcome else None


def _contacts(entry, readable: bool) -> str | None:
    contacts = entry.params.get("contacts")
    if contacts is None:
        return None
    return ", ".join(str(contact) for contact in contacts) or _("no contact person")


def register_audit_details() -> None:
    register_detail(Action.GROUP_CONTACTS_CHANGED, _contacts)
    register_detail(Action.GROUP_STAGE_CHANGED, _stage)
    register_detail(Action.GROUP_CREATED, _group_created)
    register_detail(Action.GROUP_ENDED, _group_ended)
    register_detail(Action.GROUP_REOPENED, _group_reopened)
    register_detail(Action.COORDINATOR_REMOVED, _coordinator_removed)
    register_detail(Action.NEED_STATE, _need_state)
    register_detail(Action.NEED_PUBLISHED, _need_state)
    for action in MEMBERSHIP_ROLE_ACTIONS:
        register_detail(action, _membership_role)
