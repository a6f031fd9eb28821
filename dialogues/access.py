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
- A proposal's request for confidentiality (which parts are trade secrets and why) and its
  attachments' names: the same people, the supplier and the users of the group's member
  authorities, wherever they appear (the record, the access log, the audit log). Facilitators
  and coordinators outside the member authorities see that secrecy is claimed, not the claim.
- Conflicts of interest (jäv) are an append-only history per person and dialogue; the latest
  entry is the person's state (ConflictDeclaration.objects.current()). A person may always
  declare a conflict, but once it is declared only someone else clears it: a coordinator other
  than the person, or a facilitator, with a reason. Until then the proposals stay closed.
- Participant list, conflict-of-interest declarations, access log: the group
  (declarations: coordinators and facilitators); exports: coordinators and facilitators.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from accounts.models import Organisation, OrganisationMember, User
from dialogues.models import Answer, ConflictDeclaration, Dialogue, MeetingSlot, Participation, Question, Submission
from groups.access import GroupAccess, group_access, groups_of_member_user, groups_with_workspace_for
from groups.models import BuyerGroup, Coordinator, NeedStatement


class RefusalWithNextStep(PermissionDenied):
    """A 403 that also tells the person what to do next: home.views.permission_denied shows
    `note` and a link to `link_url` on the 403 page."""

    def __init__(self, message, *, link_url, link_text, note=""):
        super().__init__(message)
        self.link_url, self.link_text, self.note = link_url, link_text, note


@dataclass(frozen=True)
class DialogueAccess:
    """What one user may do in one dialogue, worked out with a handful of queries."""

    dialogue: Dialogue
    group: GroupAccess
    supplier_organisations: tuple = ()  # the user's verified supplier organisations
    participant_organisations: tuple = ()  # … of them, the ones taking part now
    own_organisation_ids: frozenset = frozenset()  # every organisation the user works for
    has_unverified_supplier: bool = False
    declaration: ConflictDeclaration | None = None  # the user's current entry (a group user's)
    user_id: int | None = None

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
    def can_see_submission_log(self) -> bool:
        """Who opened which proposal: the group's member users, coordinators and facilitators."""
        return self.is_group_user or self.can_manage

    @property
    def needs_declaration(self) -> bool:
        return self.is_group_user and self.declaration is None

    @property
    def has_declared_no_conflict(self) -> bool:
        """The current entry opens the proposals: "no conflict", or a conflict someone else cleared."""
        return self.declaration is not None and not self.declaration.blocks_proposals

    @property
    def has_open_conflict(self) -> bool:
        return self.declaration is not None and self.declaration.blocks_proposals

    @property
    def can_declare_no_conflict(self) -> bool:
        """A declared conflict is not undone by the person it blocks (see can_clear_conflict_of)."""
        return self.is_group_user and not self.has_open_conflict

    def can_clear_conflict_of(self, person_id) -> bool:
        """A declared conflict is cleared by a coordinator other than the person, or a facilitator;
        never by the person themselves."""
        return person_id != self.user_id and (self.group.is_coordinator or self.group.is_facilitator)

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
    def can_approve_short_notice(self) -> bool:
        """A deadline shortened below the minimum notice needs a facilitator's approval (the
        service checks it again: dialogues.services.amendments.amend_dialogue)."""
        return self.group.is_facilitator

    @property
    def can_withdraw_answers(self) -> bool:
        """Coordinators and facilitators withdraw a published answer or clarification."""
        return self.can_manage

    @property
    def can_see_withdrawn_text(self) -> bool:
        """A withdrawn entry's text (it may be what identified a supplier): those who see every
        question as asked. Everyone else sees only that it was withdrawn, and why."""
        return self.can_see_all_questions

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

    @property
    def can_read_confidentiality_requests(self) -> bool:
        """Every proposal's request for confidentiality (parts and reason) and its attachments'
        names: the users of the group's member authorities (a facilitator only through one).
        Opening a proposal's content needs a declaration as well (can_open_submission); the
        claim is what the member authorities decide on, so it is not behind one."""
        return self.is_group_user

    def can_read_confidentiality_request(self, submission: Submission) -> bool:
        """The same for one proposal: its own supplier reads it too."""
        return self.is_own(submission.organisation_id) or self.can_read_confidentiality_requests

    def can_open_submission(self, submission: Submission) -> bool:
        """Seeing that a proposal exists is not opening it: a group user opens one only while
        their current declaration is "no conflict" (require_declaration_to_open says why not)."""
        return self.is_own(submission.organisation_id) or (
            self.can_see_submission(submission) and self.has_declared_no_conflict
        )

    def can_see_minutes(self, slot: MeetingSlot) -> bool:
        # Minutes may hold what a supplier told in confidence: not for observers or other suppliers.
        return self.is_group_user or self.group.is_facilitator or self.is_own(slot.organisation_id)

    def can_write_minutes(self, slot: MeetingSlot) -> bool:
        """The group's member users, of a booked meeting whose clarification is not yet published."""
        return self.is_group_user and slot.is_booked and slot.clarification_id is None

    def is_own_booking(self, slot: MeetingSlot) -> bool:
        return slot.organisation_id is not None and self.is_own(slot.organisation_id)


def dialogue_access(user, dialogue: Dialogue) -> DialogueAccess:
    access = group_access(user, dialogue.group)
    if not user.is_authenticated:
        return DialogueAccess(dialogue=dialogue, group=access)
    organisations = [a.organisation for a in user.active_affiliations]
    suppliers = tuple(o for o in organisations if o.kind == Organisation.Kind.SUPPLIER and o.is_verified)
    participating = (
        set(
            dialogue.participations.active()
            .filter(organisation__in=[o.pk for o in suppliers])
            .values_list("organisation_id", flat=True)
        )
        if suppliers
        else set()
    )
    declaration = None
    if access.is_member:
        # The person's current entry (ConflictDeclaration.objects.current()) is their latest:
        # asked for directly, one person and dialogue need no subquery.
        declaration = (
            dialogue.conflict_declarations.filter(user=user)
            .select_related("cleared_by")
            .order_by("-declared_at", "-pk")
            .first()
        )
    return DialogueAccess(
        dialogue=dialogue,
        group=access,
        supplier_organisations=suppliers,
        participant_organisations=tuple(o for o in suppliers if o.pk in participating),
        own_organisation_ids=frozenset(o.pk for o in organisations),
        has_unverified_supplier=any(o.kind == Organisation.Kind.SUPPLIER and not o.is_verified for o in organisations),
        declaration=declaration,
        user_id=user.pk,
    )


# --- The same rules for many objects at once ---------------------------------------------
# Each queryset is the twin of one DialogueAccess rule above; tests/dialogues/test_access_twins.py
# holds them to the same answer for every user and object. (Search has its own filters, held to
# these rules by tests/search/test_access.py.)


def dialogues_visible_to(user):
    """DialogueAccess.can_see_dialogue: every open or closed dialogue, and the drafts of the
    groups whose workspace the user sees."""
    return Dialogue.objects.published() | Dialogue.objects.filter(group__in=groups_with_workspace_for(user))


def dialogues_taken_part_in_by(user):
    """DialogueAccess.is_participant: the dialogues that a verified supplier organisation of
    the user takes part in now."""
    if not user.is_authenticated:
        return Dialogue.objects.none()
    suppliers = Organisation.objects.verified().filter(staff__user=user, kind=Organisation.Kind.SUPPLIER)
    taking_part = Participation.objects.active().filter(organisation__in=suppliers)
    return Dialogue.objects.filter(pk__in=taking_part.values("dialogue_id"))


def dialogues_with_every_question_for(user):
    """DialogueAccess.can_see_all_questions: every dialogue for facilitators; for everyone else
    the dialogues of the groups where they work for a member authority."""
    if not user.is_authenticated:
        return Dialogue.objects.none()
    if user.is_facilitator:
        return Dialogue.objects.all()
    return Dialogue.objects.filter(group__in=groups_of_member_user(user))


def groups_with_confidentiality_requests_for(user):
    """DialogueAccess.can_read_confidentiality_requests: the groups where the user works for a
    member authority. The audit log asks this (registered in dialogues/apps.py) before it shows
    the confidential part of an entry, such as the name of a proposal's attachment."""
    return groups_of_member_user(user)


def submissions_visible_to(user):
    """DialogueAccess.can_see_submission: the proposals of the user's own organisations, and
    every proposal in the dialogues of the groups where the user works for a member authority."""
    if not user.is_authenticated:
        return Submission.objects.none()
    own = OrganisationMember.objects.filter(user=user).values("organisation_id")
    return Submission.objects.filter(Q(organisation__in=own) | Q(dialogue__group__in=groups_of_member_user(user)))


# --- Fetch or refuse ---------------------------------------------------------------------


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


def can_start_dialogue(access: GroupAccess, group: BuyerGroup) -> bool:
    """Coordinators and facilitators start a dialogue, once the group has published a need and
    while the group has not ended."""
    return access.can_manage and not group.is_ended and group.needs.filter(state=NeedStatement.State.PUBLISHED).exists()


def get_dialogue_for_public_record(user, pk, *, publishing=False) -> tuple[Dialogue, DialogueAccess]:
    """The public record: everyone reads it once it is published; coordinators and facilitators
    preview it before and publish it (publishing=True: anyone else gets 403). 404 for others
    while nothing is published."""
    dialogue, access = get_dialogue(user, pk)
    if publishing and not access.can_manage:
        raise PermissionDenied(_("Only the group's coordinators and facilitators can do this."))
    if dialogue.public_record is None and not access.can_manage:
        raise Http404
    return dialogue, access


# --- Questions and answers ---------------------------------------------------------------


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


def require_can_ask(access: DialogueAccess) -> None:
    if not access.participant_organisations:
        raise PermissionDenied(_("Register your organisation to take part before asking a question."))


def require_can_answer(access: DialogueAccess) -> None:
    """Member users draft answers and clarifications (and corrections); coordinators and
    facilitators too."""
    if not access.can_answer:
        raise PermissionDenied(_("Only the group answers questions in the dialogue."))


def get_answer(user, dialogue_pk, pk) -> tuple[Dialogue, DialogueAccess, Answer]:
    """A published entry (with its published corrections) for whoever may read the answers (403
    for the others who see the dialogue); a draft only for those who may answer (404 for the rest)."""
    dialogue, access = get_dialogue(user, dialogue_pk)
    corrections = Prefetch("amendments", queryset=Answer.objects.published().order_by("number"))
    answer = get_object_or_404(dialogue.answers.select_related("amends").prefetch_related(corrections), pk=pk)
    if answer.is_published and not access.can_see_answers:
        raise PermissionDenied(_("The questions and answers are for the suppliers taking part and the group."))
    if not answer.is_published and not access.can_answer:
        raise Http404
    return dialogue, access, answer


def get_answer_for_publishing(user, dialogue_pk, pk) -> tuple[Dialogue, DialogueAccess, Answer]:
    """As get_answer, for a coordinator or a facilitator to publish (403 for anyone else)."""
    dialogue, access, answer = get_answer(user, dialogue_pk, pk)
    if not access.can_manage:
        raise PermissionDenied(_("Only the group's coordinators publish answers."))
    return dialogue, access, answer


def get_answer_to_withdraw(user, dialogue_pk, pk) -> tuple[Answer, DialogueAccess]:
    """A published entry, for a coordinator or a facilitator to withdraw. Whoever may read the
    entry but not withdraw it gets 403; a draft or an unknown entry is 404."""
    dialogue, access = get_dialogue(user, dialogue_pk)
    answer = get_object_or_404(dialogue.answers.published().select_related("amends"), pk=pk)
    if not access.can_see_answers:
        raise PermissionDenied(_("The questions and answers are for the suppliers taking part and the group."))
    if not access.can_withdraw_answers:
        raise PermissionDenied(_("Only the group's coordinators and facilitators can withdraw a published entry."))
    answer.dialogue = dialogue
    return answer, access


# --- Proposals ---------------------------------------------------------------------------


def require_can_send_proposal(access: DialogueAccess) -> None:
    """A supplier's own proposal page is for the organisations taking part. The group's other
    workspace users are told that proposals are for its member users; suppliers, to register first."""
    if access.participant_organisations:
        return
    if access.group.can_see_workspace:
        raise PermissionDenied(_("Proposals are seen only by the users of the group's member authorities."))
    require_supplier_can_act(access)
    raise PermissionDenied(_("Register your organisation to take part before sending a proposal."))


def get_dialogue_for_submission_log(user, pk) -> tuple[Dialogue, DialogueAccess]:
    """Who opened which proposal: the group's member users, coordinators and facilitators; 403
    for the group's observers, 404 for everyone else."""
    dialogue, access = get_dialogue_for_group(user, pk)
    if not access.can_see_submission_log:
        raise PermissionDenied(_("Proposals are seen only by the users of the group's member authorities."))
    return dialogue, access


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
    """Group users open a supplier's proposal only while their current declaration is "no
    conflict" (or a conflict someone else cleared). The 403 page links to the declaration form
    and says who can clear a declared conflict."""
    if access.can_open_submission(submission):
        return
    link_url = reverse("dialogues:declaration-list", args=[access.dialogue.pk])
    if access.declaration is None:
        raise RefusalWithNextStep(
            _("Declare whether you have a conflict of interest in this dialogue before you open proposals."),
            link_url=link_url,
            link_text=_("Declare now"),
            note=conflict_clearers_text(access.dialogue, access.user_id),
        )
    raise RefusalWithNextStep(
        _("You have declared a conflict of interest in this dialogue, so you cannot open proposals."),
        link_url=link_url,
        link_text=_("Your declarations"),
        note=conflict_clearers_text(access.dialogue, access.user_id),
    )


# --- Meetings ----------------------------------------------------------------------------


def get_meeting_slot(user, dialogue_pk, pk) -> tuple[Dialogue, DialogueAccess, MeetingSlot]:
    """A meeting time of the dialogue, on the pages of those who see the questions and answers."""
    dialogue, access = get_dialogue_for_answers(user, dialogue_pk)
    slot = get_object_or_404(MeetingSlot.objects.select_related("dialogue", "organisation"), pk=pk, dialogue=dialogue)
    return dialogue, access, slot


def get_meeting_slot_for_minutes(user, dialogue_pk, pk) -> tuple[Dialogue, DialogueAccess, MeetingSlot]:
    """The minutes: the group's member users, facilitators and the supplier that met the group;
    404 for everyone else (they may hold what a supplier told in confidence)."""
    dialogue, access, slot = get_meeting_slot(user, dialogue_pk, pk)
    if not access.can_see_minutes(slot):
        raise Http404
    return dialogue, access, slot


def require_can_offer_meetings(access: DialogueAccess) -> None:
    """Coordinators and facilitators offer meeting times and remove them."""
    if not access.can_manage:
        raise PermissionDenied(_("Only the group's coordinators offer meeting times."))


def require_can_cancel_booking(access: DialogueAccess, slot: MeetingSlot) -> None:
    if not (access.is_own_booking(slot) or access.can_manage):
        raise PermissionDenied(_("Only the supplier that booked the meeting, or a coordinator, can cancel it."))


def require_can_write_minutes(access: DialogueAccess, slot: MeetingSlot) -> None:
    if not access.can_write_minutes(slot):
        raise PermissionDenied(_("Only the group's member users write the minutes of a meeting."))


# --- Conflicts of interest ---------------------------------------------------------------


def get_dialogue_for_declarations(user, pk) -> tuple[Dialogue, DialogueAccess]:
    """The declarations page: member users declare their own, coordinators and facilitators see
    everyone's; 403 for the group's observers, 404 for everyone else."""
    dialogue, access = get_dialogue_for_group(user, pk)
    if not (access.is_group_user or access.can_see_declarations):
        raise PermissionDenied(_("Conflicts of interest are declared by the users of the group's member authorities."))
    return dialogue, access


def require_can_declare(access: DialogueAccess) -> None:
    if not access.is_group_user:
        raise PermissionDenied(_("Conflicts of interest are declared by the users of the group's member authorities."))


def conflict_clearers(dialogue: Dialogue, person_id) -> tuple[list[str], list[str]]:
    """Who may clear the person's declared conflict, by name: the group's other coordinators,
    and Upphandlingsmyndigheten's facilitators (two queries)."""
    coordinators = (
        User.objects.filter(
            pk__in=Coordinator.objects.filter(group_id=dialogue.group_id).values("user_id"),
            is_active=True,
            deleted_at__isnull=True,
        )
        .exclude(pk=person_id)
        .order_by("name", "email")
    )
    facilitators = (
        User.objects.facilitators()
        .filter(is_active=True, deleted_at__isnull=True)
        .exclude(pk=person_id)
        .order_by("name", "email")
    )
    return [u.display_name for u in coordinators], [u.display_name for u in facilitators]


def conflict_clearers_text(dialogue: Dialogue, person_id) -> str:
    """The sentence that tells a person who can clear a conflict of interest they declared."""
    coordinators, facilitators = conflict_clearers(dialogue, person_id)
    facilitating = (
        _("a facilitator at Upphandlingsmyndigheten (%(names)s)") % {"names": get_text_list(facilitators, _("or"))}
        if facilitators
        else _("a facilitator at Upphandlingsmyndigheten")
    )
    if coordinators:
        return _(
            "A declared conflict of interest is cleared only by someone else: another coordinator of the "
            "group (%(coordinators)s) or %(facilitators)s."
        ) % {"coordinators": get_text_list(coordinators, _("or")), "facilitators": facilitating}
    return _("A declared conflict of interest is cleared only by someone else: %(facilitators)s.") % {
        "facilitators": facilitating
    }


def get_conflict_to_clear(user, pk, person_pk) -> tuple[Dialogue, DialogueAccess, ConflictDeclaration]:
    """For clearing a person's declared conflict: the dialogue, the user's access and the
    person's current entry (with its user). 404 for those outside the workspace and
    for people who never declared here; 403 for anyone but another coordinator or a facilitator."""
    dialogue, access = get_dialogue_for_group(user, pk)
    if not access.can_see_declarations:
        raise PermissionDenied(_("Only the group's coordinators and facilitators can clear a conflict of interest."))
    declaration = (
        dialogue.conflict_declarations.current().filter(user_id=person_pk).select_related("user", "cleared_by").first()
    )
    if declaration is None:
        raise Http404
    if not access.can_clear_conflict_of(declaration.user_id):
        raise PermissionDenied(
            _("You cannot clear a conflict of interest you declared yourself.")
            + " "
            + conflict_clearers_text(dialogue, declaration.user_id)
        )
    return dialogue, access, declaration


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
