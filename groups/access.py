"""The one place that answers "may this user see / edit / manage this group or need?".

Views call the fetch-or-refuse helpers on their first line. Someone who may not see a
workspace gets the public summary (on the group's own address) or 404, never workspace
content; a member without the needed role gets 403.
"""

import functools
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.access import require_verified
from accounts.models import Organisation
from groups.models import BuyerGroup, Coordinator, Membership, NeedStatement


@dataclass(frozen=True)
class GroupAccess:
    """What one user may do in one group, worked out with one query."""

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


@functools.cache
def _access_sql(organisations: int) -> str:
    """Written out rather than built by the ORM on every page (building the two querysets cost
    more than running them): the open memberships of the user's organisations in the group,
    group.memberships.filter(organisation_id__in=own, status__in=Membership.OPEN_STATUSES)
    .values_list("organisation_id", "status", "role"), then one row of NULLs if the user
    coordinates it, group.coordinators.filter(user=user).exists(). The placeholders: the group,
    the open statuses, the organisations, then the group and the user.
    tests/groups/test_access_query.py holds it to the querysets."""
    quote = connection.ops.quote_name
    membership, coordinator = Membership._meta, Coordinator._meta

    def column(meta, name):
        return quote(meta.get_field(name).column)

    statuses = ", ".join(["%s"] * len(Membership.OPEN_STATUSES))
    own = ", ".join(["%s"] * organisations)
    return (
        f"SELECT {column(membership, 'organisation')}, {column(membership, 'status')}, {column(membership, 'role')}"
        f" FROM {quote(membership.db_table)} WHERE {column(membership, 'group')} = %s"
        f" AND {column(membership, 'status')} IN ({statuses}) AND {column(membership, 'organisation')} IN ({own})"
        " UNION ALL SELECT NULL, NULL, NULL"
        f" FROM {quote(coordinator.db_table)} WHERE {column(coordinator, 'group')} = %s"
        f" AND {column(coordinator, 'user')} = %s"
    )


def _memberships_and_coordination(user, group: BuyerGroup, organisation_ids) -> tuple[list, bool]:
    """The open memberships (organisation_id, status, role) of the given organisations in the
    group, and whether the user coordinates the group: one query."""
    if not organisation_ids:
        return [], group.coordinators.filter(user=user).exists()
    with connection.cursor() as cursor:
        cursor.execute(
            _access_sql(len(organisation_ids)),
            [group.pk, *map(str, Membership.OPEN_STATUSES), *organisation_ids, group.pk, user.pk],
        )
        rows = cursor.fetchall()
    return [row for row in rows if row[0] is not None], any(row[0] is None for row in rows)


def group_access(user, group: BuyerGroup) -> GroupAccess:
    if not user.is_authenticated:
        return GroupAccess()
    own = {a.organisation_id: a.organisation for a in user.active_affiliations}
    open_memberships, is_coordinator = _memberships_and_coordination(user, group, list(own))
    active = {pk: role for pk, status, role in open_memberships if status == Membership.Status.ACTIVE}
    taken = {pk for pk, _status, _role in open_memberships}
    return GroupAccess(
        is_authenticated=True,
        is_facilitator=user.is_facilitator,
        is_coordinator=is_coordinator,
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


# The same rules for many groups at once: each queryset is the twin of a GroupAccess property,
# and tests/groups/test_access_twins.py holds them to the same answer for every user and group.


def _active_memberships_of(user, roles):
    """Active memberships, in the given roles, of the user's verified organisations."""
    return Membership.objects.filter(
        organisation__staff__user=user,
        organisation__status=Organisation.Status.VERIFIED,
        status=Membership.Status.ACTIVE,
        role__in=roles,
    )


def groups_with_workspace_for(user):
    """The groups whose workspace the user sees (GroupAccess.can_see_workspace)."""
    if not user.is_authenticated:
        return BuyerGroup.objects.none()
    if user.is_facilitator:
        return BuyerGroup.objects.all()
    roles = [Membership.Role.MEMBER, Membership.Role.OBSERVER]
    return BuyerGroup.objects.filter(pk__in=_active_memberships_of(user, roles).values("group_id"))


def groups_of_member_user(user):
    """The groups where the user works for a member authority (GroupAccess.is_member)."""
    if not user.is_authenticated:
        return BuyerGroup.objects.none()
    return BuyerGroup.objects.filter(pk__in=_active_memberships_of(user, [Membership.Role.MEMBER]).values("group_id"))


def groups_managed_by(user):
    """The groups the user coordinates; every group for facilitators (GroupAccess.can_manage)."""
    if not user.is_authenticated:
        return BuyerGroup.objects.none()
    if user.is_facilitator:
        return BuyerGroup.objects.all()
    return BuyerGroup.objects.filter(coordinators__user=user)


def get_group(slug, *, related=()) -> BuyerGroup:
    """The group; `related`: what to read with it (select_related), for a page that shows it."""
    return get_object_or_404(BuyerGroup.objects.select_related(*related) if related else BuyerGroup, slug=slug)


def get_group_for_workspace(user, slug, *, edit=False, manage=False) -> tuple[BuyerGroup, GroupAccess]:
    """The group and the user's access, if the user may see its workspace; otherwise 404.
    edit=True requires a member (not an observer); manage=True a coordinator or facilitator."""
    group = get_group(slug)
    access = group_access(user, group)
    if not access.can_see_workspace:
        raise Http404
    if manage:
        require_can_manage(access)
    if edit:
        require_can_edit(access)
    return group, access


def require_can_manage(access: GroupAccess) -> None:
    if not access.can_manage:
        raise PermissionDenied(_("Only the group's coordinators and facilitators can do this."))


def require_can_reopen(access: GroupAccess) -> None:
    """Coordinators end a group; only facilitators undo that."""
    if not access.is_facilitator:
        raise PermissionDenied(_("Only facilitators can reopen an ended group."))


def require_can_assign_contacts(access: GroupAccess) -> None:
    """Facilitators name the group's contact persons at Upphandlingsmyndigheten."""
    if not access.is_facilitator:
        raise PermissionDenied(_("Only facilitators at Upphandlingsmyndigheten can name the group's contact persons."))


def require_can_edit(access: GroupAccess) -> None:
    """Members write the need and the library; observers only follow."""
    if not access.can_edit:
        raise PermissionDenied(_("Observers can follow the group but not change its content."))


def get_need_for_user(user, slug, pk) -> tuple[NeedStatement, GroupAccess]:
    """Workspace users see every need; everyone else only published ones (the published version)."""
    need = get_object_or_404(
        NeedStatement.objects.select_related(
            "group", "current_version", "published_version", "previously_published_version"
        ),
        pk=pk,
        group__slug=slug,
    )
    access = group_access(user, need.group)
    if not access.can_see_workspace and not need.is_public:
        raise Http404
    return need, access


def can_create_group(user) -> bool:
    """Buyer groups are started by the people of verified contracting authorities, and by facilitators."""
    return user.is_authenticated and (user.is_facilitator or any(o.is_authority for o in user.verified_organisations))


def require_can_create_group(user) -> None:
    if not can_create_group(user):
        raise PermissionDenied(_("Buyer groups are started by verified contracting authorities or by facilitators."))


# --- Memberships -------------------------------------------------------------------------


def require_can_request_membership(user, access: GroupAccess) -> None:
    """Asking to join is for verified authorities (and the facilitating agency) not already in
    the group or asking; the 403 says which of these the user lacks."""
    if access.joinable_organisations:
        return
    if not user.can_act:
        raise PermissionDenied(
            _("Your organisation must be verified by Upphandlingsmyndigheten before it can join groups.")
        )
    raise PermissionDenied(_("None of your organisations can ask to join this group."))


def get_invitation_to_answer(user, slug, pk) -> tuple[BuyerGroup, Membership]:
    """An invitation to the group, for the invited organisation's people (404 for everyone
    else); the organisation must be verified to accept or decline (403)."""
    group = get_group(slug)
    membership = get_object_or_404(
        group.memberships.select_related("organisation"), pk=pk, status=Membership.Status.INVITED
    )
    if not user.is_member_of(membership.organisation):
        raise Http404
    require_verified(membership.organisation)
    return group, membership


def is_removal(user, membership: Membership) -> bool:
    """Ending a membership is leaving for the organisation's own people, removal for anyone else."""
    return not user.is_member_of(membership.organisation)


def get_membership_to_end(user, slug, pk) -> tuple[BuyerGroup, GroupAccess, Membership]:
    """An active membership, for its organisation's people to leave or for coordinators and
    facilitators to remove; other workspace users get 403, everyone else 404."""
    group, access = get_group_for_workspace(user, slug)
    membership = get_object_or_404(
        group.memberships.select_related("organisation"), pk=pk, status=Membership.Status.ACTIVE
    )
    if is_removal(user, membership) and not access.can_manage:
        raise PermissionDenied(_("Only the group's coordinators can remove another organisation."))
    return group, access, membership


# --- Need statements ---------------------------------------------------------------------


def require_can_move_need(access: GroupAccess, to_state) -> None:
    """Members send a need to review; publishing and closing are for coordinators and
    facilitators. An unknown state is 404."""
    if to_state not in NeedStatement.State.values:
        raise Http404
    if to_state == NeedStatement.State.IN_REVIEW:
        require_can_edit(access)
    elif not access.can_manage:
        raise PermissionDenied(_("Only the group's coordinators can publish or close a need statement."))


def get_organisation_to_endorse_for(access: GroupAccess, organisation_pk) -> Organisation:
    """One of the user's member authorities, whose commitment to a need the user states; 403 otherwise."""
    organisation = next((o for o in access.member_organisations if o.pk == organisation_pk), None)
    if organisation is None or not access.can_endorse_for(organisation):
        raise PermissionDenied(_("Only the people of a member authority can state its commitment."))
    return organisation
