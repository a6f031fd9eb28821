"""Conflicts of interest: a group user declares, and someone else clears a declared conflict."""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import record as record_audit
from dialogues.models import ConflictDeclaration, Dialogue
from dialogues.services.shared import DialogueRuleError
from notifications.services import notify


@transaction.atomic
def declare_conflict(*, dialogue, user, has_conflict, description="") -> ConflictDeclaration:
    """Append the user's own declaration. A conflict may always be declared (again); "no
    conflict" is refused (DialogueRuleError) while the user's current entry is a declared
    conflict: only someone else clears it (clear_conflict). A declared conflict is audited."""
    Dialogue.objects.select_for_update().filter(pk=dialogue.pk).first()  # one entry per dialogue at a time
    current = dialogue.conflict_declarations.current().filter(user=user).first()
    if not has_conflict and current is not None and current.blocks_proposals:
        raise DialogueRuleError(
            _("You have declared a conflict of interest here. Only someone else can clear it; you cannot undo it.")
        )
    declaration = ConflictDeclaration.objects.create(
        dialogue=dialogue, user=user, has_conflict=has_conflict, description=description if has_conflict else ""
    )
    if has_conflict:
        record_audit(
            actor=user,
            action=Action.CONFLICT_DECLARED,
            target=declaration,
            group=dialogue.group,
            reason=declaration.description,
            detail=dialogue.title,
        )
    return declaration


@transaction.atomic
def clear_conflict(*, dialogue, person, user, reason) -> ConflictDeclaration:
    """Clear `person`'s declared conflict of interest: a new entry (no conflict, cleared_by
    `user`, the reason), audited; the person is told after commit. The caller has checked that
    `user` may clear it (dialogues.access.get_conflict_to_clear); clearing one's own conflict,
    clearing without a reason and clearing what is not a declared conflict raise DialogueRuleError."""
    if user.pk == person.pk:
        raise DialogueRuleError(_("You cannot clear a conflict of interest you declared yourself."))
    if not reason.strip():
        raise DialogueRuleError(_("Give the reason why the conflict of interest no longer stands in the way."))
    Dialogue.objects.select_for_update().filter(pk=dialogue.pk).first()
    current = dialogue.conflict_declarations.current().filter(user=person).first()
    if current is None or not current.blocks_proposals:
        raise DialogueRuleError(
            _("%(person)s has no declared conflict of interest to clear.") % {"person": person.display_name}
        )
    clearance = ConflictDeclaration.objects.create(
        dialogue=dialogue, user=person, has_conflict=False, cleared_by=user, reason=reason.strip()
    )
    record_audit(
        actor=user,
        action=Action.CONFLICT_CLEARED,
        target=clearance,
        group=dialogue.group,
        reason=clearance.reason,
        detail=dialogue.title,
    )
    notify(
        kind="conflict_cleared",
        recipients=[person],
        params={"dialogue": dialogue.title, "person": user.display_name, "reason": clearance.reason},
        url=reverse("dialogues:declaration-list", args=[dialogue.pk]),
        place=dialogue,
        target=dialogue,
        actor=user,
    )
    return clearance
