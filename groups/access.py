"""The one place that answers "may this user see / edit / manage this group or need?".

Views call the fetch-or-refuse helpers on their first line. Someone who may not see a
workspace gets the public summary (on the group's own address) or 404, never workspace
content; a member without the needed role gets 403.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.models import Organisation
from groups.models import BuyerGroup, Membership, NeedStatement


@dataclass(frozen=True)
class GroupAccess:
    """What one user may do in one group, worked out with two queries."""

    is_authenticated: bool = False
    is_facilitator: bool = False
    is_coordinator: bool = False
    member_organisations: tuple = ()  # the user's organisations with an active member role
    observer_organisations: tuple = ()  # … with an active observer role
    can_act: bool = False  # the user has a verified organisation
    joinable_organisations: tuple = field(default=())  # verified authorities that could ask to join

    @property
    def can_see_workspace(self) -> bool:
        return self.is_facilitator or bool(self.member_organisations or self.observer_organisations)

    @property
    def is_member(self) -> bool:
        return bool(self.member_organisations)

    @property
    def is_observer(self) -> bool:
        return bool(self.observer_organisations) and not self.member_organisations

    @property
    def can_manage(self) -> bool:
        """Coordinators and facilitators admit members, run the stage plan and publish."""
        return self.is_coordinator or self.is_facilitator

    @property
    def can_edit(self) -> bool:
        """Members write the need and the library; observers follow and comment."""
        return self.can_manage or self.is_member

    @property
    def can_comment(self) -> bool:
        return self.can_see_workspace

    def can_endorse_for(self, organisation: Organisation) -> bool:
        return organisation in self.member_organisations and organisation.is_authority


def group_access(user, group: BuyerGroup) -> GroupAccess:
    if not user.is_authenticated:
        return GroupAccess()
    own = {a.organisation_id: a.organisation for a in user.active_affiliations}
    open_memberships = list(
        group.memberships.filter(organisation_id__in=own, status__in=Membership.OPEN_STATUSES).values_list(
            "organisation_id", "status", "role"
        )
    )
    active = {pk: role for pk, status, role in open_memberships if status == Membership.Status.ACTIVE}
    taken = {pk for pk, _status, _role in open_memberships}
    return GroupAccess(
        is_authenticated=True,
        is_facilitator=user.is_facilitator,
        is_coordinator=group.coordinators.filter(user=user).exists(),
        member_organisations=tuple(
            own[pk] for pk, role in active.items() if role == Membership.Role.MEMBER and own[pk].is_verified
        ),
        observer_organisations=tuple(
            own[pk] for pk, role in active.items() if role == Membership.Role.OBSERVER and own[pk].is_verified
        ),
        can_act=user.can_act,
        joinable_organisations=tuple(
            organisation
            for pk, organisation in own.items()
            if organisation.is_verified
            and (organisation.is_authority or organisation.kind == Organisation.Kind.FACILITATING_AGENCY)
            and pk not in taken
        ),
    )


def get_group(slug) -> BuyerGroup:
    return get_object_or_404(BuyerGroup, slug=slug)


def get_group_for_workspace(user, slug, *, edit=False, manage=False) -> tuple[BuyerGroup, GroupAccess]:
    """The group and the user's access, if the user may see its workspace; otherwise 404.
    edit=True requires a member (not an observer); manage=True a coordinator or facilitator."""
    group = get_group(slug)
    access = group_access(user, group)
    if not access.can_see_workspace:
        raise Http404
    if manage and not access.can_manage:
        raise PermissionDenied(_("Only the group's coordinators and facilitators can do this."))
    if edit and not access.can_edit:
        raise PermissionDenied(_("Observers can follow the group but not change its content."))
    return group, access


def get_need_for_user(user, slug, pk) -> tuple[NeedStatement, GroupAccess]:
    """Workspace users see every need; everyone else only published ones (the published version)."""
    group = get_group(slug)
    need = get_object_or_404(
        NeedStatement.objects.select_related(
            "group", "current_version", "published_version", "previously_published_version"
        ),
        pk=pk,
        group=group,
    )
    access = group_access(user, group)
    if not access.can_see_workspace and not need.is_public:
        raise Http404
    return need, access


def require_can_create_group(user) -> None:
    if not (user.is_facilitator or any(o.is_authority for o in user.verified_organisations)):
        raise PermissionDenied(_("Buyer groups are started by verified contracting authorities or by facilitators."))
