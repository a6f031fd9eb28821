"""The one place that answers "may this user see / do this in a market dialogue?".

Built on groups.access.GroupAccess. Views call the fetch-or-refuse helpers on their first
line: someone who may not see an object gets 404 (nothing to probe, and a supplier never
learns that another supplier's question or submission exists); a person who may see the
dialogue but lacks the role gets 403 with the reason.

Who sees what (PRODUCT.md §2.4, DOMAIN.md §2 and §4):
- Everyone: an open or closed dialogue's summary (purpose, schedule, deadlines, the
  published need with its aggregated demand, the number of participants). Drafts: only the
  group's workspace users.
- Participants (verified supplier organisations that registered) and the group's
  workspace users: the published, numbered questions and answers.
- A question before its answer is published: the asking organisation, the group's member
  users and facilitators.
- Submissions: the submitting organisation, and users of the group's MEMBER authorities
  (not observers, not facilitators who are not group members). Opening one also needs a
  "no conflict of interest" declaration for the dialogue.
- Participant list, conflict-of-interest declarations, access log: the group
  (declarations: coordinators and facilitators); exports: coordinators and facilitators.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.models import Organisation
from dialogues.models import ConflictDeclaration, Dialogue, MeetingSlot, Question, Submission
from groups.access import GroupAccess, group_access


@dataclass(frozen=True)
class DialogueAccess:
    """What one user may do in one dialogue, worked out with a handful of queries."""

    dialogue: Dialogue
    group: GroupAccess
    supplier_organisations: tuple = ()  # the user's verified supplier organisations
    participant_organisations: tuple = ()  # … of them, the ones taking part now
    own_organisation_ids: frozenset = frozenset()  # every organisation the user works for
    has_unverified_supplier: bool = False
    declaration: ConflictDeclaration | None = None

    @property
    def can_see_dialogue(self) -> bool:
        return self.dialogue.is_published or self.group.can_see_workspace

    @property
    def is_group_user(self) -> bool:
        """A user of one of the group's member authorities: reads submissions, answers questions."""
        return self.group.is_member

    @property
    def can_manage(self) -> bool:
        """Coordinators and facilitators open and close the dialogue and publish for the group."""
        return self.group.can_manage

    @property
    def is_participant(self) -> bool:
        return bool(self.participant_organisations)

    @property
    def can_see_answers(self) -> bool:
        return self.is_participant or self.group.can_see_workspace

    @property
    def can_see_all_questions(self) -> bool:
        return self.is_group_user or self.group.is_facilitator

    @property
    def can_answer(self) -> bool:
        """Member users draft answers and clarifications; publishing is can_manage."""
        return self.is_group_user or self.can_manage

    @property
    def can_see_participants(self) -> bool:
        return self.group.can_see_workspace

    @property
    def can_see_submission_list(self) -> bool:
        return self.is_group_user

    @property
    def needs_declaration(self) -> bool:
        return self.is_group_user and self.declaration is None

    @property
    def has_declared_no_conflict(self) -> bool:
        return self.declaration is not None and not self.declaration.has_conflict

    @property
    def can_open_submissions(self) -> bool:
        return self.is_group_user and self.has_declared_no_conflict

    @property
    def can_see_declarations(self) -> bool:
        return self.can_manage

    @property
    def can_export(self) -> bool:
        return self.can_manage

    @property
    def registrable_organisations(self) -> tuple:
        taking_part = {o.pk for o in self.participant_organisations}
        return tuple(o for o in self.supplier_organisations if o.pk not in taking_part)

    def is_own(self, organisation_id) -> bool:
        return organisation_id in self.own_organisation_ids

    def can_see_question(self, question: Question) -> bool:
        if self.can_see_all_questions or self.is_own(question.organisation_id):
            return True
        return question.is_answered and self.can_see_answers

    def can_see_original_question(self, question: Question) -> bool:
        """The original wording (before the group removed what identifies the asker)."""
        return self.can_see_all_questions or self.is_own(question.organisation_id)

    def can_see_submission(self, submission: Submission) -> bool:
        return self.is_own(submission.organisation_id) or self.is_group_user

    def can_see_minutes(self, slot: MeetingSlot) -> bool:
        # Minutes may hold what a supplier told in confidence: not for observers or other suppliers.
        return self.is_group_user or self.group.is_facilitator or self.is_own(slot.organisation_id)


def dialogue_access(user, dialogue: Dialogue) -> DialogueAccess:
    access = group_access(user, dialogue.group)
    if not user.is_authenticated:
        return DialogueAccess(dialogue=dialogue, group=access)
    organisations = [a.organisation for a in user.active_affiliations]
    suppliers = tuple(o for o in organisations if o.kind == Organisation.Kind.SUPPLIER and o.is_verified)
    participating = set(
        dialogue.participations.active()
        .filter(organisation__in=[o.pk for o in suppliers])
        .values_list("organisation_id", flat=True)
    )
    declaration = None
    if access.is_member:
        declaration = dialogue.conflict_declarations.filter(user=user).order_by("-declared_at", "-pk").first()
    return DialogueAccess(
        dialogue=dialogue,
        group=access,
        supplier_organisations=suppliers,
        participant_organisations=tuple(o for o in suppliers if o.pk in participating),
        own_organisation_ids=frozenset(o.pk for o in organisations),
        has_unverified_supplier=any(o.kind == Organisation.Kind.SUPPLIER and not o.is_verified for o in organisations),
        declaration=declaration,
    )


def get_dialogue(user, pk) -> tuple[Dialogue, DialogueAccess]:
    """The dialogue and the user's access if the user may see it at all; otherwise 404."""
    dialogue = get_object_or_404(Dialogue.objects.select_related("group", "need", "need__published_version"), pk=pk)
    access = dialogue_access(user, dialogue)
    if not access.can_see_dialogue:
        raise Http404
    return dialogue, access


def get_dialogue_for_group(user, pk, *, manage=False) -> tuple[Dialogue, DialogueAccess]:
    """For the group's own pages (participants, declarations, drafts): workspace users only;
    manage=True requires a coordinator or a facilitator."""
    dialogue, access = get_dialogue(user, pk)
    if not access.group.can_see_workspace:
        raise Http404
    if manage and not access.can_manage:
        raise PermissionDenied(_("Only the group's coordinators and facilitators can do this."))
    return dialogue, access


def get_dialogue_for_answers(user, pk) -> tuple[Dialogue, DialogueAccess]:
    """Questions and answers: participants and the group. Others are told to take part first."""
    dialogue, access = get_dialogue(user, pk)
    if not (access.can_see_answers or access.supplier_organisations):
        raise PermissionDenied(_("The questions and answers are for the suppliers taking part and the group."))
    return dialogue, access


def get_question(user, dialogue_pk, pk) -> tuple[Question, DialogueAccess]:
    dialogue, access = get_dialogue(user, dialogue_pk)
    question = get_object_or_404(Question.objects.select_related("answer"), pk=pk, dialogue=dialogue)
    if not access.can_see_question(question):
        raise Http404
    return question, access


def get_submission(user, dialogue_pk, pk) -> tuple[Submission, DialogueAccess]:
    """Visible to the submitting organisation and the group's member users; 404 for anyone else,
    so no supplier can even learn whether a competitor has submitted."""
    dialogue, access = get_dialogue(user, dialogue_pk)
    submission = get_object_or_404(
        Submission.objects.select_related("organisation", "latest_version"), pk=pk, dialogue=dialogue
    )
    if not access.can_see_submission(submission):
        raise Http404
    return submission, access


def require_declaration_to_open(access: DialogueAccess, submission: Submission) -> None:
    """Group users open a supplier's proposal only after declaring no conflict of interest."""
    if access.is_own(submission.organisation_id):
        return
    if access.declaration is None:
        raise PermissionDenied(
            _("Declare whether you have a conflict of interest in this dialogue before you open proposals.")
        )
    if access.declaration.has_conflict:
        raise PermissionDenied(
            _(
                "You have declared a conflict of interest in this dialogue, so you cannot open proposals. "
                "Ask a coordinator if your declaration should change."
            )
        )


def require_supplier_can_act(access: DialogueAccess) -> None:
    """Suppliers act only through a verified supplier organisation."""
    if access.supplier_organisations:
        return
    if access.has_unverified_supplier:
        raise PermissionDenied(
            _(
                "Your organisation has not been verified by Upphandlingsmyndigheten yet. "
                "Until it is, you can read but not take part."
            )
        )
    raise PermissionDenied(_("Only verified supplier organisations can take part in a market dialogue."))
