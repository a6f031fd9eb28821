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
- Conflicts of interest (jäv) are an append-only history per person and dialogue; the latest
  entry is the person's state (ConflictDeclaration.objects.current()). A person may always
  declare a conflict, but once it is declared only someone else clears it: a coordinator other
  than the person, or a facilitator, with a reason. Until then the proposals stay closed.
- Participant list, conflict-of-interest declarations, access log: the group
  (declarations: coordinators and facilitators); exports: coordinators and facilitators.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from accounts.models import Organisation, OrganisationMember, User
from dialogues.models import (
    Answer,
    ConflictDeclaration,
    Dialogue,
    MeetingSlot,
    Message,
    Participation,
    Question,
    Submission,
    Thread,
)
from groups.access import GroupAccess, group_access
from groups.models import BuyerGroup, Coordinator, Membership


class RefusalWithNextStep(PermissionDenied):
    """A 403 that also tells the person what to do next: config.views.permission_denied shows
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
    def can_see_submission_list(self) -> bool:
        return self.is_group_user

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
        declaration = dialogue.conflict_declarations.current().filter(user=user).select_related("cleared_by").first()
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
    if access.is_own(submission.organisation_id) or access.has_declared_no_conflict:
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


# --- Discussion threads (issue 5) ---
#
# Who reads a discussion (PRODUCT.md §2.5):
# - a group's internal discussion: the group's workspace users (members, observers, facilitators);
# - a dialogue's open discussion: the suppliers taking part, the group's workspace users, facilitators;
# - a private discussion with one supplier: that supplier's people (still after it withdrew), the
#   users of the group's member authorities and its coordinators, facilitators. Not observers:
#   a supplier may tell the group things in confidence there.
# Who writes: the readers whose organisation is verified, while the discussion is not locked;
# suppliers only while the dialogue is open and their organisation takes part in it.
# Moderators (hide messages, lock the discussion): the group's coordinators and facilitators.


@dataclass(frozen=True)
class ThreadAccess:
    """What one user may do in one discussion."""

    thread: Thread
    can_read: bool = False
    can_moderate: bool = False
    is_group_side: bool = False  # reads as the group (or a facilitator), not as a supplier
    organisation: Organisation | None = None  # whom the user writes for here
    writing_refusal: str = ""  # why the user may not write even when the thread is unlocked

    @property
    def can_write_when_unlocked(self) -> bool:
        return self.can_read and not self.writing_refusal

    @property
    def can_post(self) -> bool:
        return self.can_write_when_unlocked and not self.thread.is_locked

    @property
    def refusal(self) -> str:
        """Why the user may not write here now, for people; empty when they may."""
        if not self.can_read:
            return _("You cannot read this discussion.")
        if self.writing_refusal:
            return self.writing_refusal
        if self.thread.is_locked:
            return _("This discussion is locked and takes no new messages.")
        return ""

    @property
    def is_supplier_side(self) -> bool:
        return self.can_read and not self.is_group_side


def thread_access(user, thread: Thread) -> ThreadAccess:
    """Works on an unsaved Thread too, so "may this user open the dialogue's discussion?" is
    answered by the same rules before the discussion exists."""
    if not user.is_authenticated:
        return ThreadAccess(thread=thread)
    if thread.kind == Thread.Kind.GROUP:
        group = group_access(user, thread.group)
        if not group.can_see_workspace:
            return ThreadAccess(thread=thread)
        return _writing_rules(user, thread, group, supplier_organisation=None)
    dialogue = dialogue_access(user, thread.dialogue)
    if thread.kind == Thread.Kind.DIALOGUE:
        if dialogue.group.can_see_workspace:
            return _writing_rules(user, thread, dialogue.group, supplier_organisation=None)
        if dialogue.is_participant:
            return _writing_rules(
                user, thread, dialogue.group, supplier_organisation=dialogue.participant_organisations[0]
            )
        return ThreadAccess(thread=thread)
    if dialogue.is_group_user or dialogue.can_manage:
        return _writing_rules(user, thread, dialogue.group, supplier_organisation=None)
    if dialogue.is_own(thread.supplier_id):
        taking_part = any(o.pk == thread.supplier_id for o in dialogue.participant_organisations)
        return _writing_rules(
            user, thread, dialogue.group, supplier_organisation=thread.supplier, taking_part=taking_part
        )
    return ThreadAccess(thread=thread)


def _writing_rules(user, thread, group: GroupAccess, *, supplier_organisation, taking_part=True) -> ThreadAccess:
    if supplier_organisation is None:
        speaking_for = next(
            iter(group.member_organisations + group.observer_organisations + tuple(user.verified_organisations)),
            None,
        )
    else:
        speaking_for = supplier_organisation
    from moderation.access import suspension_refusal  # moderation builds on this module

    refusal = ""
    if suspended := suspension_refusal(user, thread.group_id):
        refusal = suspended
    elif not user.can_act or (supplier_organisation is not None and not supplier_organisation.is_verified):
        refusal = _(
            "Your organisation has not been verified by Upphandlingsmyndigheten yet. "
            "Until it is, you can read but not write."
        )
    elif supplier_organisation is not None and not thread.dialogue.is_open:
        refusal = _("The dialogue is closed, so suppliers can no longer write here.")
    elif supplier_organisation is not None and not taking_part:
        refusal = _("Your organisation no longer takes part in the dialogue, so it cannot write here.")
    return ThreadAccess(
        thread=thread,
        can_read=True,
        can_moderate=group.can_manage,
        is_group_side=supplier_organisation is None,
        organisation=speaking_for,
        writing_refusal=refusal,
    )


def _threads():
    return Thread.objects.select_related("group", "dialogue", "dialogue__group", "supplier")


def get_thread_for_reader(user, pk) -> tuple[Thread, ThreadAccess]:
    """The discussion and the user's access if the user may read it; 404 for everyone else
    (a supplier never learns whether another supplier's private discussion exists)."""
    thread = get_object_or_404(_threads(), pk=pk)
    access = thread_access(user, thread)
    if not access.can_read:
        raise Http404
    return thread, access


def require_can_post(access: ThreadAccess) -> None:
    """Refuse (403, with the reason) a reader who may not write here now."""
    if not access.can_post:
        raise PermissionDenied(access.refusal)


def require_can_moderate(access: ThreadAccess) -> None:
    if not access.can_moderate:
        raise PermissionDenied(_("Only the group's coordinators and facilitators can moderate discussions."))


def get_message_for_reader(user, pk) -> tuple[Message, ThreadAccess]:
    message = get_object_or_404(Message.objects.select_related("author", "organisation", "hidden_by"), pk=pk)
    thread, access = get_thread_for_reader(user, message.thread_id)
    message.thread = thread
    return message, access


def get_message_for_author(user, pk) -> tuple[Message, ThreadAccess]:
    """The author's own message, for editing (whether it may still change is the service's
    rule: 15 minutes, not hidden, the author may still write here)."""
    message, access = get_message_for_reader(user, pk)
    if message.author_id != user.pk:
        raise PermissionDenied(_("You can only change your own messages."))
    return message, access


def get_dialogue_thread_place(user, dialogue_pk) -> tuple[Dialogue, Thread | None]:
    """The dialogue and its open discussion (None while nobody has opened it), if the user may
    read that discussion; otherwise 404."""
    dialogue = get_object_or_404(Dialogue.objects.select_related("group"), pk=dialogue_pk)
    existing = _threads().filter(dialogue=dialogue, kind=Thread.Kind.DIALOGUE).first()
    thread = existing or Thread(kind=Thread.Kind.DIALOGUE, group=dialogue.group, dialogue=dialogue)
    if not thread_access(user, thread).can_read:
        raise Http404
    return dialogue, existing


def get_private_thread_place(user, dialogue_pk, organisation_pk) -> tuple[Dialogue, Organisation, Thread | None]:
    """The dialogue, the supplier and their private discussion (None while it does not exist),
    if the user may read it: the supplier's own people, the group, facilitators; 404 for anyone
    else. A private discussion is only started with a supplier that takes part."""
    dialogue = get_object_or_404(Dialogue.objects.select_related("group"), pk=dialogue_pk)
    supplier = get_object_or_404(Organisation, pk=organisation_pk, kind=Organisation.Kind.SUPPLIER)
    existing = _threads().filter(dialogue=dialogue, kind=Thread.Kind.PRIVATE, supplier=supplier).first()
    thread = existing or Thread(kind=Thread.Kind.PRIVATE, group=dialogue.group, dialogue=dialogue, supplier=supplier)
    if not thread_access(user, thread).can_read:
        raise Http404
    if existing is None and not dialogue.participations.active().filter(organisation=supplier).exists():
        raise Http404
    return dialogue, supplier, existing


def require_can_start_group_thread(user, group_access_: GroupAccess, group=None) -> None:
    from moderation.access import suspension_refusal  # moderation builds on this module

    if not group_access_.can_see_workspace:
        raise Http404
    if group is not None and (suspended := suspension_refusal(user, group.pk)):
        raise PermissionDenied(suspended)
    if not user.can_act:
        raise PermissionDenied(
            _(
                "Your organisation has not been verified by Upphandlingsmyndigheten yet. "
                "Until it is, you can read but not write."
            )
        )


def private_threads_visible(group_access_: GroupAccess) -> bool:
    """Whether a workspace user sees the group's private discussions with suppliers in lists."""
    return group_access_.is_member or group_access_.can_manage


def _staff_of(organisations) -> Q:
    return Q(pk__in=OrganisationMember.objects.filter(organisation__in=organisations).values("user_id"))


def _facilitators() -> Q:
    return Q(pk__in=User.objects.facilitators().values("pk"))


def _workspace_organisations(group_id, roles):
    return Membership.objects.filter(
        group_id=group_id,
        status=Membership.Status.ACTIVE,
        role__in=roles,
        organisation__status=Organisation.Status.VERIFIED,
    ).values("organisation_id")


def thread_readers(thread: Thread, *, group_side_only=False):
    """Every active person who may read the discussion, by the same rules as thread_access, as
    one query. group_side_only leaves out the suppliers' people."""
    roles = [Membership.Role.MEMBER, Membership.Role.OBSERVER]
    if thread.kind == Thread.Kind.PRIVATE:
        roles = [Membership.Role.MEMBER]
    who = _facilitators() | _staff_of(_workspace_organisations(thread.group_id, roles))
    if thread.kind == Thread.Kind.PRIVATE:
        who |= Q(pk__in=BuyerGroup.objects.filter(pk=thread.group_id).values("coordinators__user_id"))
        if not group_side_only:
            who |= _staff_of([thread.supplier_id])
    if thread.kind == Thread.Kind.DIALOGUE and not group_side_only:
        taking_part = Participation.objects.active().filter(
            dialogue_id=thread.dialogue_id,
            organisation__kind=Organisation.Kind.SUPPLIER,
            organisation__status=Organisation.Status.VERIFIED,
        )
        who |= _staff_of(taking_part.values("organisation_id"))
    return User.objects.filter(who, is_active=True, deleted_at__isnull=True)


def mentionable_users(access: ThreadAccess):
    """Whom the user may @mention here: every reader, except that in a dialogue's open discussion
    a supplier reaches only the group's side and its own colleagues (so no supplier can find out
    through mentions who the other participants are)."""
    thread = access.thread
    if thread.kind == Thread.Kind.DIALOGUE and access.is_supplier_side:
        own = thread_readers(thread).filter(_staff_of([access.organisation.pk]))
        return thread_readers(thread, group_side_only=True) | own
    return thread_readers(thread)


def _needs_two_factor(user) -> bool:
    # The same gate as accounts.middleware.FacilitatorMfaMiddleware, which a WebSocket never passes.
    return (
        user.is_facilitator
        and not (settings.DEMO_MFA_EXEMPT and user.is_demo)
        and not user.authenticator_set.filter(type="totp").exists()
    )


def thread_access_for_socket(user, thread_pk) -> ThreadAccess | None:
    """For the WebSocket consumer (call it through core.sockets.with_database): the access of the
    user as the database has them now (a long-lived connection must see removals, deactivation
    and deletion), or None when the user may not read the discussion."""
    if not user.is_authenticated:
        return None
    fresh = User.objects.filter(pk=user.pk, is_active=True, deleted_at__isnull=True).first()
    thread = _threads().filter(pk=thread_pk).first()
    if fresh is None or thread is None or _needs_two_factor(fresh):
        return None
    from moderation.access import suspension_in_force  # moderation builds on this module

    if suspension_in_force(fresh, thread.group_id) is not None:
        return None  # a suspended user is cut off from live discussions (the page still reads)
    access = thread_access(fresh, thread)
    return access if access.can_read else None


def can_read_thread(user, thread_pk) -> bool:
    """Whether the user may read the discussion right now (sync; the consumer wraps it)."""
    return thread_access_for_socket(user, thread_pk) is not None
