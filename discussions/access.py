"""Who may read, write and moderate a discussion."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.models import Organisation, OrganisationMember, User
from accounts.standing import suspension_in_force, suspension_refusal
from dialogues.access import dialogue_access, dialogues_taken_part_in_by
from dialogues.models import Dialogue, Participation
from discussions.models import Message, Thread
from groups.access import (
    GroupAccess,
    group_access,
    groups_managed_by,
    groups_of_member_user,
    groups_with_workspace_for,
)
from groups.models import BuyerGroup, Membership

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


def threads_readable_by(user):
    """The discussions the user may read: thread_access(user, thread).can_read as a queryset.
    (thread_readers below is the same rule the other way round: who reads one discussion.)
    tests/discussions/test_access_twins.py holds all three to the same answer."""
    if not user.is_authenticated:
        return Thread.objects.none()
    workspace = Q(group__in=groups_with_workspace_for(user))
    taking_part = Q(dialogue__in=dialogues_taken_part_in_by(user))
    group_side = Q(group__in=groups_of_member_user(user)) | Q(group__in=groups_managed_by(user))
    own_supplier = Q(supplier__in=OrganisationMember.objects.filter(user=user).values("organisation_id"))
    return Thread.objects.filter(
        (Q(kind=Thread.Kind.GROUP) & workspace)
        | (Q(kind=Thread.Kind.DIALOGUE) & (workspace | taking_part))
        | (Q(kind=Thread.Kind.PRIVATE) & (group_side | own_supplier))
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


def require_can_moderate(access: ThreadAccess) -> None:
    if not access.can_moderate:
        raise PermissionDenied(_("Only the group's coordinators and facilitators can moderate discussions."))


def get_message_for_reader(user, pk) -> tuple[Message, ThreadAccess]:
    message = get_object_or_404(Message.objects.select_related("author", "organisation", "hidden_by"), pk=pk)
    thread, access = get_thread_for_reader(user, message.thread_id)
    message.thread = thread
    return message, access


def get_message_history_for_reader(user, pk) -> tuple[Message, ThreadAccess]:
    """A message's earlier wordings, for its discussion's readers; a message a moderator hid
    only for the discussion's moderators (403 for the other readers)."""
    message, access = get_message_for_reader(user, pk)
    if message.is_hidden and not access.can_moderate:
        raise PermissionDenied(_("A moderator has hidden this message."))
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


def thread_access_for_socket(user, thread_pk) -> ThreadAccess | None:
    """For the WebSocket consumer (call it through core.sockets.with_database): the access of the
    user as the database has them now (a long-lived connection must see removals, deactivation
    and deletion), or None when the user may not read the discussion."""
    if not user.is_authenticated:
        return None
    fresh = User.objects.filter(pk=user.pk, is_active=True, deleted_at__isnull=True).first()
    thread = _threads().filter(pk=thread_pk).first()
    if fresh is None or thread is None:
        return None  # (two-factor and an expired session: accounts.sockets.SessionGate, before any socket)

    if suspension_in_force(fresh, thread.group_id) is not None:
        return None  # a suspended user is cut off from live discussions (the page still reads)
    access = thread_access(fresh, thread)
    return access if access.can_read else None


def can_read_thread(user, thread_pk) -> bool:
    """Whether the user may read the discussion right now (sync; the consumer wraps it)."""
    return thread_access_for_socket(user, thread_pk) is not None
